/**
 * A tiny, fully determined generation used to check that a backend computes what the CPU backend computes:
 * the `tiny` policy at a fixed seed, fixed images and prompts, greedy decoding. Backends differ in float
 * rounding, so log-probabilities are compared within a tolerance and tokens should agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng';
import { POLICY_CONFIGS } from '../model/config';
import { generate } from '../model/generate';
import { Policy } from '../model/policy';

/** Largest |Δ log-prob| accepted between a backend and the CPU backend (float32 on GPUs, fused WASM kernels). */
export const BACKEND_LOGPROB_TOLERANCE = 1e-3;

export interface ProbeOutput {
  tokens: number[][];
  logprobs: number[][];
  ms: number;
}

export async function tinyGenerationProbe(): Promise<ProbeOutput> {
  const words = ['dog', 'cat', 'red', 'star', 'I', 'see', 'a', 'the', 'left'];
  const policy = Policy.create({ ...POLICY_CONFIGS.tiny, seed: 7 }, { coordBins: POLICY_CONFIGS.tiny.coordBins, words });
  const rng = new Rng(3);
  const s = policy.config.imageSize;
  const images = tf.tensor4d(Float32Array.from({ length: 2 * s * s * 3 }, () => rng.next()), [2, s, s, 3]);
  const t = policy.tokenizer;
  const t0 = performance.now();
  try {
    const out = await generate(policy, {
      images,
      prompts: [[t.taskId('detection'), t.wordId('dog')], [t.taskId('grounding'), t.wordId('red'), t.wordId('star')]],
      samplesPerPrompt: 2,
      maxNewTokens: 12,
      temperature: 0,
      topK: 0,
      rng: new Rng(1),
      suppressTokens: [t.id('eos')],
    });
    return { tokens: out.tokens, logprobs: out.logprobs, ms: performance.now() - t0 };
  } finally {
    images.dispose();
    policy.dispose();
  }
}

export interface ProbeComparison {
  tokensMatch: boolean;
  maxAbsDiff: number;
  withinTolerance: boolean;
}

export function compareProbes(reference: ProbeOutput, other: ProbeOutput): ProbeComparison {
  const tokensMatch = JSON.stringify(reference.tokens) === JSON.stringify(other.tokens);
  let maxAbsDiff = 0;
  reference.logprobs.forEach((row, r) => row.forEach((v, j) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - (other.logprobs[r]?.[j] ?? Infinity))))));
  return { tokensMatch, maxAbsDiff, withinTolerance: tokensMatch && maxAbsDiff <= BACKEND_LOGPROB_TOLERANCE };
}
