/**
 * Differentiable building blocks with gradients that run fast on every backend.
 *  - matMul: tfjs's built-in gradient multiplies with transposeA/B flags, 10–17× slower on WASM than an
 *    explicit transpose followed by a plain matMul; this custom gradient uses the explicit form.
 *  - embed: WASM has no gather gradient (UnsortedSegmentSum); the forward pass gathers rows and the
 *    gradient is a one-hot matMul.
 *  - takeColumns: a gather by a fixed index runs as a loop where tensors live in host memory (WASM, CPU);
 *    WASM's GatherV2 kernel is slow at it.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core registers no gradients by itself. The host (worker, Node script, test) imports
 * `@tensorflow/tfjs`, which registers them on the same core; training calls this first to fail clearly.
 */
export function assertGradientsRegistered(): void {
  if (!tf.getGradient('Neg')) throw new Error('tfjs gradients are not registered: import "@tensorflow/tfjs" in the host before training');
}

function swapLast2(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  return tf.transpose(x, perm);
}

/** tf.customGrad's type takes variadic inputs; our functions name theirs. */
type Custom = Parameters<typeof tf.customGrad>[0];

const matMulFast = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy as tf.Tensor2D, swapLast2(sb) as tf.Tensor2D), tf.matMul(swapLast2(sa) as tf.Tensor2D, dy as tf.Tensor2D)];
    },
  };
}) as unknown as Custom);

/** a · b for 2-D or batched 3-D tensors (same batch), with a transpose-free gradient. */
export function matMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  return matMulFast(a, b) as T;
}

/**
 * x·W + b for x [n, in], W [in, out], b [out]. (tf.fused.matMul with the bias was measured slower on WASM than
 * a plain matMul and an add: 3.3 s vs 2.85 s per base training step.)
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(matMul(x, w), b) as tf.Tensor2D;
}

/**
 * Batched a [B, n, k] · b [B, k, m] as one depthwise convolution: each batch item becomes a channel, a's rows the
 * image rows, b the channel's 1×k filter with m outputs. On WASM, BatchMatMul with a batch dimension runs a naive
 * loop (about 2 GFLOP/s, a twelfth of its 2-D rate), while DepthwiseConv2dNative goes through XNNPACK: 2–4×
 * faster on attention's shapes, exact to float rounding. WASM has no depthwise gradient kernels, so the gradient
 * is two more of these products.
 */
function depthwiseBmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [batch, n, k] = a.shape;
  const m = b.shape[2];
  const input = tf.reshape(tf.transpose(a, [1, 2, 0]), [1, n, k, batch]) as tf.Tensor4D;
  const filter = tf.reshape(tf.transpose(b, [1, 0, 2]), [1, k, batch, m]) as tf.Tensor4D;
  return tf.transpose(tf.reshape(tf.depthwiseConv2d(input, filter, 1, 'valid'), [n, batch, m]), [1, 0, 2]);
}

const bmmDepthwise = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: depthwiseBmm(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor3D[];
      return [depthwiseBmm(dy as tf.Tensor3D, swapLast2(sb) as tf.Tensor3D), depthwiseBmm(swapLast2(sa) as tf.Tensor3D, dy as tf.Tensor3D)];
    },
  };
}) as unknown as Custom);

/**
 * Batched a [B, n, k] · b [B, k, m] (attention's products): depthwise-convolution form on WASM for whole
 * sequences, the plain transpose-free matMul for single-token decoding (there its three transposes cost more than
 * they save: 0.2 vs 0.3–0.5 ms per product) and on other backends (WebGL and WebGPU batch matMuls natively).
 */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return tf.getBackend() === 'wasm' && a.shape[1] >= 8 ? (bmmDepthwise(a, b) as tf.Tensor3D) : matMul(a, b);
}

/** a · bᵀ with an explicit transpose (never the slow flag). */
export function matMulT<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  return matMul(a, swapLast2(b) as T);
}

/** Rows of `table` [V, d] for integer `ids` (any shape) → [...ids.shape, d]; gradient flows to the table only. */
export function embed(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const flat = tf.reshape(ids, [-1]) as tf.Tensor1D;
  const [vocab, d] = table.shape;
  const f = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    save([flat]);
    return {
      value: tf.gather(t, flat),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const oneHotT = tf.transpose(tf.cast(tf.oneHot(saved[0] as tf.Tensor1D, vocab), 'float32')) as tf.Tensor2D; // [V, n]
        return [tf.matMul(oneHotT, dy as tf.Tensor2D)];
      },
    };
  }) as unknown as Custom);
  return tf.reshape(f(table), [...ids.shape, d]);
}

/**
 * A fixed gather index: the values (one per output element) and, made once when a device backend first needs it,
 * the same values as a kept tensor.
 */
export class FlatIndex {
  private device: tf.Tensor1D | null = null;
  constructor(
    readonly values: Int32Array,
    /** Size of the flattened source it indexes. */
    readonly sourceSize: number,
  ) {}
  tensor(): tf.Tensor1D {
    if (!this.device || this.device.isDisposed) this.device = tf.keep(tf.tensor1d(this.values, 'int32'));
    return this.device;
  }
}

/**
 * Whether the active backend keeps tensors in host memory (WASM, CPU), where a synchronous read is a copy, not a
 * stall: there, pure data movement (gathers by a fixed index) runs as a loop over the values, since tfjs WASM's
 * GatherV2 moves only ~10 M elements/s (the box pointer's two gathers took 73 ms of a 770 ms base training part).
 * On WebGL and WebGPU it stays a kernel on the device. Both give the same numbers.
 */
export const onHostMemory = () => tf.env().getBool(HOST_LOOPS_FLAG) && ['wasm', 'cpu'].includes(tf.getBackend());

/** The tfjs flag that turns the host loops off (default on): the benchmark's A/B, and a way out should one misbehave. */
export const HOST_LOOPS_FLAG = 'VRFT_HOST_LOOPS';
tf.env().registerFlag(HOST_LOOPS_FLAG, () => true);

/**
 * The columns `order` names (its values; its source size is the row width) of every row of x [rows, width] →
 * [rows, order.values.length], for data that needs no gradient (images, features): a host loop or a device
 * gather (onHostMemory). `onHost` picks the path (tests run both on one backend).
 */
export function takeColumns(x: tf.Tensor2D, order: FlatIndex, onHost = onHostMemory()): tf.Tensor2D {
  const [rows, width] = x.shape;
  if (width !== order.sourceSize) throw new Error(`takeColumns: the order is for rows of ${order.sourceSize}, the tensor's are ${width}`);
  const cols = order.values;
  const K = cols.length;
  if (!onHost) return tf.gather(x, order.tensor(), 1);
  const src = x.dataSync() as Float32Array;
  const out = new Float32Array(rows * K);
  for (let r = 0; r < rows; r++) {
    const from = r * width;
    for (let k = 0; k < K; k++) out[r * K + k] = src[from + cols[k]];
  }
  return tf.tensor2d(out, [rows, K]);
}

/** LayerNorm through autodiff: the reference the fast version is tested against. */
export function layerNormReference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const axis = x.rank - 1;
  const mean = tf.mean(x, axis, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axis, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

const layerNormFast = tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
  const axis = x.rank - 1;
  const centered = tf.sub(x, tf.mean(x, axis, true));
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), axis, true), 1e-5));
  const xhat = tf.mul(centered, rstd);
  save([xhat, rstd, gamma]);
  return {
    value: tf.add(tf.mul(xhat, gamma), beta),
    // Closed form: dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)) with g = dy · γ; a handful of element-wise ops
    // and two saved tensors, where autodiff keeps every intermediate of the forward pass.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sxhat, srstd, sgamma] = saved;
      const lead = dy.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const d = dy.shape[dy.rank - 1];
      const dy2 = tf.reshape(dy, [lead, d]);
      const xhat2 = tf.reshape(sxhat, [lead, d]);
      const g = tf.mul(dy2, sgamma);
      const dx = tf.mul(tf.sub(tf.sub(g, tf.mean(g, 1, true)), tf.mul(xhat2, tf.mean(tf.mul(g, xhat2), 1, true))), tf.reshape(srstd, [lead, 1]));
      return [tf.reshape(dx, dy.shape), tf.sum(tf.mul(dy2, xhat2), 0), tf.sum(dy2, 0)];
    },
  };
}) as unknown as Custom);

/** LayerNorm over the last axis (eps 1e-5), with a closed-form gradient. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  return layerNormFast(x, gamma, beta);
}

/**
 * GELU, sigmoid approximation x·σ(1.702x). Chosen over the tanh form for speed and memory: it keeps three
 * activation-sized intermediates for the backward pass instead of eight, and the element-wise work is a large
 * share of a step on WASM.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(tf.mul(x, 1.702)));
}

/** Log-softmax over the last axis, stable. */
export function logSoftmax(x: tf.Tensor): tf.Tensor {
  return tf.logSoftmax(x);
}
