import { useState } from 'react';
import { addBundleModel, closeRunBundle, exportLaunchKit, exportRunBundle, importBundleDataset, openRunBundle, openRunBundleUrl, resumeFromBundle, useBundleStore } from '../../state/runBundles';
import { useTrainStore } from '../../state/trainStore';

/** Export the finished run as one zip, or open one read-only (curves, rollouts) and act on it. */
export function RunBundlePanel() {
  const { busy, error, open, notice } = useBundleStore();
  const canExport = useTrainStore((s) => !!s.run?.resultId && !s.run.bundle && (s.run.status === 'finished' || s.run.status === 'stopped'));
  const [withWeights, setWithWeights] = useState(true);
  const [url, setUrl] = useState('');
  // Shown while the Train view holds the bundle's run (a new run replaces it).
  const showing = useTrainStore((s) => s.run?.bundle);
  const m = open && showing === open.fileName ? open.manifest : undefined;
  return (
    <section className="card" aria-labelledby="bundle-title">
      <h2 id="bundle-title">Run bundle</h2>
      <p className="muted">One zip with a run’s settings, code version, data, every logged metric, its rollouts and (optionally) its trained weights: anyone can open it here and see the same curves and rollouts.</p>
      <div className="row">
        <button type="button" disabled={!canExport || busy} onClick={() => void exportRunBundle(withWeights)}>
          Export run bundle
        </button>
        <label>
          <input type="checkbox" checked={withWeights} onChange={(e) => setWithWeights(e.target.checked)} /> Include the trained weights
        </label>
        {!canExport && !open && <span className="muted">A finished run can be exported.</span>}
      </div>
      <div className="row">
        <label>
          Open a run bundle{' '}
          <input type="file" accept=".zip,application/zip" disabled={busy} onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void openRunBundle(f); }} />
        </label>
        <label>
          Bundle URL <input type="text" value={url} placeholder="runs/detection.bundle.zip" onChange={(e) => setUrl(e.target.value)} />
        </label>
        <button type="button" disabled={!url.trim() || busy} onClick={() => void openRunBundleUrl(url.trim())}>
          Open URL
        </button>
      </div>
      {error && (
        <p role="alert" aria-label="Bundle problem" className="notice notice-error">
          {error}
        </p>
      )}
      {m && (
        <div role="region" aria-label="Opened bundle">
          <p>
            <strong>{open?.fileName}</strong> (read-only): {m.run.name}, {m.run.method === 'grpo' ? 'RFT' : 'SFT'} on{' '}
            {m.run.data.kind === 'dataset' ? `dataset “${m.run.data.datasetName}”` : `world ${m.run.data.task} (${m.run.data.split})`}, {m.run.steps} steps, from {m.start.name} ({m.start.sha256.slice(0, 12)}…)
            {m.final ? ` to ${m.final.sha256.slice(0, 12)}…` : ''}; made by app {m.code.app}
            {m.code.commit ? ` at ${m.code.commit}` : ''} on {m.createdAt.slice(0, 10)}.
          </p>
          <div className="row">
            <button type="button" disabled={busy || !m.contents.finalWeights} onClick={() => void addBundleModel()}>
              Add its model to Models
            </button>
            <button type="button" disabled={busy || !m.contents.dataset} onClick={() => void importBundleDataset()}>
              Import its dataset
            </button>
            <button type="button" disabled={busy || !m.contents.finalWeights} onClick={() => void resumeFromBundle()}>
              Resume training from here
            </button>
            <button type="button" disabled={busy || !m.contents.dataset || m.run.method !== 'grpo'} onClick={() => void exportLaunchKit()}>
              Export launch kit (EasyR1, VLM-R1)
            </button>
            <button type="button" onClick={closeRunBundle}>
              Close bundle
            </button>
            {!m.contents.finalWeights && <span className="muted">Exported without weights: curves and rollouts only.</span>}
          </div>
        </div>
      )}
      {notice && (
        <p role="status" aria-label="Bundle notice">
          {notice}
        </p>
      )}
    </section>
  );
}
