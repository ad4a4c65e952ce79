/**
 * tfjs for Node scripts: the shared tfjs-core with every gradient registered (via @tensorflow/tfjs) and the
 * cpu and WASM backends. WASM is the fast one on this project's CPU-only machines.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { shareWasmIdentity } from '../src/core/model/wasmIdentity';

shareWasmIdentity();

export type NodeBackend = 'cpu' | 'wasm';

export async function useNodeBackend(name: NodeBackend): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to start`);
  await tf.ready();
}
