/**
 * tfjs WASM's Identity kernel copies its input into new memory. The engine calls it for every tensor a gradient
 * saves for the backward pass (engine.clone: matMul's and LayerNorm's inputs, every element-wise op's), some 380
 * copies per base training part, 4–6 % of its time. Tensors never change in place (a variable's assign swaps its
 * data, it does not write into it), so a clone may share its input's memory, counted by reference as WASM's own
 * Reshape does and as tfjs's CPU backend's Identity does. The host calls this once after importing the WASM backend
 * (its import registers the copying kernel, which this replaces). Strings keep the copy.
 */
import * as tf from '@tensorflow/tfjs-core';

interface RefCounting {
  incRef(dataId: object): void;
}

let copying: tf.KernelConfig | undefined;

/** Make WASM's Identity share memory (idempotent; a no-op where the WASM backend was not imported). */
export function shareWasmIdentity(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current || current === shared) return;
  copying = current;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(shared);
}

/** Back to tfjs's copying kernel (the benchmark's A/B). */
export function copyWasmIdentity(): void {
  if (!copying || tf.getKernel('Identity', 'wasm') !== shared) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(copying);
}

const shared: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return copying!.kernelFunc(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
