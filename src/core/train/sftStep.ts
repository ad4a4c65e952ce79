/**
 * SFT: teacher-forced cross-entropy on target completions (mean over real completion tokens), and its weighted
 * form, which trains chosen tokens only (the confidence phase: train/confidenceTargets.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type CompletionBatch, completionLogprobs } from '../model/logprobs';
import type { Policy } from '../model/policy';
import { type StepOutcome, optimiseStep } from './gradients';

/**
 * Given `wholeTokens`, the batch is one micro-batch of a larger one with that many completion tokens, and the
 * result is its share of that batch's loss (the shares sum to it; gradients.ts accumulatedGradientStep).
 */
export function sftLoss(policy: Policy, batch: CompletionBatch, wholeTokens?: number): tf.Scalar {
  const { logprobs, mask } = completionLogprobs(policy, batch);
  return tf.neg(tf.div(tf.sum(logprobs), wholeTokens === undefined ? tf.maximum(tf.sum(mask), 1) : Math.max(1, wholeTokens))) as tf.Scalar;
}

/**
 * Σ w·(−log p) / max(Σ w, 1) over completion tokens, with `weights[row][j]` for completion token j of each row
 * (missing entries are 0). With weight 1 on every real token it equals sftLoss; with no weight at all it is 0.
 */
export function weightedSftLoss(policy: Policy, batch: CompletionBatch, weights: readonly (readonly number[])[]): tf.Scalar {
  const { logprobs } = completionLogprobs(policy, batch);
  const [rows, L] = logprobs.shape;
  const w = new Float32Array(rows * L);
  weights.forEach((row, r) => row.forEach((v, j) => j < L && (w[r * L + j] = v)));
  const wt = tf.tensor2d(w, [rows, L]);
  return tf.neg(tf.div(tf.sum(tf.mul(logprobs, wt)), tf.maximum(tf.sum(wt), 1))) as tf.Scalar;
}

export function sftStep(policy: Policy, optimizer: tf.Optimizer, batch: CompletionBatch, maxGradNorm = 1.0): Promise<StepOutcome> {
  return optimiseStep(() => sftLoss(policy, batch), policy.params.trainable, optimizer, maxGradNorm);
}
