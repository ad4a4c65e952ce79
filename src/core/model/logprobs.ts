/**
 * Log-probabilities of given completions under a policy, by teacher forcing, batched and differentiable
 * (GRPO's ratio and KL, SFT's cross-entropy). Uses the same layout as generation, so the values equal the
 * log-probs recorded while sampling.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type TextBatch, buildTextBatch } from './layout';
import type { Policy } from './policy';
import { onHostMemory } from './ops';
import { forward } from './transformer';

export interface CompletionBatch {
  /** One image per row, [rows, S, S, 3]. */
  images: tf.Tensor4D;
  prompts: number[][];
  completions: number[][];
}

export interface TokenLogprobs {
  /** [rows, L]: log-prob of completion token j of each row (0 where masked). */
  logprobs: tf.Tensor2D;
  /** [rows, L]: 1 for real completion tokens, 0 for padding. */
  mask: tf.Tensor2D;
  /**
   * [rows, L]: entropy of the predicted distribution at each completion position (0 where masked). Made when
   * called, in the caller's scope: SFT and pretraining losses never read it, and an exp over [rows, L, vocab] is
   * a few percent of a step.
   */
  entropy(): tf.Tensor2D;
}

/** Call inside tf.tidy (or variableGrads): returns tensors owned by the caller's scope. */
export function completionLogprobs(policy: Policy, batch: CompletionBatch, temperature = 1): TokenLogprobs {
  const { config: c, tokenizer: tok, params } = policy;
  const text = buildTextBatch(batch.prompts, batch.completions, tok.id('pad'), c.maxTextLength);
  return logprobsFromLogits(policy, batch, text, forward(params, c, batch.images, text), temperature);
}

/** Columns of the completion tokens: the longest completion (at least 1). */
export const completionWidth = (batch: Pick<CompletionBatch, 'completions'>) => Math.max(1, ...batch.completions.map((x) => x.length));

/** Log-softmax [rows, L, V] of the predictions of completion tokens 0 … L − 1 from text logits [rows, T, V]. */
export function completionLogSoftmax(text: TextBatch, logits: tf.Tensor3D, L: number, temperature = 1): tf.Tensor3D {
  // Column promptWidth − 1 + j predicts completion token j; the text holds promptWidth + L columns, so all L fit.
  const cols = tf.slice(logits, [0, text.promptWidth - 1, 0], [logits.shape[0], L, logits.shape[2]]);
  return tf.logSoftmax(temperature > 0 && temperature !== 1 ? tf.div(cols, temperature) : cols) as tf.Tensor3D;
}

/** Completion log-probs from the text logits [rows, T, V] of `text` (the layout of `batch`). */
export function logprobsFromLogits(policy: Policy, batch: CompletionBatch, text: TextBatch, logits: tf.Tensor3D, temperature = 1): TokenLogprobs {
  const tok = policy.tokenizer;
  const rows = batch.prompts.length;
  const L = completionWidth(batch);
  const width = L;
  const logp = completionLogSoftmax(text, logits, L, temperature);
  const targets = new Int32Array(rows * width);
  const mask = new Float32Array(rows * L);
  batch.completions.forEach((comp, r) => {
    for (let j = 0; j < width; j++) targets[r * width + j] = comp[j] ?? tok.id('pad');
    for (let j = 0; j < comp.length; j++) mask[r * L + j] = 1;
  });
  const picked = pickTargets(logp, targets);
  const m = tf.tensor2d(mask, [rows, L]);
  return { logprobs: tf.mul(picked, m) as tf.Tensor2D, mask: m, entropy: () => tf.mul(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 2)), m) as tf.Tensor2D };
}

type Custom = Parameters<typeof tf.customGrad>[0];

/**
 * logp[r, j, targets[r · L + j]] of logp [rows, L, V] → [rows, L], differentiable. Where tensors live in host memory
 * (ops.ts onHostMemory) a loop picks the values and the adjoint puts the gradient back at the targets; on device
 * backends a one-hot product does both. The same numbers either way (a sum with exact zeros), without the
 * one-hot's [rows, L, V] tensor and its two products on WASM.
 */
export function pickTargets(logp: tf.Tensor3D, targets: Int32Array, onHost = onHostMemory()): tf.Tensor2D {
  const [rows, L, V] = logp.shape;
  if (targets.length !== rows * L) throw new Error(`pickTargets: ${targets.length} targets for ${rows} × ${L} positions`);
  if (!onHost) return tf.sum(tf.mul(logp, tf.oneHot(tf.tensor2d(targets, [rows, L], 'int32'), V)), 2) as tf.Tensor2D;
  const op = tf.customGrad(((x: tf.Tensor) => {
    const src = x.dataSync() as Float32Array;
    const out = new Float32Array(rows * L);
    for (let i = 0; i < out.length; i++) out[i] = src[i * V + targets[i]];
    return {
      value: tf.tensor2d(out, [rows, L]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dx = new Float32Array(rows * L * V);
        for (let i = 0; i < g.length; i++) dx[i * V + targets[i]] = g[i];
        return tf.tensor3d(dx, [rows, L, V]);
      },
    };
  }) as unknown as Custom);
  return op(logp) as tf.Tensor2D;
}
