/**
 * One optimisation step on a scalar loss: gradients of the trainable weights, global-norm clipping, and the
 * optimizer update; non-finite losses or gradients skip the update so the weights are never corrupted.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertGradientsRegistered } from '../model/ops';

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
export async function accumulatedGradientStep(lossFns: (() => tf.Scalar)[], vars: tf.Variable[], maxGradNorm: number, apply: (grads: tf.NamedTensorMap) => void): Promise<StepOutcome> {
  assertGradientsRegistered();
  let grads: tf.NamedTensorMap = {};
  let value: tf.Scalar | null = null;
  try {
    for (const lossFn of lossFns) {
      const part = tf.variableGrads(lossFn, vars);
      if (value === null) {
        value = part.value;
        grads = part.grads;
        continue;
      }
      const sum: tf.NamedTensorMap = {};
      for (const n of Object.keys(part.grads)) sum[n] = grads[n] ? tf.add(grads[n], part.grads[n]) : tf.clone(part.grads[n]);
      for (const n of Object.keys(grads)) if (!sum[n]) sum[n] = tf.clone(grads[n]);
      const total = tf.add(value, part.value) as tf.Scalar;
      tf.dispose([value, part.value, ...Object.values(grads), ...Object.values(part.grads)]);
      value = total;
      grads = sum;
    }
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
    if (value) value.dispose();
    tf.dispose(Object.values(grads));
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
