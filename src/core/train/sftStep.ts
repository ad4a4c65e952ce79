/**
 * SFT: teacher-forced cross-entropy on target completions (mean over real completion tokens).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type CompletionBatch, completionLogprobs } from '../model/logprobs';
import type { Policy } from '../model/policy';
import { type StepOutcome, optimiseStep } from './gradients';

export function sftLoss(policy: Policy, batch: CompletionBatch): tf.Scalar {
  const { logprobs, mask } = completionLogprobs(policy, batch);
  return tf.neg(tf.div(tf.sum(logprobs), tf.maximum(tf.sum(mask), 1))) as tf.Scalar;
}

export function sftStep(policy: Policy, optimizer: tf.Optimizer, batch: CompletionBatch, maxGradNorm = 1.0): Promise<StepOutcome> {
  return optimiseStep(() => sftLoss(policy, batch), policy.params.trainable, optimizer, maxGradNorm);
}
