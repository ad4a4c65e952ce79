import { useState } from 'react';
import { type WasmParallel, browserCores, chooseWasmParallel, chooseWasmThreads, reloadPage, savedWasmParallel, savedWasmThreads, useBackendStore } from '../../state/backendStore';

/** WASM's thread count: the choice, what runs now, and why only one thread where that is the case. */
export function WasmThreads() {
  const { active, threads, threadsNote, threadsRequested, status, workers, parallelRequested } = useBackendStore();
  const [choice, setChoice] = useState(savedWasmThreads);
  const [parallel, setParallel] = useState(savedWasmParallel);
  const cores = browserCores();
  const options = [...new Set([1, 2, 4, 8, 16, cores])].filter((n) => n <= Math.max(16, cores)).sort((a, b) => a - b);
  return (
    <section className="card" aria-labelledby="threads-title">
      <h2 id="threads-title">WebAssembly threads</h2>
      <p className="muted">
        Training uses as many cores as you choose here: by default as gradient workers, or as WASM threads in one worker where the page is cross-origin isolated. This browser reports {cores} {cores === 1 ? 'core' : 'cores'}.
      </p>
      <div className="row">
        <label>
          WASM threads{' '}
          <select
            aria-label="WASM threads"
            value={choice}
            onChange={(e) => {
              const n = Number(e.target.value);
              setChoice(n);
              chooseWasmThreads(n);
            }}
          >
            <option value={0}>Automatic ({cores})</option>
            {options.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Use the threads as{' '}
          <select
            aria-label="Use the threads as"
            value={parallel}
            onChange={(e) => {
              const p = e.target.value as WasmParallel;
              setParallel(p);
              chooseWasmParallel(p);
            }}
          >
            <option value="threads">WASM threads in one worker</option>
            <option value="workers">Workers, each computing a share of every update</option>
          </select>
        </label>
      </div>
      <p className="muted">
        WASM's own threads speed up its matrix products only. Workers each compute whole micro-batches of a training update (every kernel, on its own core) and give the same result; each holds a copy of the policy.
      </p>
      <p role="status" aria-label="WASM threads in use">
        {status !== 'ready'
          ? 'Backend starting…'
          : active === 'wasm'
            ? workers && workers > 1
              ? `Training updates run on ${workers} workers, WASM on one thread each.`
              : `WASM runs on ${threads ?? 1} ${threads === 1 ? 'thread' : 'threads'}${threadsNote ? ` (${threadsNote})` : ''}.`
            : `The active backend is ${active}; the thread count applies to WASM.`}
      </p>
      {(choice !== threadsRequested || parallel !== parallelRequested) && (
        <p className="row">
          <span>WASM fixes its threads when it starts: the new setting applies after a reload.</span>
          <button type="button" onClick={reloadPage}>
            Reload now
          </button>
        </p>
      )}
    </section>
  );
}
