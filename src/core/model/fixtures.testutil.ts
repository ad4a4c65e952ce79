/** Small deterministic inputs for model tests. */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng';
import { POLICY_CONFIGS, type PolicyConfig } from './config';
import { Policy } from './policy';

export const TEST_WORDS = ['dog', 'cat', 'red', 'star', 'I', 'see', 'a', 'the', 'left'];

export function tinyPolicy(seed = 1, overrides: Partial<PolicyConfig> = {}): Policy {
  return Policy.create({ ...POLICY_CONFIGS.tiny, seed, ...overrides }, { coordBins: POLICY_CONFIGS.tiny.coordBins, words: TEST_WORDS });
}

export function images(n: number, size: number, seed = 7): tf.Tensor4D {
  const rng = new Rng(seed);
  return tf.tensor4d(Float32Array.from({ length: n * size * size * 3 }, () => rng.next()), [n, size, size, 3]);
}

/** Prompts of different lengths: task token + category words. */
export function prompts(policy: Policy): number[][] {
  const t = policy.tokenizer;
  return [
    [t.taskId('detection'), t.wordId('dog')],
    [t.taskId('grounding'), t.wordId('the'), t.wordId('red'), t.wordId('star')],
  ];
}
