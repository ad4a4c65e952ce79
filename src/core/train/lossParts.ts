/**
 * A micro-batch's loss as plain data (arrays, no tensors): what another worker needs to compute the same part's
 * gradients with the same code. The update of an SFT or GRPO step is a sum over such parts (gradients.ts
 * accumulatedGradientStep); a `GradientHelper` computes some of them in other workers while this one computes
 * the rest (data parallelism: every kernel of the step runs on another core, where WASM's threads reach only
 * its matMuls). Each part is built into tensors by `partLoss` on whichever side computes it, so a part gives
 * the same loss and gradients wherever it runs, and the parts are summed in their order (docs/design.md §4, gradient workers).
 */
import * as tf from '@tensorflow/tfjs-core';
import { visualShape } from '../model/config';
import { completionLogprobs } from '../model/logprobs';
import type { ParamName } from '../model/params';
import type { Policy } from '../model/policy';
import type { GrpoConfig } from './grpoConfig';
import { type WholeBatch, aggregateLoss, perTokenLoss } from './grpoLoss';
import { sftLoss } from './sftStep';

/** The GRPO settings a part's loss reads. */
export type GrpoLossSettings = Pick<GrpoConfig, 'temperature' | 'beta' | 'epsilonLow' | 'epsilonHigh' | 'lossType' | 'maxCompletionLength'>;

interface PartRows {
  /** The rows' visual inputs, flattened ([rows, ...visualShape]). */
  images: Float32Array;
  prompts: number[][];
  completions: number[][];
}

export type LossPart =
  | (PartRows & { kind: 'sft'; wholeTokens: number })
  | (PartRows & {
      kind: 'grpo';
      /** [rows, L] sampling-time log-probs (L = the longest completion of the part), 0 past a row's end. */
      oldLogp: Float32Array;
      /** [rows, L] the reference's log-probs, or null without a KL term. */
      refLogp: Float32Array | null;
      advantages: Float32Array;
      whole: WholeBatch;
      settings: GrpoLossSettings;
    });

/** What a part computed elsewhere comes back as: its loss, its metric sums and its gradients by parameter name. */
export interface PartResult {
  loss: number;
  /** GRPO: token sums of KL, entropy and clipping (in that order); SFT: none. */
  sums: number[];
  grads: Map<ParamName, Float32Array>;
}

/** Computes parts' gradients in other workers with the given weights, results in the parts' order. */
export interface GradientHelper {
  /** How many workers compute parts (this one not counted). */
  readonly workers: number;
  gradients(weights: Map<ParamName, Float32Array>, parts: LossPart[]): Promise<PartResult[]>;
}

/**
 * The part's loss on `policy`, to be called inside a gradient tape: its input tensors are made from the data
 * here. `sums` are kept (tf.keep) for the caller to read and dispose.
 */
export function partLoss(policy: Policy, part: LossPart): { loss: tf.Scalar; sums: tf.Scalar[] } {
  const rows = part.completions.length;
  const images = tf.tensor4d(part.images, [rows, ...visualShape(policy.config)]);
  const batch = { images, prompts: part.prompts, completions: part.completions };
  if (part.kind === 'sft') return { loss: sftLoss(policy, batch, part.wholeTokens), sums: [] };
  const L = Math.max(...part.completions.map((c) => c.length));
  const s = part.settings;
  const { logprobs, mask, entropy } = completionLogprobs(policy, batch, s.temperature);
  const refLogp = part.refLogp ? tf.tensor2d(part.refLogp, [rows, L]) : null;
  const { loss, kl, clipped } = perTokenLoss({ logp: logprobs, oldLogp: tf.tensor2d(part.oldLogp, [rows, L]), refLogp, advantages: tf.tensor1d(part.advantages) }, s);
  const total = (t: tf.Tensor) => tf.keep(tf.sum(tf.mul(t, mask)) as tf.Scalar);
  return { loss: aggregateLoss(loss, mask, s.lossType, s.maxCompletionLength, part.whole), sums: [kl ? total(kl) : tf.keep(tf.scalar(0)), total(entropy()), total(clipped)] };
}

/** One part's loss, sums and gradients of `policy`'s trainable weights, as data (a helper worker's job). */
export async function partGradients(policy: Policy, part: LossPart): Promise<PartResult> {
  let sums: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const out = partLoss(policy, part);
    sums = out.sums;
    return out.loss;
  }, policy.params.trainable);
  try {
    const names = policy.params.nameMap();
    const out = new Map<ParamName, Float32Array>();
    for (const [k, g] of Object.entries(grads)) out.set(names.get(k) ?? (k as ParamName), (await g.data()) as Float32Array);
    return { loss: (await value.data())[0], sums: await Promise.all(sums.map(async (t) => (await t.data())[0])), grads: out };
  } finally {
    tf.dispose([value, ...sums, ...Object.values(grads)]);
  }
}

/** How many of `count` parts stay here when `helpers` other workers take the rest: an equal share, ours first. */
export function localShare(count: number, helpers: number): number {
  return helpers > 0 ? Math.max(1, Math.ceil(count / (helpers + 1))) : count;
}

/**
 * A helper worker's whole job: take the sender's weights (by parameter name), then compute the parts in order.
 * Each part's gradients are its own (not summed here), so the sender adds them in the one order.
 */
export async function computeParts(policy: Policy, weights: Map<ParamName, Float32Array>, parts: LossPart[]): Promise<PartResult[]> {
  for (const [name, values] of weights) {
    const v = policy.params.get(name);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  }
  const out: PartResult[] = [];
  for (const part of parts) out.push(await partGradients(policy, part));
  return out;
}
