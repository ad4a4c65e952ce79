/**
 * Pretraining loss: the SFT cross-entropy on completions plus a weighted dense patch-label cross-entropy at the
 * image positions (see world/patchLabels.ts for why). One forward pass serves both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { imageTokenCount } from '../model/config';
import { buildTextBatch } from '../model/layout';
import { type CompletionBatch, completionLogSoftmax, completionWidth, logprobsFromLogits } from '../model/logprobs';
import { binTargets, completionTargets } from './coordTargets';
import { BOX_SLOTS, imageHiddenOf, offsetCount, offsetTargets, pointerAttention, pointerImageState } from '../model/boxPointer';
import { pointerLoss, pointerTargets } from './pointerLoss';
import { type NameOwners, namePointerTargets } from './namePointer';
import type { Policy } from '../model/policy';
import { forwardHidden, imageLogits, textLogits } from '../model/transformer';

export interface PretrainLosses {
  /** The optimised scalar: completion (soft targets on coordinates when `coordSigma` > 0) + weight × patch. */
  total: tf.Scalar;
  /** Cross-entropy of the completion tokens against the exact targets (comparable across `coordSigma`). */
  completion: tf.Scalar;
  patch: tf.Scalar;
  /** The box pointer's dense box loss (0 without one). */
  box: tf.Scalar;
  /** The pointer-attention loss (pointerLoss.ts; 0 without a pointer or weight). */
  pointer: tf.Scalar;
  /** The name-pointer loss (namePointer.ts; 0 without a pointer or weight). */
  namePointer: tf.Scalar;
}

export interface PretrainLossOptions {
  /** Weight of the patch-label loss. */
  patchWeight: number;
  /** σ in bins of soft coordinate targets (coordTargets.ts); 0 = one-hot. */
  coordSigma?: number;
  /** Box targets per patch (bins, −1 = none; [rows × patches × 4]) for the box pointer's dense loss. */
  patchBoxes?: Int32Array;
  /** Weight of that loss. Default 1. */
  boxWeight?: number;
  /** Weight of the pointer-attention loss (pointerLoss.ts; needs `patchBoxes`). Default 0. */
  pointerWeight?: number;
  /** Labels of each row's scene with their image tokens, for the name-pointer loss (namePointer.ts). */
  nameOwners?: NameOwners[][];
  /** Weight of that loss (needs `nameOwners` and a box pointer). Default 0. */
  namePointerWeight?: number;
}

/**
 * `patchTargets`: token ids [rows × patches] (row-major grid per image). Call inside tf.tidy / variableGrads.
 */
export function pretrainLosses(policy: Policy, batch: CompletionBatch, patchTargets: Int32Array, opts: PretrainLossOptions): PretrainLosses {
  const { patchWeight, coordSigma = 0 } = opts;
  const { config: c, tokenizer: tok, params } = policy;
  const rows = batch.prompts.length;
  const n = imageTokenCount(c);
  if (patchTargets.length !== rows * n) throw new Error(`patch targets: ${patchTargets.length} values for ${rows} images of ${n} patches`);
  const text = buildTextBatch(batch.prompts, batch.completions, tok.id('pad'), c.maxTextLength);
  const hidden = forwardHidden(params, c, batch.images, text);
  const state = c.boxPointer ? pointerImageState(params, c, imageHiddenOf(c, hidden)) : undefined;
  const logits = textLogits(params, c, hidden, text, state);
  let box = tf.scalar(0);
  if (state && opts.patchBoxes) {
    if (opts.patchBoxes.length !== rows * n * BOX_SLOTS) throw new Error(`patch boxes: ${opts.patchBoxes.length} values for ${rows} images of ${n} patches`);
    const R = offsetCount(c);
    const targets = tf.tensor3d(binTargets(offsetTargets(c, opts.patchBoxes), R, 1), [rows, n, BOX_SLOTS * R]);
    const valid = opts.patchBoxes.reduce((a, b) => a + (b >= 0 ? 1 : 0), 0);
    box = tf.div(tf.neg(tf.sum(tf.mul(state.offsetLogp, targets))), Math.max(1, valid)) as tf.Scalar;
  }
  let pointer = tf.scalar(0);
  let namePointer = tf.scalar(0);
  const wantsPointer = state && opts.patchBoxes && (opts.pointerWeight ?? 0) > 0;
  const wantsNames = state && opts.nameOwners && (opts.namePointerWeight ?? 0) > 0;
  if (state && (wantsPointer || wantsNames)) {
    const textHidden = tf.slice(hidden, [0, n, 0], [rows, text.width, c.dModel]) as tf.Tensor3D;
    const attention = pointerAttention(params, state.keys, textHidden);
    if (wantsPointer) pointer = pointerLoss(attention, pointerTargets(text.tokens, rows, text.width, n, tok.coordStart, c.coordBins, opts.patchBoxes as Int32Array));
    if (wantsNames) namePointer = pointerLoss(attention, namePointerTargets(text.tokens, rows, text.width, n, opts.nameOwners as NameOwners[][]));
  }
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
  const total = tf.addN([optimised, tf.mul(patch, patchWeight), tf.mul(box, opts.boxWeight ?? 1), tf.mul(pointer, opts.pointerWeight ?? 0), tf.mul(namePointer, opts.namePointerWeight ?? 0)]) as tf.Scalar;
  return { total, completion, patch, box, pointer, namePointer };
}
