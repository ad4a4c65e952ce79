/**
 * The typed message protocol between the page and the ML worker. Every request carries an id; the worker
 * answers each request with exactly one `result` or `error` carrying the same id, and may send events
 * (no id) at any time.
 */
import type { ModelBenchResult } from '../core/bench/modelBench';
import type { BackendName, BackendReport } from './backendChoice';
import type { PolicySummary } from './policyHost';

export type { PolicySummary };

export interface BackendCheckRow {
  backend: BackendName;
  ok: boolean;
  /** Why the backend could not run the probe. */
  error?: string;
  tokensMatch?: boolean;
  maxAbsDiff?: number;
  withinTolerance?: boolean;
  ms?: number;
}

export interface BackendCheckReport {
  reference: 'cpu';
  tolerance: number;
  rows: BackendCheckRow[];
  /** The backend active again after the check. */
  active: BackendName;
}

export type WorkerRequest =
  | { id: number; type: 'init-backend'; backend?: BackendName }
  | { id: number; type: 'memory' }
  | { id: number; type: 'backend-check'; backends: BackendName[] }
  | { id: number; type: 'model-bench'; config: 'tiny' | 'base'; uncached: boolean }
  | { id: number; type: 'policy-create'; config: 'tiny' | 'base' }
  /** Checkpoint bytes travel as a transferred ArrayBuffer. */
  | { id: number; type: 'policy-load'; bytes: ArrayBuffer; name: string }
  | { id: number; type: 'policy-save' }
  | { id: number; type: 'policy-summary' }
  /** Fetch a checkpoint by URL (the shipped base policy), reporting progress events. */
  | { id: number; type: 'policy-fetch'; url: string; name: string };

export interface ResultMap {
  'init-backend': BackendReport;
  memory: { numTensors: number; numBytes: number };
  'backend-check': BackendCheckReport;
  'model-bench': ModelBenchResult;
  'policy-create': PolicySummary;
  'policy-load': PolicySummary;
  'policy-save': { bytes: ArrayBuffer; name: string };
  'policy-summary': PolicySummary | null;
  'policy-fetch': PolicySummary;
}

export type WorkerResponse =
  | { id: number; type: 'result'; request: keyof ResultMap; value: ResultMap[keyof ResultMap] }
  | { id: number; type: 'error'; message: string };

/** Messages the worker sends on its own. */
export type WorkerEvent =
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'progress'; task: string; loaded: number; total: number | null };

export type FromWorker = WorkerResponse | WorkerEvent;

/** A request without its id, as callers write it. */
export type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
