/**
 * Small user preferences kept across reloads (localStorage; datasets and runs live in IndexedDB).
 * Reads never throw: a blocked or corrupt store yields the default.
 */
const KEY = 'vrft.settings.v1';

export interface Settings {
  /** The backend the user chose; undefined = automatic (best available). */
  backend?: 'webgpu' | 'wasm' | 'webgl' | 'cpu';
  /** WASM threads; undefined or 0 = the cores the browser reports. Applies when the page (its worker) starts. */
  wasmThreads?: number;
  /**
   * How the threads are used: 'threads' = one worker, WASM on that many threads; 'workers' = that many workers each
   * computing a share of every update, WASM on one thread each (gradientPool.ts). Undefined = 'workers'.
   */
  wasmParallel?: 'threads' | 'workers';
}

export function loadSettings(): Settings {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as unknown) : {};
    return typeof parsed === 'object' && parsed !== null ? (parsed as Settings) : {};
  } catch {
    return {};
  }
}

export function saveSettings(settings: Settings): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(settings));
  } catch {
    /* private mode or quota: the preference is simply not remembered */
  }
}
