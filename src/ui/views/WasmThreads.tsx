import { useState } from 'react';
import { browserCores, chooseWasmThreads, reloadPage, savedWasmThreads, useBackendStore } from '../../state/backendStore';

/** WASM's thread count: the choice, what runs now, and why only one thread where that is the case. */
export function WasmThreads() {
  const { active, threads, threadsNote, threadsRequested, status } = useBackendStore();
  const [choice, setChoice] = useState(savedWasmThreads);
  const cores = browserCores();
  const options = [...new Set([1, 2, 4, 8, 16, cores])].filter((n) => n <= Math.max(16, cores)).sort((a, b) => a - b);
  return (
    <section className="card" aria-labelledby="threads-title">
      <h2 id="threads-title">WebAssembly threads</h2>
      <p className="muted">
        WASM computes on several threads where the page is cross-origin isolated. This browser reports {cores} {cores === 1 ? 'core' : 'cores'}.
      </p>
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
      <p role="status" aria-label="WASM threads in use">
        {status !== 'ready' ? 'Backend starting…' : active === 'wasm' ? `WASM runs on ${threads ?? 1} ${threads === 1 ? 'thread' : 'threads'}${threadsNote ? ` (${threadsNote})` : ''}.` : `The active backend is ${active}; the thread count applies to WASM.`}
      </p>
      {choice !== threadsRequested && (
        <p className="row">
          <span>WASM fixes its threads when it starts: the new count applies after a reload.</span>
          <button type="button" onClick={reloadPage}>
            Reload now
          </button>
        </p>
      )}
    </section>
  );
}
