/** Inference requests on the worker's current policy: held-out evaluation and free generation. */
import { type Question, answerImages } from '../core/model/answer';
import { loadCheckpoint, readCheckpointHeader } from '../core/model/checkpoint';
import { sourceResolution } from '../core/model/config';
import { towerFor } from './towerHost';
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

/**
 * Greedy completions of a checkpoint that is not the current policy (the Compare view): loaded beside the current
 * one (with the vision tower it reads), answered in batches of 16, and disposed.
 */
export async function generateWith(bytes: Uint8Array, towerUrl: string | undefined, images: Float32Array, prompts: Question[], maxNewTokens: number): Promise<{ completions: string[] }> {
  const { header } = readCheckpointHeader(bytes);
  const { policy } = loadCheckpoint(bytes, { trainable: false, tower: await towerFor(header.config, towerUrl) });
  try {
    const R = sourceResolution(policy.config);
    const px = R * R * 3;
    if (images.length !== prompts.length * px) throw new Error(`expected ${prompts.length} images of ${R}×${R}×3 values for this checkpoint`);
    const out: string[] = [];
    for (let i = 0; i < prompts.length; i += 16) {
      const chunk = prompts.slice(i, i + 16);
      const answers = await answerImages(policy, images.subarray(i * px, (i + chunk.length) * px), chunk, { samples: 1, temperature: 0, maxNewTokens, seed: 0 });
      out.push(...answers.map((a) => a[0]));
    }
    return { completions: out };
  } finally {
    policy.dispose();
  }
}
