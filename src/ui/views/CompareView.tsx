import { EmptyState } from './EmptyState';

export function CompareView() {
  return (
    <EmptyState title="Compare" points={[
      'Put base, SFT and RFT predictions side by side on the same eval images.',
      "Read each policy's <think> reasoning beside its predicted boxes.",
      'Score any predictions file, including outputs of real models such as Qwen2-VL.',
    ]}>
      Nothing to compare yet. Comparisons appear once a model has been fine-tuned.
    </EmptyState>
  );
}
