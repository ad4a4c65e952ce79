/**
 * The one conversion from a labelled image to the trainer's item (docs/design.md §7): the world's samples, the
 * user's datasets, the experiments and the benchmarks all go through `toTrainItems`. Images arrive as square RGB
 * at the policy's source resolution; their visual inputs (the tower's features for a tower policy) are computed
 * here, once, and the items keep them, so no rollout or step recomputes them.
 */
import { sourceResolution } from '../model/config';
import type { Policy } from '../model/policy';
import { encodeImages } from '../model/visualInput';
import type { Task } from '../rewards/types';
import { concatFloat32 } from './floatArrays';
import type { TrainItem } from './trainer';
import type { WorldSample } from '../world/tasks';

/** What a training example says, independent of where it came from. */
export interface LabelledExample {
  task: Task;
  /** Square RGB in 0–1 at `size` × `size`. */
  image: Float32Array;
  size: number;
  /** The prompt's words (category, family word or description). */
  promptWords: string[];
  /** Ground truth in the answer format of docs/design.md §2 (0–1000 coordinates). */
  solution: string;
  /** The SFT target: `<think> … </think> <answer> … </answer>`. */
  completion: string;
}

/** Token ids of a prompt: the task token, then its words. */
export function promptIds(policy: Policy, ex: Pick<LabelledExample, 'task' | 'promptWords'>): number[] {
  const t = policy.tokenizer;
  return [t.taskId(ex.task), ...ex.promptWords.map((w) => t.wordId(w))];
}

/**
 * A cache of visual inputs across runs (the app keeps one per page): a tower policy's features of an image are
 * computed once, keyed by the image (a dataset image's id, a world scene's seed) and the policy's visual config.
 */
export type VisualCache = Map<string, Float32Array>;

/**
 * Trainer items of labelled examples. With `keys` (one per example) and a `cache`, visual inputs already computed
 * for the same image and visual config are reused instead of running the tower again.
 */
export async function toTrainItems(policy: Policy, examples: LabelledExample[], keys?: string[], cache?: VisualCache): Promise<TrainItem[]> {
  if (!examples.length) return [];
  const R = sourceResolution(policy.config);
  const wrong = examples.find((e) => e.size !== R || e.image.length !== R * R * 3);
  if (wrong) throw new Error(`training images must be ${R}×${R} RGB for this policy (got ${wrong.size}×${wrong.size})`);
  const t = policy.tokenizer;
  const c = policy.config;
  const configKey = JSON.stringify([c.stem, c.tower, c.imageSize, c.patchSize]);
  const keyOf = (i: number) => (keys && cache ? `${configKey}|${keys[i]}` : null);
  const missing = examples.map((_, i) => i).filter((i) => !(keyOf(i) && cache!.has(keyOf(i)!)));
  const computed = missing.length ? await encodeImages(c, policy.tower, concatFloat32(missing.map((i) => examples[i].image)), missing.length) : new Float32Array(0);
  const per = missing.length ? computed.length / missing.length : 0;
  const visualOf = new Map<number, Float32Array>();
  missing.forEach((i, k) => {
    const v = computed.slice(k * per, (k + 1) * per);
    visualOf.set(i, v);
    const key = keyOf(i);
    if (key) cache!.set(key, v);
  });
  return examples.map((e, i) => ({
    image: visualOf.get(i) ?? cache!.get(keyOf(i)!)!,
    prompt: promptIds(policy, e),
    task: e.task,
    solution: e.solution,
    target: [...t.tokenize(e.completion), t.id('eos')],
  }));
}

/** A world sample as a labelled example (its scene rendered at the policy's source resolution). */
export function worldExample(s: WorldSample): LabelledExample {
  return { task: s.task, image: s.scene.image, size: s.scene.size, promptWords: s.promptWords, solution: s.solution, completion: s.completion };
}
