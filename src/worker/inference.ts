/** Inference requests on the worker's current policy: held-out evaluation and free generation. */
import * as tf from '@tensorflow/tfjs';
import { generate } from '../core/model/generate';
import { Rng } from '../core/rng';
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

export async function generateCurrent(images: Float32Array, prompts: { task: Task; words: string[] }[], samples: number, temperature: number, maxNewTokens: number, seed: number): Promise<{ completions: string[][] }> {
  const policy = requirePolicy();
  const s = policy.config.imageSize;
  if (images.length !== prompts.length * s * s * 3) throw new Error(`expected ${prompts.length} images of ${s}×${s}×3 values`);
  const t = policy.tokenizer;
  // An unknown word would become `unk` and the policy would answer a question it was never asked: say so instead.
  const unknown = [...new Set(prompts.flatMap((p) => p.words).filter((w) => !t.hasWord(w)))];
  if (unknown.length) throw new Error(`the policy does not know the word${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `“${w}”`).join(', ')}: prompts use the words of its training data (the world's categories, colours, shapes and relations)`);
  const tensor = tf.tensor4d(images, [prompts.length, s, s, 3]);
  try {
    const out = await generate(policy, { images: tensor, prompts: prompts.map((p) => [t.taskId(p.task), ...p.words.map((w) => t.wordId(w))]), samplesPerPrompt: samples, maxNewTokens, temperature, topK: 0, rng: new Rng(seed) });
    return { completions: prompts.map((_, i) => out.texts.filter((__, r) => out.promptIndex[r] === i)) };
  } finally {
    tensor.dispose();
  }
}
