/**
 * Messages between the training worker and its gradient workers (gradientPool.ts, gradientWorker.ts), each with
 * the request id it answers. Arrays travel as transferred Float32Arrays; parameter maps as [name, values] pairs.
 */
import type { LossPart } from '../core/train/lossParts';

export type GradientWorkerRequest =
  /** Load the policy the run trains (checkpoint bytes) on WASM with one thread. */
  | { id: number; type: 'init'; checkpoint: ArrayBuffer }
  /** Take these weights, then compute these parts' gradients in order. */
  | { id: number; type: 'gradients'; weights: [string, Float32Array][]; parts: LossPart[] };

export interface GradientWorkerPart {
  loss: number;
  sums: number[];
  grads: [string, Float32Array][];
}

export type GradientWorkerReply = { id: number; type: 'ready' } | { id: number; type: 'gradients'; results: GradientWorkerPart[] } | { id: number; type: 'error'; message: string };
