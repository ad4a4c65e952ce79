/**
 * Starting a TensorFlow.js backend inside the worker, with a fallback chain and an honest reason for each
 * failure. A backend counts as working only after it computes a small matMul correctly: some WebGPU/WebGL
 * adapters register but produce garbage or hang on first use.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { type BackendAttempt, type BackendName, type BackendReport, type WasmParallel, backendCandidates } from './backendChoice';
import { configureGradientWorkers, gradientWorkerCount } from './gradientSettings';
import { shareWasmIdentity } from '../core/model/wasmIdentity';

shareWasmIdentity();

// The threaded WASM build breaks in a production bundle; the single-threaded SIMD build is used instead.
// The threaded SIMD build runs where the page is cross-origin isolated (tfjs checks that a SharedArrayBuffer can be
// posted, which isolation allows); elsewhere tfjs falls back to single-threaded SIMD by itself. In a production
// bundle it needs vite.config.ts selfContainedWasmThreads.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

function precheck(name: BackendName): string | null {
  const g = globalThis as unknown as { navigator?: { gpu?: unknown }; OffscreenCanvas?: unknown; WebAssembly?: unknown };
  if (name === 'webgpu' && !g.navigator?.gpu) return 'this browser does not expose WebGPU (navigator.gpu is missing)';
  if (name === 'webgl' && typeof g.OffscreenCanvas === 'undefined') return 'OffscreenCanvas is not available in workers here';
  if (name === 'wasm' && typeof g.WebAssembly === 'undefined') return 'WebAssembly is not available';
  return null;
}

async function selfTest(): Promise<string | null> {
  const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const b = tf.tensor2d([5, 6, 7, 8], [2, 2]);
  const c = tf.matMul(a, b);
  const got = Array.from(await c.data());
  tf.dispose([a, b, c]);
  const want = [19, 22, 43, 50];
  return got.every((v, i) => Math.abs(v - want[i]) < 1e-3) ? null : `self-test matMul gave ${got.join(', ')} instead of 19, 22, 43, 50`;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}

/**
 * Why WebGPU should not be picked automatically: a software (fallback) adapter, such as SwiftShader where no GPU
 * exists, runs a GRPO step some 50× slower than WASM (measured: 28–56 s against 0.5 s). Null for a real GPU.
 */
export async function softwareAdapterReason(): Promise<string | null> {
  const gpu = (globalThis as unknown as { navigator?: { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) return null;
  let adapter: AdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return null;
  }
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''} ${info.device ?? ''}`.toLowerCase();
  if (adapter.isFallbackAdapter || /swiftshader|llvmpipe|software|lavapipe/.test(text))
    return `the only WebGPU adapter is a software one (${text.trim() || 'fallback adapter'}), about 50× slower than WASM here; WASM runs instead (pick WebGPU by hand to use it anyway)`;
  return null;
}

async function tryBackend(name: BackendName, automatic: boolean): Promise<BackendAttempt> {
  const pre = precheck(name);
  if (pre) return { backend: name, ok: false, reason: pre };
  if (name === 'webgpu' && automatic) {
    const soft = await softwareAdapterReason();
    if (soft) return { backend: name, ok: false, reason: soft };
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return { backend: name, ok: false, reason: `${name} failed to initialise (no adapter or context)` };
    await tf.ready();
    const bad = await selfTest();
    return bad ? { backend: name, ok: false, reason: bad } : { backend: name, ok: true };
  } catch (e) {
    return { backend: name, ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

let wasmStarted = false;

/** WASM's threads once it runs, and why there is only one where the browser could give more. */
async function wasmThreads(): Promise<Pick<BackendReport, 'threads' | 'threadsNote'>> {
  const threads = getThreadsCount();
  const g = globalThis as unknown as { crossOriginIsolated?: boolean };
  if (threads > 1) return { threads };
  if (g.crossOriginIsolated === false) return { threads: 1, threadsNote: 'one thread: the page is not cross-origin isolated (its server does not send COOP same-origin and COEP require-corp), so the browser gives it no shared memory' };
  if (!(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) return { threads: 1, threadsNote: 'one thread: this browser does not run threaded WebAssembly here' };
  return { threads: 1 };
}

/**
 * Start the requested backend or the best working one after it. Throws only when none works. `threads` sets
 * WASM's thread count (default: the cores the browser reports); it applies when WASM first starts in this worker.
 */
export async function initBackend(requested?: BackendName, threads?: number, parallel: WasmParallel = 'threads'): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  if (!wasmStarted) {
    const cores = threads && threads > 0 ? threads : (globalThis.navigator?.hardwareConcurrency ?? 1);
    // Given to workers, the cores compute whole parts of each update (gradientPool.ts), WASM on one thread each.
    const n = parallel === 'workers' ? 1 : cores;
    configureGradientWorkers(parallel === 'workers' ? cores : 1);
    setThreadsCount(n);
    // tfjs caps its pool at half the logical cores it reads; vite.config.ts makes it read this instead.
    (globalThis as unknown as { __vrftLogicalCores?: number }).__vrftLogicalCores = 2 * n;
  }
  for (const name of backendCandidates(requested)) {
    const attempt = await tryBackend(name, requested === undefined);
    attempts.push(attempt);
    if (name === 'wasm' && attempt.ok) wasmStarted = true;
    if (attempt.ok) return { active: name, requested: requested ?? attempts[0].backend, attempts, ...(name === 'wasm' ? { ...(await wasmThreads()), workers: gradientWorkerCount() } : {}) };
  }
  throw new Error(`no TensorFlow.js backend works here: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`);
}
