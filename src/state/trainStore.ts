/**
 * Training state: the run form, its status and metric history (rollouts go to rolloutLog.ts), fed by worker
 * events; actions start a run and pause, resume or stop it. The UI reads this and calls these actions only.
 */
import { create } from 'zustand';
import { REFERENCE_REWARD_SET, type RewardMode, type RewardName } from '../core/rewards/types';
import { DEFAULT_GRPO, type GrpoConfig } from '../core/train/grpoConfig';
import { DEFAULT_SFT, type SftConfig } from '../core/train/sftConfig';
import { memoryPlan } from './trainMemory';
import { finishRun, unfinishedRun } from '../persist/runs';
import { sourceResolution } from '../core/model/config';
import type { DataSource, ExamplesPayload, Rollout, RunStatus, Task, TrainSpec, WorldSplit } from '../worker/protocol';
import type { HistoryRow } from './chartSeries';
import { PRESETS, defaultOf } from './trainSettings';
import { checkDataset, datasetPayload } from './datasetTraining';
import { recordRollouts, resetInspector } from './rolloutLog';
import { initBackend } from './backendStore';
import { BASE_ID, adoptRunResult, checkpointBytesBySha, uniqueName, useCheckpointsStore } from './checkpointsStore';
import { loadBasePolicy, loadPolicyBytes, usePolicyStore } from './modelsStore';
import { mlWorker, onWorkerEvent } from './workerClient';

export type { Rollout, RunStatus, Task, WorldSplit };

export interface TrainForm {
  /** 'world': a few-shot set generated from the synthetic world; otherwise the id of one of the user's datasets. */
  source: string;
  method: 'grpo' | 'sft';
  task: Task;
  split: WorldSplit;
  /** Training samples (the few-shot set). */
  samples: number;
  steps: number;
  learningRate: number;
  /** GRPO only. */
  numGenerations: number;
  promptsPerStep: number;
  beta: number;
  temperature: number;
  maxCompletionLength: number;
  seed: number;
  /** The other GRPO settings, where they differ from DEFAULT_GRPO (trainSettings.ts GRPO_SETTINGS). */
  grpo: Partial<GrpoConfig>;
  /** SFT's own settings where they differ (batch size defaults to G × prompts, so both see as many completions). */
  sft: Partial<SftConfig>;
  /** GRPO's reward functions (default: the task's reference set), their weights and mode. */
  rewards?: { functions: RewardName[]; weights: Partial<Record<RewardName, number>> };
  rewardMode: RewardMode;
}

export const DEFAULT_TRAIN_FORM: TrainForm = {
  source: 'world',
  method: 'grpo',
  task: 'detection',
  split: 'novel',
  samples: 16,
  steps: 30,
  learningRate: 1e-4,
  numGenerations: 4,
  promptsPerStep: 2,
  beta: DEFAULT_GRPO.beta,
  temperature: DEFAULT_GRPO.temperature,
  maxCompletionLength: 80,
  seed: 1,
  grpo: {},
  sft: {},
  rewardMode: 'reference',
};

export interface TrainState {
  form: TrainForm;
  run: {
    id: string;
    status: RunStatus | 'crashed';
    detail?: string;
    method: 'grpo' | 'sft';
    spec?: TrainSpec;
    /** The model the run produced, once stored (checkpoints store id). */
    resultId?: string;
    /** Opened from a run bundle of this file name: read-only. */
    bundle?: string;
  } | null;
  /** A run that did not finish (reload, closed tab, crash) and can resume from its last snapshot. */
  recoverable: { id: string; step: number; totalSteps: number; method: 'grpo' | 'sft' } | null;
  history: ({ step: number } & Record<string, number>)[];
  error?: string;
  /** The chosen dataset's check: what blocks training on it and what the run will do. */
  sourceCheck?: { datasetId: string; errors: string[]; notes: string[]; task: Task; name: string; trainExamples: number; evalExamples: number };
  /** Words of the run's dataset that the policy did not know (added to its vocabulary). */
  newWords?: string[];
  /** Preparing a dataset run (decoding its images). */
  preparing?: { done: number; total: number };
  /** Chart options: EMA smoothing weight (TensorBoard's default 0.6) and finished runs (checkpoint ids) overlaid. */
  chart: { smoothing: number; overlays: string[] };
}

export const useTrainStore = create<TrainState>(() => ({ form: DEFAULT_TRAIN_FORM, run: null, history: [], recoverable: null, chart: { smoothing: 0.6, overlays: [] } }));

export function setChartOptions(patch: Partial<TrainState['chart']>): void {
  useTrainStore.setState((s) => ({ chart: { ...s.chart, ...patch } }));
}

/**
 * Metric events are applied at most once per animation frame: a fast run (tiny policy, short completions) must not
 * re-render the charts more often than the screen can show them.
 */
let pendingRows: HistoryRow[] = [];
let frame = false;
/** Apply queued metric rows now (before reading the history: a snapshot, the run's result). */
function flushRows(): void {
  frame = false;
  if (!pendingRows.length) return;
  const rows = pendingRows;
  pendingRows = [];
  useTrainStore.setState((s) => ({ history: [...s.history, ...rows] }));
}
function queueRow(row: HistoryRow): void {
  pendingRows.push(row);
  if (frame) return;
  frame = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flushRows);
  else setTimeout(flushRows, 16);
}

/**
 * Snapshot saves and the final delete run one after another: a save still in flight when the run finishes must
 * not land after the delete and leave a finished run looking unfinished. Snapshots of ended runs are ignored.
 */
let persistChain: Promise<unknown> = Promise.resolve();
const endedRuns = new Set<string>();
function persist(op: () => Promise<unknown>): void {
  persistChain = persistChain.then(op, op);
}

let subscribed = false;
function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  onWorkerEvent((e) => {
    const run = useTrainStore.getState().run;
    if (e.type === 'crash') {
      if (run && (run.status === 'running' || run.status === 'paused' || run.status === 'stopping')) {
        useTrainStore.setState({ run: { ...run, status: 'crashed', detail: `${e.message}. The last snapshot is kept: resume below.` } });
        void checkRecoverable();
      }
      return;
    }
    if (!('runId' in e) || !run || e.runId !== run.id) return;
    if (e.type !== 'train-metrics') flushRows();
    if (e.type === 'train-snapshot') {
      if (e.error) useTrainStore.setState({ error: `The run's snapshot could not be saved: ${e.error}` });
      return;
    }
    if (e.type === 'train-result') {
      if (e.error) useTrainStore.setState({ error: `The trained model could not be saved in this browser: ${e.error}. It is the current policy: download it from the Models view.` });
      else {
        useTrainStore.setState((st) => ({ run: st.run && { ...st.run, resultId: e.checkpointId } }));
        persist(() => adoptRunResult(e.checkpointId));
      }
      return;
    }
    if (e.type === 'train-metrics') queueRow({ step: e.step, ...e.metrics });
    else if (e.type === 'train-rollouts') {
      recordRollouts(e.step, e.rollouts, e.solutions, e.items, (run.spec as TrainSpec).data.task);
    }
    else if (e.type === 'train-status') {
      if (e.policy) usePolicyStore.setState({ summary: e.policy });
      if (e.status === 'finished' || e.status === 'stopped') {
        // Say "finished" once its snapshot is gone from storage: a reload right after must not offer to resume it.
        endedRuns.add(run.id);
        persist(() => finishRun(run.id).catch(() => {}).then(() => useTrainStore.setState((st) => ({ run: st.run && { ...st.run, status: e.status, detail: e.detail } }))));
      } else useTrainStore.setState({ run: { ...run, status: e.status, detail: e.detail } });
    }
  });
}

/** Look for a run that did not finish; called at start and after a crash. */
export async function checkRecoverable(): Promise<void> {
  subscribe();
  try {
    let r = await unfinishedRun();
    // A snapshot of the last step is a run that ended before its record was removed: remove it now.
    if (r && r.step >= r.totalSteps) {
      await finishRun(r.id);
      r = await unfinishedRun();
    }
    const active = useTrainStore.getState().run;
    const live = active && active.id === r?.id && (active.status === 'running' || active.status === 'paused');
    useTrainStore.setState({ recoverable: r && !live ? { id: r.id, step: r.step, totalSteps: r.totalSteps, method: (r.spec as TrainSpec).method } : null });
  } catch (e) {
    useTrainStore.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** Continue the unfinished run from its last snapshot (restarting the worker's setup if it crashed). */
export async function resumeRun(): Promise<void> {
  const r = await unfinishedRun();
  if (!r) return useTrainStore.setState({ recoverable: null });
  const spec = r.spec as TrainSpec;
  if (mlWorker().dead) await initBackend();
  useTrainStore.setState({ recoverable: null, history: r.history ?? [], error: undefined, run: { id: r.id, status: 'running', method: spec.method, spec } });
  try {
    // The run's parent becomes current again (its copy is what trains, it is the KL reference): whatever is loaded now.
    let parentBytes: ArrayBuffer | undefined;
    if (r.parent) {
      const found = await checkpointBytesBySha(r.parent.sha256);
      if (!found) throw new Error(`the model this run started from (“${r.parent.name}”) is no longer stored, so its KL reference is gone: discard the run`);
      if (usePolicyStore.getState().summary?.sha256 !== r.parent.sha256) {
        if (found.id === BASE_ID) await loadBasePolicy();
        else await loadPolicyBytes(found.bytes.slice(0), found.name);
        useCheckpointsStore.setState({ currentId: found.id });
      }
      parentBytes = found.bytes;
    } else if (!usePolicyStore.getState().summary) await loadBasePolicy();
    const examples = await examplesFor(spec.data);
    resetInspector(spec, examples?.texts);
    const transfer = examples ? transferOf(examples) : [];
    await mlWorker().request({ type: 'train-start', spec, snapshotEvery: snapshotEvery(spec.config.steps), runId: r.id, examples, parent: parentBytes, record: { parent: r.parent, history: r.history ?? [] }, resume: { step: r.step, checkpoint: r.checkpoint, optimizer: r.optimizer, rngState: r.rngState } }, transfer);
  } catch (e) {
    useTrainStore.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

export async function discardRun(): Promise<void> {
  const r = useTrainStore.getState().recoverable;
  if (r) await finishRun(r.id);
  useTrainStore.setState({ recoverable: null });
}

/** About ten snapshots per run (a base-size snapshot is ~12 MB: weights plus Adam's moments). */
const snapshotEvery = (steps: number) => Math.max(1, Math.min(10, Math.round(steps / 10)));

export function setTrainForm(patch: Partial<TrainForm>): void {
  useTrainStore.setState((s) => ({ form: { ...s.form, ...patch } }));
}

/** One GRPO or SFT setting of the "all settings" panel (a value equal to the default is dropped). */
export function setOverride(method: 'grpo' | 'sft', key: string, value: unknown): void {
  useTrainStore.setState((s) => {
    const next: Record<string, unknown> = { ...s.form[method] };
    if (value === defaultOf(method, key)) delete next[key];
    else next[key] = value;
    return { form: { ...s.form, [method]: next } };
  });
}

export function applyPreset(id: string): void {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) return;
  const { sft, ...top } = p.patch;
  useTrainStore.setState((s) => ({ form: { ...s.form, ...top, sft: { ...sft } } }));
}

/** The reward functions of GRPO runs on `task`, with weights; an empty choice falls back to the reference set. */
export function setRewards(functions: RewardName[], weights: Partial<Record<RewardName, number>>): void {
  setTrainForm({ rewards: { functions, weights } });
}

function spec(f: TrainForm): TrainSpec {
  const check = useTrainStore.getState().sourceCheck;
  const data: DataSource =
    f.source === 'world'
      ? { kind: 'world', task: f.task, split: f.split, count: f.samples, seed: f.seed, atlasUrl: new URL('world/atlas.bin', document.baseURI).href }
      : { kind: 'dataset', datasetId: f.source, datasetName: check?.datasetId === f.source ? check.name : f.source, task: check?.datasetId === f.source ? check.task : f.task, split: 'train' };
  const task = data.task;
  const source = data.kind === 'dataset' ? data.datasetName : `world ${data.task}`;
  const outputName = uniqueName(`${source} · ${f.method === 'grpo' ? 'RFT' : 'SFT'} · ${f.steps}`, useCheckpointsStore.getState().list.map((c) => c.name));
  if (f.method === 'sft') return { method: 'sft', data, outputName, config: { ...DEFAULT_SFT, batchSize: f.numGenerations * f.promptsPerStep, learningRate: f.learningRate, ...f.sft, steps: f.steps, seed: f.seed } };
  return {
    method: 'grpo',
    data,
    outputName,
    config: {
      ...DEFAULT_GRPO,
      ...f.grpo,
      rewardFunctions: f.rewards?.functions.length ? [...f.rewards.functions] : [...REFERENCE_REWARD_SET[task]],
      rewardWeights: { ...(f.rewards?.weights ?? {}) },
      rewardMode: f.rewardMode,
      numGenerations: f.numGenerations,
      promptsPerStep: f.promptsPerStep,
      learningRate: f.learningRate,
      steps: f.steps,
      beta: f.beta,
      temperature: f.temperature,
      maxCompletionLength: f.maxCompletionLength,
      seed: f.seed,
    },
  };
}

/** Choose the run's data: 'world' or a dataset id, whose check (errors, notes) is shown beside the choice. */
export async function setTrainSource(source: string): Promise<void> {
  setTrainForm({ source });
  useTrainStore.setState({ sourceCheck: undefined });
  if (source === 'world') return;
  try {
    const c = await checkDataset(source);
    if (useTrainStore.getState().form.source !== source) return;
    useTrainStore.setState({ sourceCheck: { datasetId: source, errors: c.errors, notes: c.notes, task: c.dataset.task, name: c.dataset.name, trainExamples: c.trainExamples, evalExamples: c.evalExamples } });
  } catch (e) {
    useTrainStore.setState({ sourceCheck: { datasetId: source, errors: [e instanceof Error ? e.message : String(e)], notes: [], task: 'detection', name: source, trainExamples: 0, evalExamples: 0 } });
  }
}

/** A dataset source's examples, decoded at the current policy's resolution (with progress in the store). */
async function examplesFor(data: DataSource): Promise<ExamplesPayload | undefined> {
  if (data.kind !== 'dataset') return undefined;
  const summary = usePolicyStore.getState().summary;
  if (!summary) throw new Error('load a policy before training');
  try {
    const { payload } = await datasetPayload(data.datasetId, sourceResolution(summary.config), (done, total) => useTrainStore.setState({ preparing: { done, total } }));
    return payload;
  } finally {
    useTrainStore.setState({ preparing: undefined });
  }
}

const transferOf = (e: ExamplesPayload): ArrayBuffer[] => [e.images.buffer as ArrayBuffer, ...(e.eval ? [e.eval.images.buffer as ArrayBuffer] : [])];

export async function startTraining(): Promise<void> {
  subscribe();
  const { form } = useTrainStore.getState();
  // Checked here as well as beside the button: a run that cannot fit fails deep in a kernel, or ends the tab.
  const tooBig = memoryPlan(form, usePolicyStore.getState().summary)?.problem;
  if (tooBig) {
    useTrainStore.setState({ error: tooBig });
    return;
  }
  const runSpec = spec(form);
  const runId = `run-${Date.now().toString(36)}`;
  const current = usePolicyStore.getState().summary;
  const parent = current?.sha256 ? { sha256: current.sha256, name: current.name } : undefined;
  useTrainStore.setState({ history: [], error: undefined, newWords: undefined, run: { id: runId, status: 'running', method: form.method, spec: runSpec } });
  try {
    const examples = await examplesFor(runSpec.data);
    resetInspector(runSpec, examples?.texts);
    const { newWords } = await mlWorker().request({ type: 'train-start', spec: runSpec, snapshotEvery: snapshotEvery(form.steps), runId, examples, record: { parent } }, examples ? transferOf(examples) : []);
    useTrainStore.setState({ newWords });
  } catch (e) {
    useTrainStore.setState((s) => ({ error: e instanceof Error ? e.message : String(e), run: s.run?.id === runId && s.history.length === 0 ? null : s.run }));
  }
}

export async function controlRun(action: 'pause' | 'resume' | 'stop'): Promise<void> {
  const run = useTrainStore.getState().run;
  if (!run) return;
  try {
    const { status } = await mlWorker().request({ type: 'train-control', runId: run.id, action });
    useTrainStore.setState((s) => ({ run: s.run && { ...s.run, status: s.run.status === 'finished' || s.run.status === 'stopped' ? s.run.status : status } }));
  } catch (e) {
    useTrainStore.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}
