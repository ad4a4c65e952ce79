import { EmptyState } from './EmptyState';

export function ModelsView() {
  return (
    <EmptyState title="Models" points={[
      'The shipped base policy, pretrained on the synthetic world, with its model card.',
      'Checkpoints of your SFT and RFT runs: load, rename, download and upload.',
    ]}>
      No models loaded yet.
    </EmptyState>
  );
}
