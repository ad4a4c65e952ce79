/**
 * A tiny, fully determined generation used to check that a backend computes what the CPU backend computes:
 * the `tiny` policy at a fixed seed, fixed images and prompts, greedy decoding. Backends differ in float
 * rounding, so log-probabilities are compared within a tolerance and tokens should agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng';
import { POLICY_CONFIGS, sourceResolution, validatePolicyConfig, visualShape } from '../model/config';
import type { VisionTower } from '../model/tower';
import { encodeImages } from '../model/visualInput';
import { generate } from '../model/generate';
import { Policy } from '../model/policy';

/** Largest |Δ log-prob| accepted between a backend and the CPU backend (float32 on GPUs, fused WASM kernels). */
export const BACKEND_LOGPROB_TOLERANCE = 1e-3;

export interface ProbeOutput {
  tokens: number[][];
  logprobs: number[][];
  ms: number;
}

/**
 * The probe. With `tower` (the shipped backbone at 64 px, read at stride 16: the tiny config's 4×4 grid), the policy
 * is a hybrid that reads the tower's features, so the comparison covers the tower's graph on the backend too.
 */
export async function tinyGenerationProbe(tower?: VisionTower): Promise<ProbeOutput> {
  const words = ['dog', 'cat', 'red', 'star', 'I', 'see', 'a', 'the', 'left'];
  const config = tower ? validatePolicyConfig({ ...POLICY_CONFIGS.tiny, seed: 7, stem: 'hybrid', tower: tower.spec }) : { ...POLICY_CONFIGS.tiny, seed: 7 };
  const policy = Policy.create(config, { coordBins: POLICY_CONFIGS.tiny.coordBins, words }, tower ?? null);
  const rng = new Rng(3);
  const s = sourceResolution(policy.config);
  const pixels = Float32Array.from({ length: 2 * s * s * 3 }, () => rng.next());
  const images = tf.tensor4d(await encodeImages(policy.config, policy.tower, pixels, 2), [2, ...visualShape(policy.config)]);
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
