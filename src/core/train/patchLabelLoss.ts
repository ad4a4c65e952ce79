/**
 * Pretraining loss: the SFT cross-entropy on completions plus a weighted dense patch-label cross-entropy at the
 * image positions (see world/patchLabels.ts for why). One forward pass serves both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { imageTokenCount } from '../model/config';
import { buildTextBatch } from '../model/layout';
import { type CompletionBatch, completionLogSoftmax, completionWidth, logprobsFromLogits } from '../model/logprobs';
import { completionTargets } from './coordTargets';
import type { Policy } from '../model/policy';
import { forwardHidden, imageLogits, textLogits } from '../model/transformer';

export interface PretrainLosses {
  /** The optimised scalar: completion (soft targets on coordinates when `coordSigma` > 0) + weight × patch. */
  total: tf.Scalar;
  /** Cross-entropy of the completion tokens against the exact targets (comparable across `coordSigma`). */
  completion: tf.Scalar;
  patch: tf.Scalar;
}

/**
 * `patchTargets`: token ids [rows × patches] (row-major grid per image). Call inside tf.tidy / variableGrads.
 */
export function pretrainLosses(policy: Policy, batch: CompletionBatch, patchTargets: Int32Array, patchWeight: number, coordSigma = 0): PretrainLosses {
  const { config: c, tokenizer: tok, params } = policy;
  const rows = batch.prompts.length;
  const n = imageTokenCount(c);
  if (patchTargets.length !== rows * n) throw new Error(`patch targets: ${patchTargets.length} values for ${rows} images of ${n} patches`);
  const text = buildTextBatch(batch.prompts, batch.completions, tok.id('pad'), c.maxTextLength);
  const hidden = forwardHidden(params, c, batch.images, text);
  const logits = textLogits(params, c, hidden, text.width);
  const { logprobs, mask } = logprobsFromLogits(policy, batch, text, logits);
  const count = tf.maximum(tf.sum(mask), 1);
  const completion = tf.neg(tf.div(tf.sum(logprobs), count)) as tf.Scalar;
  let optimised = completion;
  if (coordSigma > 0) {
    // Soft coordinate targets (coordTargets.ts); the second log-softmax is cheap next to the forward pass.
    const L = completionWidth(batch);
    const logpText = completionLogSoftmax(text, logits, L);
    const vocab = logpText.shape[2];
    const soft = tf.tensor3d(completionTargets(tok, batch.completions, L, vocab, coordSigma), [rows, L, vocab]);
    optimised = tf.neg(tf.div(tf.sum(tf.mul(logpText, soft)), count)) as tf.Scalar;
  }
  const logp = tf.logSoftmax(imageLogits(params, c, hidden));
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(patchTargets, [rows, n], 'int32'), logp.shape[2])), 2);
  const patch = tf.neg(tf.mean(picked)) as tf.Scalar;
  return { total: tf.add(optimised, tf.mul(patch, patchWeight)) as tf.Scalar, completion, patch };
}
