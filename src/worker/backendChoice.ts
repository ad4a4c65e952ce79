/**
 * The TensorFlow.js backends the app can run on, in order of preference (issue 2 §1): WebGPU first, then
 * WASM (the fast one on CPU-only machines), WebGL, and the plain CPU backend as the last resort.
 */
export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** How WASM's threads are used: 'threads' = one worker, WASM on that many threads; 'workers' = that many workers each
 * computing a share of every update, WASM on one thread each (gradientPool.ts). */
export type WasmParallel = 'threads' | 'workers';
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  wasm: 'WebAssembly',
  webgl: 'WebGL',
  cpu: 'CPU (JavaScript)',
};

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Why it failed, in words a user can act on. */
  reason?: string;
}

export interface BackendReport {
  active: BackendName;
  /** The backend the user asked for (or the first in order when they did not). */
  requested: BackendName;
  attempts: BackendAttempt[];
  /** WASM only: the threads it computes on. */
  threads?: number;
  /** WASM only: why it runs on one thread where more cores exist. */
  threadsNote?: string;
  /** Workers that compute each update (this one included; gradientPool.ts): 1 unless the cores go to workers. */
  workers?: number;
}

/** Candidates to try: the requested backend first, then the rest in preference order. */
export function backendCandidates(requested?: BackendName): BackendName[] {
  if (!requested) return [...BACKEND_ORDER];
  return [requested, ...BACKEND_ORDER.filter((b) => b !== requested)];
}
