/**
 * Pretraining loss: the SFT cross-entropy on completions plus a weighted dense patch-label cross-entropy at the
 * image positions (see world/patchLabels.ts for why). One forward pass serves both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { imageTokenCount } from '../model/config';
import { buildTextBatch } from '../model/layout';
import { type CompletionBatch, logprobsFromLogits } from '../model/logprobs';
import type { Policy } from '../model/policy';
import { forwardHidden, imageLogits, textLogits } from '../model/transformer';

export interface PretrainLosses {
  /** The optimised scalar: completion + weight × patch. */
  total: tf.Scalar;
  completion: tf.Scalar;
  patch: tf.Scalar;
}

/**
 * `patchTargets`: token ids [rows × patches] (row-major grid per image). Call inside tf.tidy / variableGrads.
 */
export function pretrainLosses(policy: Policy, batch: CompletionBatch, patchTargets: Int32Array, patchWeight: number): PretrainLosses {
  const { config: c, tokenizer: tok, params } = policy;
  const rows = batch.prompts.length;
  const n = imageTokenCount(c);
  if (patchTargets.length !== rows * n) throw new Error(`patch targets: ${patchTargets.length} values for ${rows} images of ${n} patches`);
  const text = buildTextBatch(batch.prompts, batch.completions, tok.id('pad'), c.maxTextLength);
  const hidden = forwardHidden(params, c, batch.images, text);
  const { logprobs, mask } = logprobsFromLogits(policy, batch, text, textLogits(params, c, hidden, text.width));
  const completion = tf.neg(tf.div(tf.sum(logprobs), tf.maximum(tf.sum(mask), 1))) as tf.Scalar;
  const logp = tf.logSoftmax(imageLogits(params, c, hidden));
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(patchTargets, [rows, n], 'int32'), logp.shape[2])), 2);
  const patch = tf.neg(tf.mean(picked)) as tf.Scalar;
  return { total: tf.add(completion, tf.mul(patch, patchWeight)) as tf.Scalar, completion, patch };
}
