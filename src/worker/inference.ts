/** Inference requests on the worker's current policy: held-out evaluation and free generation. */
import { type Question, answerImages } from '../core/model/answer';
import type { Task } from '../core/rewards/types';
import { evaluateWorldSplit } from '../core/train/evaluate';
import type { WorldSplit } from '../core/world/tasks';
import { currentPolicy } from './policyHost';
import type { EvaluateResult } from './protocol';
import { loadAtlas } from './worldData';

function requirePolicy() {
  const p = currentPolicy();
  if (!p) throw new Error('no policy is loaded');
  return p;
}

export async function evaluateCurrent(task: Task, split: WorldSplit, count: number, atlasUrl: string): Promise<EvaluateResult> {
  return evaluateWorldSplit(requirePolicy(), await loadAtlas(atlasUrl), task, split, count);
}

/** Completions for square RGB images at the policy's source resolution (the path `npm run predict` shares). */
export async function generateCurrent(images: Float32Array, prompts: Question[], samples: number, temperature: number, maxNewTokens: number, seed: number): Promise<{ completions: string[][] }> {
  return { completions: await answerImages(requirePolicy(), images, prompts, { samples, temperature, maxNewTokens, seed }) };
}
