/**
 * One optimisation step on a scalar loss: gradients of the trainable weights, global-norm clipping, and the
 * optimizer update; non-finite losses or gradients skip the update so the weights are never corrupted.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertGradientsRegistered } from '../model/ops';
import type { Policy } from '../model/policy';
import { type GradientHelper, type LossPart, type PartResult, localShare, partGradients, partLoss } from './lossParts';

export interface StepOutcome {
  loss: number;
  gradNorm: number;
  /** False when the loss or a gradient was NaN/Infinity: the weights were left unchanged. */
  applied: boolean;
}

/**
 * Gradients of the loss with clipping, handed to `apply` (named by variable) unless non-finite. Asynchronous: the
 * loss and the norm are read with `data()`, since synchronous reads are slow on WebGPU and fail on some adapters.
 */
export function gradientStep(lossFn: () => tf.Scalar, vars: tf.Variable[], maxGradNorm: number, apply: (grads: tf.NamedTensorMap) => void): Promise<StepOutcome> {
  return accumulatedGradientStep([lossFn], vars, maxGradNorm, apply);
}

/**
 * The same step over a batch taken in parts: each loss is one micro-batch's share of the whole batch's loss (so
 * they sum to it), its gradients are computed and added before the next part runs, and clipping and the update
 * see the sum. Only one part's activations are alive at a time, so the peak memory is a part's, not the batch's.
 */
export async function accumulatedGradientStep(
  lossFns: (() => tf.Scalar)[],
  vars: tf.Variable[],
  maxGradNorm: number,
  apply: (grads: tf.NamedTensorMap) => void,
  later?: () => Promise<{ loss: number; grads: tf.NamedTensorMap }[]>,
): Promise<StepOutcome> {
  assertGradientsRegistered();
  const acc: { value: tf.Scalar | null; grads: tf.NamedTensorMap } = { value: null, grads: {} };
  const add = (part: { value: tf.Scalar; grads: tf.NamedTensorMap }) => {
    const { value, grads } = acc;
    if (value === null) {
      acc.value = part.value;
      acc.grads = part.grads;
      return;
    }
    const sum: tf.NamedTensorMap = {};
    for (const n of Object.keys(part.grads)) sum[n] = grads[n] ? tf.add(grads[n], part.grads[n]) : tf.clone(part.grads[n]);
    for (const n of Object.keys(grads)) if (!sum[n]) sum[n] = tf.clone(grads[n]);
    acc.value = tf.add(value, part.value) as tf.Scalar;
    tf.dispose([value, part.value, ...Object.values(grads), ...Object.values(part.grads)]);
    acc.grads = sum;
  };
  try {
    for (const lossFn of lossFns) add(tf.variableGrads(lossFn, vars));
    // Parts computed elsewhere (meanwhile) are added after ours, in their order: the sum a single worker makes.
    if (later) for (const r of await later()) add({ value: tf.scalar(r.loss), grads: r.grads });
    const { value, grads } = acc;
    if (value === null) throw new Error('accumulatedGradientStep: no loss to differentiate');
    const names = Object.keys(grads);
    const normT = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))));
    const [gradNorm, loss] = await Promise.all([normT.data(), value.data()]).then(([n, l]) => [n[0], l[0]]);
    normT.dispose();
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) return { loss, gradNorm, applied: false };
    const scale = maxGradNorm > 0 && gradNorm > maxGradNorm ? maxGradNorm / gradNorm : 1;
    const clipped: tf.NamedTensorMap = {};
    for (const n of names) clipped[n] = scale === 1 ? grads[n] : tf.mul(grads[n], scale);
    apply(clipped);
    if (scale !== 1) for (const n of names) clipped[n].dispose();
    return { loss, gradNorm, applied: true };
  } finally {
    acc.value?.dispose();
    tf.dispose(Object.values(acc.grads));
  }
}

/**
 * The update over parts given as data (lossParts.ts): the first share computed here while `helper`'s workers
 * compute the rest with the same weights, all summed in the parts' order, so the step equals the one-worker step.
 * A helper that fails leaves its parts to be computed here. `sums` holds each part's metric sums, in order;
 * `elsewhere` counts the parts the helper computed; `waitedMs` is how long this worker waited for them after its
 * own (the imbalance and transfer a shared step pays; 0 without a helper).
 */
export async function partsGradientStep(
  policy: Policy,
  parts: LossPart[],
  maxGradNorm: number,
  apply: (grads: tf.NamedTensorMap) => void,
  helper?: GradientHelper | null,
): Promise<StepOutcome & { sums: number[][]; elsewhere: number; waitedMs: number }> {
  const vars = policy.params.trainable;
  const here = localShare(parts.length, helper?.workers ?? 0);
  const names = policy.params.nameMap();
  const byParam = new Map([...names].map(([v, p]) => [p, v]));
  const shapes = new Map(vars.map((v) => [v.name, v.shape]));
  let elsewhere: Promise<PartResult[]> | null = null;
  let computedElsewhere = 0;
  if (helper && here < parts.length) {
    const weights = new Map<string, Float32Array>();
    for (const v of vars) weights.set(names.get(v.name)!, (await v.data()) as Float32Array);
    const away = parts.slice(here);
    elsewhere = helper.gradients(weights, away).then(
      (r) => {
        computedElsewhere = r.length;
        return r;
      },
      async () => {
        const out: PartResult[] = [];
        for (const part of away) out.push(await partGradients(policy, part));
        return out;
      },
    );
  }
  const kept: tf.Scalar[][] = [];
  const lossFns = parts.slice(0, elsewhere ? here : parts.length).map((part) => () => {
    const { loss, sums } = partLoss(policy, part);
    kept.push(sums);
    return loss;
  });
  let remoteSums: number[][] = [];
  let waitedMs = 0;
  try {
    const out = await accumulatedGradientStep(
      lossFns,
      vars,
      maxGradNorm,
      apply,
      elsewhere
        ? async () => {
            const t0 = performance.now();
            const results = await elsewhere;
            waitedMs = performance.now() - t0;
            remoteSums = results.map((r) => r.sums);
            return results.map((r) => ({
              loss: r.loss,
              grads: Object.fromEntries([...r.grads].map(([p, g]) => [byParam.get(p)!, tf.tensor(g, shapes.get(byParam.get(p)!))])),
            }));
          }
        : undefined,
    );
    const localSums = await Promise.all(kept.map((ts) => Promise.all(ts.map(async (t) => (await t.data())[0]))));
    return { ...out, sums: [...localSums, ...remoteSums], elsewhere: computedElsewhere, waitedMs };
  } finally {
    tf.dispose(kept.flat());
  }
}

/** [from, to) row ranges of `size` rows each (the last may be shorter); size 0 = all rows at once. */
export function microBatches(rows: number, size: number): [number, number][] {
  const step = size > 0 ? size : rows;
  const out: [number, number][] = [];
  for (let from = 0; from < rows; from += step) out.push([from, Math.min(rows, from + step)]);
  return out;
}

/** One step with a tfjs optimizer. */
export function optimiseStep(lossFn: () => tf.Scalar, vars: tf.Variable[], optimizer: tf.Optimizer, maxGradNorm: number): Promise<StepOutcome> {
  return gradientStep(lossFn, vars, maxGradNorm, (g) => optimizer.applyGradients(g));
}
