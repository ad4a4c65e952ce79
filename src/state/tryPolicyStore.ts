/**
 * "Try the policy": one greedy completion of the current policy on a world scene or on an image of the user's,
 * read into its reasoning, its answer and its boxes (and, for a world scene, the true boxes and the rewards).
 */
import { create } from 'zustand';
import { type ReadBox, type ReadCompletion, readCompletion } from '../core/rewards/readCompletion';
import { taskRewards } from '../core/rewards/registry';
import type { Task } from '../core/rewards/types';
import { sourceResolution } from '../core/model/config';
import { CATEGORIES, FAMILY_WORDS } from '../core/world/catalog';
import { worldSample } from '../core/world/tasks';
import { decodeForPolicy } from './imageIngest';
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
  return sourceResolution(summary.config);
}

async function complete(image: Float32Array, task: Task, words: string[]): Promise<string> {
  // Copied, not transferred: the image may be the scene's own pixels, which the picture is still drawn from.
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
    // Rendered at the policy's resolution: the same scene at every size (world/raster.ts).
    const sample = worldSample(await loadWorldAtlas(), task, split, seed, undefined, undefined, size);
    const completion = await complete(sample.scene.image, task, sample.promptWords);
    const truth = readCompletion(task, `<think></think> ${sample.solution}`);
    const rewards = taskRewards(task, completion, sample.solution, 'reference') as Record<string, number>;
    return { task, imageUrl: URL.createObjectURL(await scenePng(sample)), aspect: 1, question: sample.question, completion, ...readCompletion(task, completion), truth: { boxes: truth.boxes, label: truth.label }, rewards };
  });
}

/** The policy on an image of the user's, asked about a category (detection), a family (classification) or a description (grounding). */
export function tryImageFile(file: File, task: Task, prompt: string): Promise<void> {
  return run(async () => {
    const words = prompt.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) throw new Error(task === 'grounding' ? 'describe the object to find, e.g. “the red star”' : 'choose what to ask about');
    const { image, width, height } = await decodeForPolicy(file, file.name, policySize());
    const aspect = width / height;
    const completion = await complete(image, task, words);
    const question = task === 'detection' ? `Detect every ${words.join(' ')}` : task === 'classification' ? `What kind of ${words.join(' ')} is in the image?` : `Find ${words.join(' ')}`;
    return { task, imageUrl: URL.createObjectURL(file), aspect, question, completion, ...readCompletion(task, completion) };
  });
}
