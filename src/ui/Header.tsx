import { BACKEND_LABELS, BACKEND_ORDER, type BackendName, chooseBackend, dismissBackendNotice, useBackendStore } from '../state/backendStore';
import { usePolicyStore } from '../state/modelsStore';

function PolicyBadge() {
  const { status, summary, progress } = usePolicyStore();
  const pct = progress?.total ? ` ${Math.round((100 * progress.loaded) / progress.total)}%` : '';
  const text = progress ? `loading${pct}` : summary ? `${summary.name} (${(summary.parameters / 1e6).toFixed(2)}M)` : status === 'failed' ? 'not loaded' : 'none';
  return (
    <span className={`badge badge-${summary ? 'ready' : status}`} role="status" aria-label="Policy">
      Policy: <strong>{text}</strong>
    </span>
  );
}

function BackendBadge() {
  const { status, active, error, threads, threadsNote, workers } = useBackendStore();
  const text = status === 'starting' ? 'starting…' : status === 'failed' ? 'unavailable' : BACKEND_LABELS[active as BackendName];
  return (
    <span className={`badge badge-${status}`} role="status" aria-label="TensorFlow.js backend" title={error ?? threadsNote}>
      Backend: <strong data-testid="backend-name">{status === 'ready' ? active : text}</strong>
      {status === 'ready' && active === 'wasm' && threads !== undefined && <span> · {workers && workers > 1 ? `${workers} workers` : threads === 1 ? '1 thread' : `${threads} threads`}</span>}
      {status === 'ready' && <span className="badge-detail"> ({text})</span>}
    </span>
  );
}

function BackendNotice() {
  const { status, active, fallbacks, noticeDismissed, error } = useBackendStore();
  if (status === 'failed') {
    return (
      <div className="notice notice-error" role="alert">
        No TensorFlow.js backend could start, so training and inference are unavailable. {error}
      </div>
    );
  }
  if (status !== 'ready' || fallbacks.length === 0 || noticeDismissed) return null;
  return (
    <div className="notice" role="alert" aria-label="Backend fallback">
      <span>
        Running on <strong>{BACKEND_LABELS[active as BackendName]}</strong> because{' '}
        {fallbacks.map((f, i) => (
          <span key={f.backend}>
            {i > 0 && '; '}
            {BACKEND_LABELS[f.backend]} is unavailable: {f.reason}
          </span>
        ))}
        . You can pick another backend in the header.
      </span>
      <button type="button" onClick={dismissBackendNotice} aria-label="Dismiss backend notice">
        Dismiss
      </button>
    </div>
  );
}

function BackendPicker() {
  const { status, automatic, active } = useBackendStore();
  const value = automatic ? 'auto' : (active ?? 'auto');
  return (
    <label className="picker">
      Backend
      <select
        aria-label="Choose backend"
        value={value}
        disabled={status === 'starting'}
        onChange={(e) => void chooseBackend(e.target.value === 'auto' ? undefined : (e.target.value as BackendName))}
      >
        <option value="auto">Automatic (best available)</option>
        {BACKEND_ORDER.map((b) => (
          <option key={b} value={b}>
            {BACKEND_LABELS[b]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Header() {
  return (
    <header className="header">
      <div className="brand">
        <h1>Visual-RFT Workbench</h1>
        <span className="tagline">few-shot vision fine-tuning with GRPO and verifiable rewards, in your browser</span>
      </div>
      <div className="header-controls">
        <PolicyBadge />
        <BackendBadge />
        <BackendPicker />
      </div>
      <BackendNotice />
    </header>
  );
}
