/**
 * A user's dataset as a run's data (docs/design.md §7, one seam): its records read from IndexedDB, each image
 * decoded once by the one decode path (imageIngest.decodeForPolicy) at the policy's source resolution, and the
 * examples' texts from core/dataset/trainingExamples.ts; the pixels travel to the worker as one transferred buffer.
 */
import { type ExampleText, type Trainability, datasetExamples, trainability } from '../core/dataset/trainingExamples';
import type { Dataset } from '../core/dataset/types';
import { getBlobs, loadDatasetRecords } from '../persist/datasets';
import type { ExamplesPayload } from '../worker/protocol';
import { decodeForPolicy } from './imageIngest';

export async function readDataset(datasetId: string): Promise<Dataset> {
  const rec = await loadDatasetRecords(datasetId);
  if (!rec) throw new Error('the dataset no longer exists (deleted in another tab?)');
  return { name: rec.dataset.name, task: rec.dataset.task, classes: rec.dataset.classes, images: rec.images };
}

/** Whether the dataset can be trained on (what blocks it, what the run will do). */
export async function checkDataset(datasetId: string): Promise<Trainability & { dataset: Dataset }> {
  const dataset = await readDataset(datasetId);
  return { ...trainability(dataset), dataset };
}

/** The train split's examples with their pixels, and the eval split's; `onProgress(done, total)` per decoded image. */
export async function datasetPayload(datasetId: string, size: number, onProgress: (done: number, total: number) => void = () => {}): Promise<{ dataset: Dataset; payload: ExamplesPayload }> {
  const { dataset, errors } = await checkDataset(datasetId);
  if (errors.length) throw new Error(`“${dataset.name}” cannot be trained on: ${errors.join('; ')}`);
  const texts = datasetExamples(dataset, 'train');
  const evalTexts = datasetExamples(dataset, 'eval');
  const ids = [...new Set([...texts, ...evalTexts].map((t) => t.imageId))];
  const decoded = new Map<string, Float32Array>();
  for (const id of ids) {
    const im = dataset.images.find((x) => x.id === id)!;
    const blobs = await getBlobs(id);
    if (!blobs) throw new Error(`${im.fileName}: its pixels are missing from this browser's storage (re-upload the image)`);
    decoded.set(id, (await decodeForPolicy(blobs.original, im.fileName, size)).image);
    onProgress(decoded.size, ids.length);
  }
  const px = size * size * 3;
  const pixelsOf = (list: ExampleText[]) => {
    const images = new Float32Array(list.length * px);
    list.forEach((t, i) => images.set(decoded.get(t.imageId)!, i * px));
    return images;
  };
  return { dataset, payload: { size, images: pixelsOf(texts), texts, ...(evalTexts.length ? { eval: { images: pixelsOf(evalTexts), texts: evalTexts } } : {}) } };
}
