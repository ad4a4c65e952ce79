import { EmptyState } from './EmptyState';

export function DatasetsView() {
  return (
    <EmptyState title="Datasets" points={[
      'Create a classification, detection or grounding dataset, or generate one from the synthetic world.',
      'Add images by drag-and-drop, file or folder picker, or paste; label them with boxes and classes.',
      'Import and export COCO, YOLO, Pascal VOC, Visual-RFT JSON and VLM-R1 JSONL.',
    ]}>
      No datasets yet. Few-shot datasets you build here are the training data for SFT and RFT runs.
    </EmptyState>
  );
}
