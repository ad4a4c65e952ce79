import { EmptyState } from './EmptyState';

export function TrainView() {
  return (
    <EmptyState title="Train" points={[
      'Fine-tune the base policy with GRPO (rewards: IoU, confidence, format, accuracy) or with SFT.',
      'Watch reward, IoU, KL and completion length curves live, with sampled rollouts and their rewards.',
      'Training runs in a background worker and survives a hidden tab.',
    ]}>
      No training runs yet. A run needs a dataset and the base policy.
    </EmptyState>
  );
}
