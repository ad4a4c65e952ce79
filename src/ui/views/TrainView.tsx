import { useEffect, useMemo } from 'react';
import { GRPO_BASIC_HELP } from '../../state/trainSettings';
import { memoryPlan } from '../../state/trainMemory';
import { RolloutInspector } from './RolloutInspector';
import { RunBundlePanel } from './RunBundlePanel';
import { TrainSettings } from './TrainSettings';
import { TrainCharts } from './TrainCharts';
import { BASE_ID, makeCurrent, refreshCheckpoints, useCheckpointsStore } from '../../state/checkpointsStore';
import { refreshDatasets, useDatasetsStore } from '../../state/datasetStore';
import { useBackendStore } from '../../state/backendStore';
import { usePolicyStore } from '../../state/modelsStore';
import { type TrainForm, controlRun, discardRun, resumeRun, setTrainForm, setTrainSource, startTraining, useTrainStore } from '../../state/trainStore';

function Recovery() {
  const recoverable = useTrainStore((s) => s.recoverable);
  if (!recoverable) return null;
  return (
    <section className="notice" role="alert" aria-label="Unfinished run">
      <span>
        An unfinished {recoverable.method === 'grpo' ? 'RFT' : 'SFT'} run ({recoverable.id}) stopped at step {recoverable.step} of {recoverable.totalSteps}. Its last snapshot is saved in this browser.
      </span>
      <span className="row">
        <button type="button" onClick={() => void resumeRun()}>
          Resume from step {recoverable.step}
        </button>
        <button type="button" onClick={() => void discardRun()}>
          Discard
        </button>
      </span>
    </section>
  );
}

function NumberField({ label, field, step = 1, min = 0, help }: { label: string; field: keyof TrainForm; step?: number; min?: number; help?: string }) {
  const value = useTrainStore((s) => s.form[field]) as number;
  return (
    <label className="field" title={help}>
      {label}
      <input type="number" value={value} step={step} min={min} onChange={(e) => Number.isFinite(e.target.valueAsNumber) && setTrainForm({ [field]: e.target.valueAsNumber })} />
    </label>
  );
}

function Choice<K extends 'method' | 'task' | 'split'>({ label, field, options }: { label: string; field: K; options: [TrainForm[K], string][] }) {
  const value = useTrainStore((s) => s.form[field]);
  return (
    <label className="field">
      {label}
      <select value={value} onChange={(e) => setTrainForm({ [field]: e.target.value } as Partial<TrainForm>)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

const TASK_NAMES = { detection: 'detection', classification: 'classification', grounding: 'reasoning grounding' } as const;

/** The run's data: a world few-shot set or one of the user's datasets, with what blocks it right beside it. */
function SourceField() {
  const source = useTrainStore((s) => s.form.source);
  const check = useTrainStore((s) => s.sourceCheck);
  const datasets = useDatasetsStore((s) => s.list);
  useEffect(() => {
    void refreshDatasets();
  }, []);
  const current = check?.datasetId === source ? check : undefined;
  return (
    <div className="field-wide">
      <label className="field">
        Training data
        <select value={source} onChange={(e) => void setTrainSource(e.target.value)}>
          <option value="world">A few-shot set from the synthetic world</option>
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              Dataset: {d.name} ({TASK_NAMES[d.task]}, {d.imageCount} image{d.imageCount === 1 ? '' : 's'})
            </option>
          ))}
        </select>
      </label>
      {current && (
        <div aria-label="Dataset check">
          {current.errors.map((m) => (
            <p key={m} role="alert" className="error">
              {m}
            </p>
          ))}
          {!current.errors.length && (
            <p className="muted">
              {TASK_NAMES[current.task]}: {current.trainExamples} training examples from the train split, {current.evalExamples} held-out examples in the eval split.
            </p>
          )}
          {current.notes.map((m) => (
            <p key={m} className="muted">
              {m}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}

/** The model a run starts from (and keeps unchanged): the current policy, chosen among the stored models. */
function StartFrom({ disabled }: { disabled: boolean }) {
  const { list, currentId } = useCheckpointsStore();
  const busy = usePolicyStore((s) => s.status === 'busy');
  useEffect(() => {
    void refreshCheckpoints();
  }, []);
  return (
    <label className="field">
      Start from
      <select value={currentId ?? ''} disabled={disabled || busy} onChange={(e) => void makeCurrent(e.target.value)}>
        {currentId === null && <option value="">the current (unsaved) policy</option>}
        <option value={BASE_ID}>base policy (shipped)</option>
        {list.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function RunForm() {
  const method = useTrainStore((s) => s.form.method);
  const source = useTrainStore((s) => s.form.source);
  const task = useTrainStore((s) => (s.form.source !== 'world' && s.sourceCheck?.datasetId === s.form.source ? s.sourceCheck.task : s.form.task));
  const blocked = useTrainStore((s) => s.form.source !== 'world' && (s.sourceCheck?.datasetId !== s.form.source || s.sourceCheck.errors.length > 0));
  const preparing = useTrainStore((s) => s.preparing);
  const newWords = useTrainStore((s) => s.newWords);
  const run = useTrainStore((s) => s.run);
  const hasPolicy = usePolicyStore((s) => !!s.summary);
  const form = useTrainStore((s) => s.form);
  const summary = usePolicyStore((s) => s.summary);
  const workers = useBackendStore((s) => (s.active === 'wasm' ? (s.workers ?? 1) : 1));
  const plan = useMemo(() => memoryPlan(form, summary, workers), [form, summary, workers]);
  const busy = run?.status === 'running' || run?.status === 'paused' || run?.status === 'stopping';
  return (
    <section className="card" aria-labelledby="run-title">
      <h2 id="run-title">New run</h2>
      <p className="muted">Fine-tunes the current policy with RFT or SFT on one of your datasets (its train split) or on a few-shot set generated from the synthetic world.</p>
      <SourceField />
      <div className="form-grid">
        <StartFrom disabled={busy} />
        <Choice label="Method" field="method" options={[['grpo', 'RFT (GRPO, verifiable rewards)'], ['sft', 'SFT']]} />
        {source === 'world' && (
          <>
            <Choice label="Task" field="task" options={[['detection', 'Detection'], ['classification', 'Classification'], ['grounding', 'Reasoning grounding']]} />
            <Choice label="Categories" field="split" options={[['novel', 'Novel (few-shot)'], ['base', 'Base'], ['ood', 'Out of distribution']]} />
            <NumberField label="Training samples" field="samples" min={1} />
          </>
        )}
        <NumberField label="Steps" field="steps" min={1} />
        <NumberField label="Learning rate" field="learningRate" step={0.00001} />
        {method === 'grpo' && (
          <>
            <NumberField label="Completions per prompt (G)" field="numGenerations" min={2} help={GRPO_BASIC_HELP.numGenerations} />
            <NumberField label="Prompts per step" field="promptsPerStep" min={1} help={GRPO_BASIC_HELP.promptsPerStep} />
            <NumberField label="KL weight β" field="beta" step={0.01} help={GRPO_BASIC_HELP.beta} />
            <NumberField label="Temperature" field="temperature" step={0.1} help={GRPO_BASIC_HELP.temperature} />
            <NumberField label="Max completion tokens" field="maxCompletionLength" min={1} help={GRPO_BASIC_HELP.maxCompletionLength} />
          </>
        )}
        <NumberField label="Seed" field="seed" help="seed of sampling and data order; the same seed replays the run" />
      </div>
      <TrainSettings task={task} />
      <div className="row">
        <button type="button" disabled={busy || !hasPolicy || blocked || !!preparing || !!plan?.problem} onClick={() => void startTraining()}>
          Start training
        </button>
        <button type="button" disabled={run?.status !== 'running'} onClick={() => void controlRun('pause')}>
          Pause
        </button>
        <button type="button" disabled={run?.status !== 'paused'} onClick={() => void controlRun('resume')}>
          Resume
        </button>
        <button type="button" disabled={!busy} onClick={() => void controlRun('stop')}>
          Stop
        </button>
        {!hasPolicy && <span className="muted">Load a policy first (Models view).</span>}
        {preparing && (
          <span role="status" aria-label="Preparing data">
            Reading the dataset: {preparing.done} of {preparing.total} images decoded…
          </span>
        )}
      </div>
      {plan && <MemoryLine plan={plan} />}
      {newWords && newWords.length > 0 && (
        <p className="muted" aria-label="New words">
          New to the policy, added to its vocabulary for this run: {newWords.join(', ')}.
        </p>
      )}
    </section>
  );
}

function MemoryLine({ plan }: { plan: NonNullable<ReturnType<typeof memoryPlan>> }) {
  const last = useTrainStore((s) => s.history[s.history.length - 1]);
  const { estimate: e, problem } = plan;
  const mb = (x: number) => (x >= 1024 ? `${(x / 1024).toFixed(2)} GB` : `${Math.round(x)} MB`);
  return (
    <>
      <p className="muted" aria-label="Memory">
        Memory: about {mb(e.peakMB)} of tensors per step ({e.rowsPerPass} sequences of up to {e.tokensPerRow} tokens per pass).
        {plan.sharedWith > 0 && ` Each update is shared with ${plan.sharedWith} gradient ${plan.sharedWith === 1 ? 'worker' : 'workers'}, each with its own copy of the policy and up to one pass of this size.`}
        {typeof last?.['memory/tensors_mb'] === 'number' && (
          <>
            {' '}In use after step {last.step}: {mb(last['memory/tensors_mb'])} of tensors
            {typeof last['memory/wasm_heap_mb'] === 'number' && <>, WASM heap {mb(last['memory/wasm_heap_mb'])}</>}.
          </>
        )}
      </p>
      {problem && (
        <p role="alert" aria-label="Memory problem" className="notice notice-error">
          {problem}
        </p>
      )}
    </>
  );
}

function Curves() {
  const { history, run, error } = useTrainStore();
  if (!run && !error) return null;
  const last = history[history.length - 1];
  const total = run?.spec?.config.steps;
  const times = history.filter((h) => typeof h.step_time === 'number').slice(-10);
  const perStep = times.length ? times.reduce((a, h) => a + h.step_time, 0) / times.length : NaN;
  const eta = last && total && Number.isFinite(perStep) && run?.status === 'running' ? Math.max(0, total - last.step) * perStep : NaN;
  return (
    <section className="card" aria-labelledby="curves-title">
      <h2 id="curves-title">Training curves</h2>
      <p role="status" aria-label="Run status">
        {run ? `Run ${run.id}: ${run.status}` : ''}
        {last ? `, step ${last.step}${total ? ` of ${total}` : ''}` : ''}
        {Number.isFinite(eta) ? `, about ${eta < 90 ? `${Math.round(eta)} s` : `${Math.round(eta / 60)} min`} left` : ''}
        {run?.detail ? ` (${run.detail})` : ''}
      </p>
      {error && <p role="alert">{error}</p>}
      {run && <TrainCharts />}
      {last && (
        <table aria-label="Latest metrics">
          <tbody>
            {Object.entries(last)
              .filter(([k]) => k !== 'step')
              .map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{Number.isInteger(v) ? v : v.toFixed(4)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function TrainView() {
  return (
    <div className="stack">
      <Recovery />
      <RunForm />
      <Curves />
      <RolloutInspector />
      <RunBundlePanel />
    </div>
  );
}
