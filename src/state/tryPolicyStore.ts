/**
 * "Try the policy": one greedy completion of the current policy on a world scene or on an image of the user's,
 * read into its reasoning, its answer and its boxes (and, for a world scene, the true boxes and the rewards).
 */
import { create } from 'zustand';
import { type ReadBox, type ReadCompletion, readCompletion } from '../core/rewards/readCompletion';
import { taskRewards } from '../core/rewards/registry';
import type { Task } from '../core/rewards/types';
import { resizeImage } from '../core/image/resize';
import { CATEGORIES, FAMILY_WORDS } from '../core/world/catalog';
import { worldSample } from '../core/world/tasks';
import { usePolicyStore } from './modelsStore';
import { mlWorker } from './workerClient';
import { loadWorldAtlas, scenePng } from './worldDataset';

export type TrySplit = 'base' | 'novel' | 'ood';

/** What the policy wrote, read as readCompletion reads it, with the picture and the question it answered. */
export interface TryResult extends ReadCompletion {
  task: Task;
  /** Object URL of the picture shown (the world scene upscaled, or the user's file). */
  imageUrl: string;
  /** Width / height of the picture, for drawing 0–1000 boxes over it. */
  aspect: number;
  /** The prompt as asked (the docs/design.md §2 question for a world scene). */
  question: string;
  completion: string;
  /** World scenes only: the true boxes (0–1000) or label, and the rewards of docs/design.md §3 (reference mode). */
  truth?: { boxes: ReadBox[]; label: string | null };
  rewards?: Record<string, number>;
}

export interface TryState {
  status: 'idle' | 'running' | 'done' | 'error';
  result?: TryResult;
  error?: string;
}

export const useTryStore = create<TryState>(() => ({ status: 'idle' }));

/** Words the prompt of a task can name: detection categories, or classification's fine-grained families. */
export function promptChoices(task: Task): string[] {
  if (task === 'classification') return Object.values(FAMILY_WORDS);
  if (task === 'detection') return CATEGORIES.map((c) => c.name).sort();
  return [];
}

function policySize(): number {
  const summary = usePolicyStore.getState().summary;
  if (!summary) throw new Error('no policy is loaded: load one in the Current policy section first');
  return summary.config.imageSize;
}

async function complete(image: Float32Array, task: Task, words: string[]): Promise<string> {
  // Copied, not transferred: the image may be the scene's own pixels (resizeImage returns its input at the
  // policy's size), which the picture is still drawn from; 48 KB at 64 px.
  const { completions } = await mlWorker().request({ type: 'generate', images: image, prompts: [{ task, words }], samples: 1, temperature: 0, maxNewTokens: 90, seed: 0 });
  return completions[0][0];
}

async function run(make: () => Promise<TryResult>): Promise<void> {
  const old = useTryStore.getState().result;
  useTryStore.setState({ status: 'running', error: undefined });
  try {
    const result = await make();
    if (old) URL.revokeObjectURL(old.imageUrl);
    useTryStore.setState({ status: 'done', result });
  } catch (e) {
    useTryStore.setState({ status: 'error', error: e instanceof Error ? e.message : String(e) });
  }
}

/** The policy on the world scene of a task, split and seed: the same scene every time for the same seed. */
export function tryWorldScene(task: Task, split: TrySplit, seed: number): Promise<void> {
  return run(async () => {
    const size = policySize();
    const sample = worldSample(await loadWorldAtlas(), task, split, seed);
    const completion = await complete(resizeImage(sample.scene.image, sample.scene.size, size), task, sample.promptWords);
    const truth = readCompletion(task, `<think></think> ${sample.solution}`);
    const rewards = taskRewards(task, completion, sample.solution, 'reference') as Record<string, number>;
    return { task, imageUrl: URL.createObjectURL(await scenePng(sample)), aspect: 1, question: sample.question, completion, ...readCompletion(task, completion), truth: { boxes: truth.boxes, label: truth.label }, rewards };
  });
}

/** The policy's input from a picture: stretched to its square image size, RGB in [0, 1] (boxes stay in 0–1000). */
async function pixels(file: File, size: number): Promise<{ image: Float32Array; aspect: number }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (e) {
    throw new Error(`${file.name}: not an image this browser can decode (${(e as Error).message || 'corrupt or unsupported'})`);
  }
  try {
    if (!bitmap.width || !bitmap.height) throw new Error(`${file.name}: the image has no pixels`);
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, size, size);
    const rgba = ctx.getImageData(0, 0, size, size).data;
    const image = new Float32Array(size * size * 3);
    for (let i = 0; i < size * size; i++) for (let c = 0; c < 3; c++) image[i * 3 + c] = rgba[i * 4 + c] / 255;
    return { image, aspect: bitmap.width / bitmap.height };
  } finally {
    bitmap.close();
  }
}

/** The policy on an image of the user's, asked about a category (detection), a family (classification) or a description (grounding). */
export function tryImageFile(file: File, task: Task, prompt: string): Promise<void> {
  return run(async () => {
    const words = prompt.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) throw new Error(task === 'grounding' ? 'describe the object to find, e.g. “the red star”' : 'choose what to ask about');
    const { image, aspect } = await pixels(file, policySize());
    const completion = await complete(image, task, words);
    const question = task === 'detection' ? `Detect every ${words.join(' ')}` : task === 'classification' ? `What kind of ${words.join(' ')} is in the image?` : `Find ${words.join(' ')}`;
    return { task, imageUrl: URL.createObjectURL(file), aspect, question, completion, ...readCompletion(task, completion) };
  });
}
