/**
 * Backend state for the header: which TensorFlow.js backend runs in the worker, why earlier choices fell
 * back, and the action to switch. The UI reads this store and calls its actions; it never talks to the worker.
 */
import { create } from 'zustand';
import { loadSettings, saveSettings } from '../persist/settings';
import { BACKEND_LABELS, BACKEND_ORDER, type BackendName, type BackendAttempt, type WasmParallel } from '../worker/backendChoice';
import { mlWorker } from './workerClient';

export type { BackendName, WasmParallel };
export { BACKEND_LABELS, BACKEND_ORDER };

export interface BackendState {
  status: 'starting' | 'ready' | 'failed';
  active?: BackendName;
  /** The backend asked for: the user's choice, or automatic. */
  requested?: BackendName;
  automatic: boolean;
  /** Failed attempts before the active one, shown as the fallback notice. */
  fallbacks: BackendAttempt[];
  error?: string;
  noticeDismissed: boolean;
  /** WASM: the threads it runs on, and why only one. */
  threads?: number;
  threadsNote?: string;
  /** The thread count asked for when the worker started (0 = the cores the browser reports). */
  threadsRequested: number;
  /** Workers that compute each update (1 unless the threads go to workers). */
  workers?: number;
  /** How the threads were to be used when the worker started. */
  parallelRequested: WasmParallel;
}

export const useBackendStore = create<BackendState>(() => ({ status: 'starting', automatic: true, fallbacks: [], noticeDismissed: false, threadsRequested: 0, parallelRequested: 'workers' }));

async function start(requested: BackendName | undefined): Promise<void> {
  useBackendStore.setState({ status: 'starting', requested, automatic: requested === undefined, error: undefined, noticeDismissed: false });
  try {
    const threads = loadSettings().wasmThreads ?? 0;
    const parallel = savedWasmParallel();
    const report = await mlWorker().request({ type: 'init-backend', backend: requested, threads, parallel });
    useBackendStore.setState({ status: 'ready', active: report.active, requested: report.requested, fallbacks: report.attempts.filter((a) => !a.ok), threads: report.threads, threadsNote: report.threadsNote, workers: report.workers, threadsRequested: threads, parallelRequested: parallel });
  } catch (e) {
    useBackendStore.setState({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
  }
}

/** Start the preferred backend at app start (the saved choice, else automatic). */
export function initBackend(): Promise<void> {
  return start(loadSettings().backend);
}

/** Switch backend; `undefined` returns to automatic choice. The choice is remembered across reloads. */
export function chooseBackend(backend: BackendName | undefined): Promise<void> {
  saveSettings({ ...loadSettings(), backend });
  return start(backend);
}

/** The cores the browser reports (the default thread count). */
export const browserCores = (): number => globalThis.navigator?.hardwareConcurrency ?? 1;

/**
 * Choose WASM's thread count (0 = the cores the browser reports). WASM fixes its threads when it starts in the
 * worker, so the choice is saved and applies from the next page load (`reloadPage`).
 */
export function chooseWasmThreads(threads: number): void {
  saveSettings({ ...loadSettings(), wasmThreads: threads });
}

export const savedWasmThreads = (): number => loadSettings().wasmThreads ?? 0;

/** Give the threads to workers (each computing a share of every update) or to WASM in one worker; from the next load. */
export function chooseWasmParallel(parallel: WasmParallel): void {
  saveSettings({ ...loadSettings(), wasmParallel: parallel });
}

/**
 * Default: workers. Measured on a 2-core machine (bench suite threads): the base step at 0.65× the 1-thread time
 * with two workers against 0.76× with two WASM threads, and rollouts faster on one thread than on two.
 */
export const savedWasmParallel = (): WasmParallel => loadSettings().wasmParallel ?? 'workers';

export function reloadPage(): void {
  globalThis.location.reload();
}

export function dismissBackendNotice(): void {
  useBackendStore.setState({ noticeDismissed: true });
}
