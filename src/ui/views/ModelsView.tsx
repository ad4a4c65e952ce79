import { useState } from 'react';
import { BACKEND_LABELS } from '../../state/backendStore';
import { createUntrained, uploadCheckpoint } from '../../state/checkpointsStore';
import { type ModelBenchResult, evaluatePolicyOnWorld, useEvalStore, downloadPolicy, runBackendCheck, runModelBench, useModelsStore, usePolicyStore } from '../../state/modelsStore';
import { ModelList } from './ModelList';
import { TryPolicy } from './TryPolicy';
import { WasmThreads } from './WasmThreads';

const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));

function BackendCheck() {
  const { check } = useModelsStore();
  return (
    <section className="card" aria-labelledby="backend-check-title">
      <h2 id="backend-check-title">Backend check</h2>
      <p className="muted">
        Runs a tiny policy's greedy generation on each backend and compares tokens and log-probabilities with the CPU backend
        {check.report ? ` (tolerance ${check.report.tolerance})` : ''}, and the vision tower's features of one image
        {check.report?.towerTolerance ? ` (tolerance ${100 * check.report.towerTolerance} % of their largest value)` : ''}.
      </p>
      <button type="button" onClick={() => void runBackendCheck()} disabled={check.status === 'running'}>
        {check.status === 'running' ? 'Checking…' : 'Run backend check'}
      </button>
      {check.status === 'failed' && <p role="alert">The check failed: {check.error}</p>}
      {check.report && (
        <table aria-label="Backend check results">
          <thead>
            <tr>
              <th>Backend</th>
              <th>Result</th>
              <th>Tokens match</th>
              <th>Max |Δ log-prob|</th>
              <th>Time (ms)</th>
              <th>Vision tower</th>
            </tr>
          </thead>
          <tbody>
            {check.report.rows.map((r) => (
              <tr key={r.backend} data-backend={r.backend}>
                <th scope="row">{BACKEND_LABELS[r.backend]}</th>
                <td>{!r.ok ? `unavailable: ${r.error}` : r.withinTolerance ? 'agrees' : 'DIFFERS'}</td>
                <td>{r.ok ? (r.tokensMatch ? 'yes' : 'no') : '—'}</td>
                <td>{r.ok ? (r.maxAbsDiff as number).toExponential(2) : '—'}</td>
                <td>{num(r.ms, 0)}</td>
                <td>{r.towerError ? `failed: ${r.towerError}` : r.towerRelDiff === undefined ? '—' : `${r.towerWithinTolerance ? 'agrees' : 'DIFFERS'} (${r.towerRelDiff.toExponential(1)} of the largest value)`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BenchRow({ r }: { r: ModelBenchResult }) {
  return (
    <tr data-result={JSON.stringify(r)}>
      <th scope="row">
        {r.config} on {r.backend}
        {r.trainWorkers > 1 ? ` · ${r.trainWorkers} workers` : ''}
      </th>
      <td>{(r.parameters / 1e6).toFixed(2)}M</td>
      <td>{num(r.rolloutTokensPerSecCached, 0)}</td>
      <td>{num(r.rolloutTokensPerSecUncached, 0)}</td>
      <td>{r.cacheSpeedup === null ? '—' : `${r.cacheSpeedup.toFixed(1)}×`}</td>
      <td>
        {num(r.trainStepMs, 0)}
        {r.trainWaitMs !== null ? ` (${num(r.trainWaitMs, 0)} waiting for workers)` : ''}
      </td>
      <td>
        {num(r.trainStepGflops, 2)} / {num(r.matMulGflops, 2)} ({(100 * r.trainEfficiency).toFixed(0)}%)
      </td>
    </tr>
  );
}

function Benchmark() {
  const { bench } = useModelsStore();
  const [withUncached, setWithUncached] = useState(true);
  const [repeats, setRepeats] = useState(1);
  const running = bench.status === 'running';
  return (
    <section className="card" aria-labelledby="bench-title">
      <h2 id="bench-title">Benchmark</h2>
      <p className="muted">Rollouts of 8 completions × 48 tokens with and without the KV cache, and a training step on 32 sequences, on the active backend.</p>
      <div className="row">
        <button type="button" onClick={() => void runModelBench('tiny', withUncached, repeats)} disabled={running}>
          Benchmark tiny
        </button>
        <button type="button" onClick={() => void runModelBench('base', withUncached, repeats)} disabled={running}>
          Benchmark base
        </button>
        <label>
          <input type="checkbox" checked={withUncached} onChange={(e) => setWithUncached(e.target.checked)} /> Include the rollout without cache (slow: it recompiles
          shaders for every sequence length on GPU backends)
        </label>
        <label>
          Timed repeats{' '}
          <input type="number" min={1} max={20} value={repeats} onChange={(e) => Number.isInteger(e.target.valueAsNumber) && e.target.valueAsNumber >= 1 && setRepeats(e.target.valueAsNumber)} />
        </label>
        {running && <span role="status">Running… the page stays usable.</span>}
      </div>
      {bench.status === 'failed' && <p role="alert">The benchmark failed: {bench.error}</p>}
      {bench.results.length > 0 && (
        <table aria-label="Benchmark results">
          <thead>
            <tr>
              <th>Model</th>
              <th>Parameters</th>
              <th>Rollout tok/s (cache)</th>
              <th>Rollout tok/s (no cache)</th>
              <th>Cache speed-up</th>
              <th>Train step (ms)</th>
              <th>Step GFLOP/s vs matMul</th>
            </tr>
          </thead>
          <tbody>
            {bench.results.map((r, i) => (
              <BenchRow key={i} r={r} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CurrentPolicy() {
  const { status, summary, error, progress } = usePolicyStore();
  const busy = status === 'busy';
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">Current policy</h2>
      {progress && (
        <p>
          Loading the base policy…{' '}
          <progress aria-label="Base policy download" max={progress.total ?? undefined} value={progress.loaded} /> {(progress.loaded / 2 ** 20).toFixed(1)} MB
          {progress.total ? ` of ${(progress.total / 2 ** 20).toFixed(1)} MB` : ''}
        </p>
      )}
      {summary ? (
        <dl className="facts" aria-label="Policy summary">
          <dt>Name</dt>
          <dd>{summary.name}</dd>
          <dt>Parameters</dt>
          <dd data-testid="policy-parameters">{summary.parameters.toLocaleString('en')}</dd>
          <dt>Vocabulary</dt>
          <dd>{summary.vocabulary.toLocaleString('en')} tokens</dd>
          <dt>Shape</dt>
          <dd>
            {summary.config.tower
              ? `${summary.config.tower.resolution}×${summary.config.tower.resolution} image through the frozen ${summary.config.tower.name} vision tower (${summary.config.tower.layer} features of ${summary.config.tower.input === 'nanodet-bgr' ? 'NanoDet-normalised' : 'unnormalised 0–1'} pixels${summary.config.stem === 'hybrid' ? ' plus a conv stem on the pixels' : ''})`
              : `${summary.config.imageSize}×${summary.config.imageSize} image in ${summary.config.patchSize}px patches`}
            , {summary.config.nLayers} layers × {summary.config.dModel} wide, {summary.config.nHeads} heads
          </dd>
        </dl>
      ) : (
        <p className="muted">No policy loaded. Load a checkpoint file (.vrft) or start from an untrained one.</p>
      )}
      <div className="row">
        <label className="file-button">
          Load checkpoint file
          <input type="file" accept=".vrft,application/octet-stream" disabled={busy} onChange={(e) => e.target.files?.[0] && void uploadCheckpoint(e.target.files[0])} />
        </label>
        <button type="button" disabled={busy} onClick={() => void createUntrained()}>
          New untrained tiny policy
        </button>
        <button type="button" disabled={busy || !summary} onClick={() => void downloadPolicy()}>
          Download checkpoint
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

function Evaluate() {
  const { status, result, error } = useEvalStore();
  const hasPolicy = usePolicyStore((s) => !!s.summary);
  const [task, setTask] = useState<'detection' | 'classification' | 'grounding'>('detection');
  const [split, setSplit] = useState<'base' | 'novel' | 'ood'>('base');
  const metrics = result ? Object.entries(result.metrics).filter(([, v]) => typeof v === 'number') : [];
  return (
    <section className="card" aria-labelledby="eval-title">
      <h2 id="eval-title">Evaluate</h2>
      <p className="muted">Greedy completions of the current policy on the world's fixed held-out set, graded by the same scorer as `npm run score`.</p>
      <div className="row">
        <label className="field">
          Task
          <select value={task} onChange={(e) => setTask(e.target.value as typeof task)}>
            <option value="detection">Detection</option>
            <option value="classification">Classification</option>
            <option value="grounding">Reasoning grounding</option>
          </select>
        </label>
        <label className="field">
          Categories
          <select value={split} onChange={(e) => setSplit(e.target.value as typeof split)}>
            <option value="base">Base</option>
            <option value="novel">Novel</option>
            <option value="ood">Out of distribution</option>
          </select>
        </label>
        <button type="button" disabled={!hasPolicy || status === 'running'} onClick={() => void evaluatePolicyOnWorld(task, split)}>
          {status === 'running' ? 'Evaluating…' : 'Evaluate 32 samples'}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {result && (
        <>
          <table aria-label="Evaluation metrics">
            <tbody>
              {[...metrics, ...Object.entries(result.meanRewards).map(([k, v]) => [`reward ${k}`, v] as const)].map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{(v as number).toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table aria-label="Evaluation examples">
            <thead>
              <tr>
                <th>Prompt</th>
                <th>Completion</th>
              </tr>
            </thead>
            <tbody>
              {result.examples.map((ex, i) => (
                <tr key={i}>
                  <td>{ex.question}</td>
                  <td className="mono">
                    {ex.completion}
                    <div className="muted">solution: {ex.solution}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function ModelsView() {
  return (
    <div className="stack">
      <CurrentPolicy />
      <ModelList />
      <TryPolicy />
      <Evaluate />
      <BackendCheck />
      <WasmThreads />
      <Benchmark />
    </div>
  );
}
