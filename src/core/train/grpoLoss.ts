/**
 * The GRPO objective (docs/design.md §4), in small pure parts tested against hand-computed values:
 * group-normalised advantages, the clipped per-token surrogate with the k3 KL penalty, and the four
 * aggregations of per-token losses.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossType, ScaleRewards } from './grpoConfig';

const EPS = 1e-4;

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Unbiased standard deviation (n − 1), as torch.std. */
export function unbiasedStd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** A_i = (r_i − mean of its group) / (std + 1e-4); rewards are grouped in consecutive runs of G. */
export function groupAdvantages(rewards: number[], G: number, scale: ScaleRewards): number[] {
  if (rewards.length % G !== 0) throw new Error(`${rewards.length} rewards do not form groups of ${G}`);
  const batchStd = unbiasedStd(rewards);
  const out: number[] = [];
  for (let g = 0; g < rewards.length; g += G) {
    const group = rewards.slice(g, g + G);
    const m = mean(group);
    const std = scale === 'group' ? unbiasedStd(group) : batchStd;
    for (const r of group) out.push(scale === 'none' ? r - m : (r - m) / (std + EPS));
  }
  return out;
}

/** Fraction of groups whose rewards are all equal (no learning signal): TRL's frac_reward_zero_std. */
export function fracZeroStd(rewards: number[], G: number): number {
  let zero = 0;
  for (let g = 0; g < rewards.length; g += G) if (unbiasedStd(rewards.slice(g, g + G)) === 0) zero++;
  return zero / (rewards.length / G);
}

export interface TokenLossInputs {
  /** [B, L] log-probs under the policy being trained (differentiable). */
  logp: tf.Tensor2D;
  /** [B, L] log-probs under the policy that sampled the batch. */
  oldLogp: tf.Tensor2D;
  /** [B, L] log-probs under the frozen reference (ignored when β = 0). */
  refLogp: tf.Tensor2D | null;
  /** [B] advantages. */
  advantages: tf.Tensor1D;
}

export interface TokenLossConfig {
  beta: number;
  epsilonLow: number;
  epsilonHigh: number;
}

/**
 * ℓ = −min(ρ·A, clip(ρ, 1−ε_low, 1+ε_high)·A) + β·(exp(ref − logp) − (ref − logp) − 1), per token [B, L].
 * Also returns the k3 KL per token and where clipping was active (for metrics).
 */
export function perTokenLoss(x: TokenLossInputs, c: TokenLossConfig): { loss: tf.Tensor2D; kl: tf.Tensor2D | null; clipped: tf.Tensor2D } {
  const ratio = tf.exp(tf.sub(x.logp, x.oldLogp));
  const adv = tf.expandDims(x.advantages, 1);
  const unclipped = tf.mul(ratio, adv);
  const clippedRatio = tf.clipByValue(ratio, 1 - c.epsilonLow, 1 + c.epsilonHigh);
  const surrogate = tf.minimum(unclipped, tf.mul(clippedRatio, adv));
  let loss = tf.neg(surrogate) as tf.Tensor2D;
  let kl: tf.Tensor2D | null = null;
  if (c.beta !== 0 && x.refLogp) {
    const d = tf.sub(x.refLogp, x.logp);
    kl = tf.sub(tf.sub(tf.exp(d), d), 1) as tf.Tensor2D;
    loss = tf.add(loss, tf.mul(kl, c.beta)) as tf.Tensor2D;
  }
  // Clipping is active where the clipped term is the smaller one: ratio outside the range on the side of A.
  const low = tf.logicalAnd(tf.less(ratio, 1 - c.epsilonLow), tf.less(adv, 0));
  const high = tf.logicalAnd(tf.greater(ratio, 1 + c.epsilonHigh), tf.greater(adv, 0));
  const clipped = tf.cast(tf.logicalOr(low, high), 'float32') as tf.Tensor2D;
  return { loss, kl, clipped };
}

/** The whole step's batch, when a loss is computed over one micro-batch of it: its rows and completion tokens. */
export interface WholeBatch {
  rows: number;
  tokens: number;
}

/**
 * Aggregate per-token losses [B, L] with a mask [B, L]:
 *  grpo: mean over sequences of each sequence's token mean; bnpo: Σ mask·ℓ / Σ mask;
 *  dr_grpo: Σ mask·ℓ / (B · maxCompletionLength); dapo: Σ mask·ℓ / (tokens of the whole step).
 * Given `whole`, the rows are one micro-batch of that batch and the result is their share of the batch's loss
 * (the normalisers are the batch's), so the shares of all micro-batches sum to the loss of the batch at once.
 * Without it the rows are the whole batch (and dapo's step tokens are the mask's).
 */
export function aggregateLoss(loss: tf.Tensor2D, mask: tf.Tensor2D, type: LossType, maxCompletionLength: number, whole?: WholeBatch): tf.Scalar {
  const masked = tf.mul(loss, mask);
  const rows = whole?.rows ?? loss.shape[0];
  const tokens = () => (whole ? Math.max(1, whole.tokens) : tf.maximum(tf.sum(mask), 1));
  switch (type) {
    case 'grpo':
      return tf.div(tf.sum(tf.div(tf.sum(masked, 1), tf.maximum(tf.sum(mask, 1), 1))), rows);
    case 'bnpo':
    case 'dapo':
      return tf.div(tf.sum(masked), tokens());
    case 'dr_grpo':
      return tf.div(tf.sum(masked), rows * maxCompletionLength);
  }
}
