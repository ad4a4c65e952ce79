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
export async function gradientStep(lossFn: () => tf.Scalar, vars: tf.Variable[], maxGradNorm: number, apply: (grads: tf.NamedTensorMap) => void): Promise<StepOutcome> {
  assertGradientsRegistered();
  const { value, grads } = tf.variableGrads(lossFn, vars);
  try {
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
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

/** One step with a tfjs optimizer. */
export function optimiseStep(lossFn: () => tf.Scalar, vars: tf.Variable[], optimizer: tf.Optimizer, maxGradNorm: number): Promise<StepOutcome> {
  return gradientStep(lossFn, vars, maxGradNorm, (g) => optimizer.applyGradients(g));
}
