/**
 * The typed message protocol between the page and the ML worker. Every request carries an id; the worker
 * answers each request with exactly one `result` or `error` carrying the same id, and may send events
 * (no id) at any time.
 */
import type { BackendName, BackendReport } from './backendChoice';

export type WorkerRequest =
  | { id: number; type: 'init-backend'; backend?: BackendName }
  | { id: number; type: 'memory' };

export interface ResultMap {
  'init-backend': BackendReport;
  memory: { numTensors: number; numBytes: number };
}

export type WorkerResponse =
  | { id: number; type: 'result'; request: keyof ResultMap; value: ResultMap[keyof ResultMap] }
  | { id: number; type: 'error'; message: string };

/** Messages the worker sends on its own. */
export type WorkerEvent = { type: 'log'; level: 'info' | 'warn'; message: string };

export type FromWorker = WorkerResponse | WorkerEvent;

/** A request without its id, as callers write it. */
export type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
