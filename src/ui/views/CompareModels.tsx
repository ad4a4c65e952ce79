import { useEffect } from 'react';
import { BASE_ID, refreshCheckpoints, useCheckpointsStore } from '../../state/checkpointsStore';
import { type CompareExample, type CompareSort, type CompareSource, type ModelResult, ERROR_TYPES, addPredictionsFile, cancelCompare, downloadComparison, exampleCategory, exampleOrder, loadSamplesFile, runCompare, setCompare, useCompareStore } from '../../state/compareStore';
import { refreshDatasets, useDatasetsStore } from '../../state/datasetStore';
import { explainFrom } from '../../state/explainStore';
import { BoxPicture } from './BoxPicture';

const COLORS = ['#1d6fb8', '#c2410c', '#2a9d4b', '#8b5cf6'];
const WORLD_SETS: CompareSource[] = (['detection', 'grounding', 'classification'] as const).flatMap((task) => (['novel', 'base'] as const).map((split) => ({ kind: 'world' as const, task, split, count: 24 })));
const sourceLabel = (s: CompareSource, names: Map<string, string>) =>
  s.kind === 'dataset' ? `Dataset: ${names.get(s.datasetId) ?? s.datasetId} (eval split)` : s.kind === 'samples' ? `Samples file: ${s.file}` : `World held-out: ${s.task}, ${s.split} categories (${s.count})`;

function metricCells(r: Pick<ModelResult, 'metrics'>) {
  const m = r.metrics;
  if (m.detection) return [`mAP ${(100 * m.detection.map).toFixed(1)}`, `AP50 ${(100 * m.detection.ap50).toFixed(1)}`];
  if (m.classification) return [`accuracy ${(100 * m.classification.accuracy).toFixed(1)} %`, ''];
  if (m.grounding) return [`mIoU ${m.grounding.miou.toFixed(3)}`, `Acc@0.5 ${(100 * m.grounding.acc50).toFixed(1)} %`];
  return ['—', ''];
}

function Example({ e, results }: { e: CompareExample; results: ModelResult[] }) {
  return (
    <article className="compare-example" aria-label={`Example ${e.id + 1}`}>
      <BoxPicture url={e.imageUrl} truth={e.truth.boxes} sets={results.map((r, ri) => ({ color: COLORS[ri], boxes: r.reads[e.id].boxes }))} label={`Example ${e.id + 1}: ${e.question}`} />
      <p>
        <strong>asks: {e.question}</strong> <span className="muted">truth: {e.truth.label ?? (e.truth.boxes.length ? `${e.truth.boxes.length} box(es)` : 'No Objects')}</span>
      </p>
      {results.map((r, ri) => (
        <div key={r.id} className="compare-answer">
          <span className="swatch" style={{ background: COLORS[ri] }} aria-hidden="true" /> <strong>{r.name}</strong>: reward {r.totals[e.id].toFixed(2)}
          {r.errors[e.id].length > 0 && <span className="muted" aria-label={`Errors of ${r.name}`}> · {r.errors[e.id].join(', ')}</span>}{' '}
          <button
            type="button"
            className="link"
            aria-label={`Explain ${r.name}'s answer to example ${e.id + 1}`}
            onClick={() => {
              explainFrom({ task: e.task, completion: r.completions[e.id], solution: e.solution, width: e.width, height: e.height, imageUrl: e.imageUrl, origin: `Compare: example ${e.id + 1}, ${r.name}` });
              document.getElementById('debugger-title')?.scrollIntoView({ behavior: 'smooth' });
            }}
          >
            Explain
          </button>
          <div className="think">{r.reads[e.id].think ?? ''}</div>
          <div className="mono">{r.reads[e.id].answer ?? r.completions[e.id]}</div>
        </div>
      ))}
    </article>
  );
}

/** Two to four models on one eval set: a metrics table and each image side by side. */
export function CompareModels() {
  const st = useCompareStore();
  const models = useCheckpointsStore((s) => s.list);
  const datasets = useDatasetsStore((s) => s.list);
  useEffect(() => {
    void refreshCheckpoints();
    void refreshDatasets();
  }, []);
  const names = new Map(datasets.map((d) => [d.id, d.name]));
  const sources: CompareSource[] = [...(st.samplesFile ? [{ kind: 'samples' as const, file: st.samplesFile.name }] : []), ...datasets.map((d) => ({ kind: 'dataset' as const, datasetId: d.id })), ...WORLD_SETS];
  const toggle = (id: string, on: boolean) => setCompare({ selected: on ? [...st.selected, id].slice(0, 4) : st.selected.filter((x) => x !== id) });
  const order = exampleOrder(st);
  const ok = st.results.filter((r) => !r.error);
  const categories = [...new Set(st.examples.map(exampleCategory).filter((c): c is string => !!c))].sort();
  return (
    <section className="card" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare models</h2>
      <fieldset className="overlays">
        <legend>Models (two to four)</legend>
        {[{ id: BASE_ID, name: 'base policy (shipped)' }, ...models, ...st.imported.map((f) => ({ id: f.id, name: `predictions: ${f.name}` }))].map((m) => (
          <label key={m.id}>
            <input type="checkbox" checked={st.selected.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} /> {m.name}
          </label>
        ))}
      </fieldset>
      {models.length + st.imported.length === 0 && <p className="muted">Only the base policy is here yet: train a model (Train view), or load a samples file and predictions files of real models below.</p>}
      <div className="row" role="group" aria-label="Files of real models">
        <label className="file-button">
          Samples file (scorer JSONL)
          <input type="file" accept=".jsonl,.json,application/json" onChange={(e) => e.target.files?.[0] && void loadSamplesFile(e.target.files[0])} />
        </label>
        <label className="file-button">
          Add a predictions file ({'{id, completion}'} JSONL)
          <input type="file" accept=".jsonl,.json,application/json" disabled={!st.samplesFile} onChange={(e) => e.target.files?.[0] && void addPredictionsFile(e.target.files[0])} />
        </label>
        {st.fileError && (
          <p role="alert" className="error">
            {st.fileError}
          </p>
        )}
      </div>
      <div className="row">
        <label className="field">
          Eval set
          <select value={st.source ? JSON.stringify(st.source) : ''} onChange={(e) => setCompare({ source: e.target.value ? (JSON.parse(e.target.value) as CompareSource) : null })}>
            <option value="">choose…</option>
            {sources.map((s) => (
              <option key={JSON.stringify(s)} value={JSON.stringify(s)}>
                {sourceLabel(s, names)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={st.status === 'running' || st.selected.length < 2 || !st.source} onClick={() => void runCompare()}>
          Compare
        </button>
        {st.status === 'running' && (
          <button type="button" onClick={() => cancelCompare()}>
            Cancel
          </button>
        )}
        {st.progress && <span role="status" aria-label="Comparison progress">{st.progress}</span>}
      </div>
      {st.error && <p role="alert" className="error">{st.error}</p>}
      {st.results.length > 0 && (
        <>
          <table aria-label="Comparison metrics">
            <thead>
              <tr>
                <th>Model</th>
                <th>Metric</th>
                <th />
                <th>Mean reward</th>
              </tr>
            </thead>
            <tbody>
              {st.results.map((r, i) => (
                <tr key={r.id}>
                  <td>
                    <span className="swatch" style={{ background: COLORS[i] }} aria-hidden="true" /> {r.name}
                  </td>
                  {r.error ? <td colSpan={3}>cannot answer: {r.error}</td> : (
                    <>
                      {metricCells(r).map((c, k) => (
                        <td key={k}>{c}</td>
                      ))}
                      <td>
                        {(r.totals.reduce((a, b) => a + b, 0) / Math.max(1, r.totals.length)).toFixed(3)}
                        {r.note && <div className="muted">{r.note}</div>}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {categories.length > 0 && ok.length > 0 && (
            <details className="all-settings">
              <summary>Per category ({categories.length})</summary>
              <table aria-label="Per-category metrics">
                <thead>
                  <tr>
                    <th>Category</th>
                    {ok.map((r) => (
                      <th key={r.id}>{r.name}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {categories.map((c) => (
                    <tr key={c}>
                      <th scope="row">{c}</th>
                      {ok.map((r) => (
                        <td key={r.id}>{r.perCategory[c] ? metricCells({ metrics: r.perCategory[c] }).filter(Boolean).join(' · ') : '—'}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
          <div className="row">
            <label className="field">
              Sort images by
              <select value={st.sort} onChange={(e) => setCompare({ sort: e.target.value as CompareSort })}>
                <option value="order">eval-set order</option>
                <option value="disagreement">disagreement between the models</option>
                <option value="difference">{ok.length >= 2 ? `${ok[1].name} minus ${ok[0].name}` : 'second model minus first'}</option>
                {ERROR_TYPES.map((t) => (
                  <option key={t} value={`error:${t}`}>
                    error: {t} (models making it, most first)
                  </option>
                ))}
              </select>
            </label>
            {categories.length > 0 && (
              <label className="field">
                Category
                <select aria-label="Category" value={st.category ?? ''} onChange={(e) => setCompare({ category: e.target.value || null })}>
                  <option value="">all categories</option>
                  {categories.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="button" onClick={() => downloadComparison()}>
              Export comparison (JSON)
            </button>
          </div>
          <div className="inspector-groups" aria-label="Examples">
            {order.slice(0, 48).map((i) => (
              <Example key={i} e={st.examples[i]} results={ok} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
