/** tfjs backends for Node tests: the pure-JS cpu backend and the WASM backend (single-threaded SIMD). */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers every gradient (and the cpu backend) on the shared tfjs-core
import '@tensorflow/tfjs-backend-wasm';
import { shareWasmIdentity } from './wasmIdentity';

shareWasmIdentity();

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: (typeof NODE_BACKENDS)[number]): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
  await tf.ready();
}
