/**
 * Models-view state: the backend check (does each backend compute what the CPU computes?) and the model
 * benchmark, both run in the ML worker.
 */
import { create } from 'zustand';
import type { ModelBenchResult } from '../core/bench/modelBench';
import { BACKEND_ORDER, type BackendName } from '../worker/backendChoice';
import type { BackendCheckReport } from '../worker/protocol';
import { saveCheckpointFile } from './download';
import { mlWorker } from './workerClient';

export type { BackendCheckReport, ModelBenchResult };

export interface ModelsState {
  check: { status: 'idle' | 'running' | 'done' | 'failed'; report?: BackendCheckReport; error?: string };
  bench: { status: 'idle' | 'running' | 'done' | 'failed'; results: ModelBenchResult[]; error?: string };
}

export const useModelsStore = create<ModelsState>(() => ({ check: { status: 'idle' }, bench: { status: 'idle', results: [] } }));

/** Compare every non-CPU backend with the CPU backend on a tiny generation. */
export async function runBackendCheck(backends: BackendName[] = BACKEND_ORDER.filter((b) => b !== 'cpu')): Promise<void> {
  useModelsStore.setState({ check: { status: 'running' } });
  try {
    const report = await mlWorker().request({ type: 'backend-check', backends, towerUrl: towerUrl() });
    useModelsStore.setState({ check: { status: 'done', report } });
  } catch (e) {
    useModelsStore.setState({ check: { status: 'failed', error: e instanceof Error ? e.message : String(e) } });
  }
}

/** Benchmark a model size on the active backend; results accumulate in a table. */
/** `repeats`: timed runs of each figure after one untimed warm-up (their mean is reported). */
export async function runModelBench(config: 'tiny' | 'base', uncached = true, repeats = 1): Promise<void> {
  const prev = useModelsStore.getState().bench.results;
  useModelsStore.setState({ bench: { status: 'running', results: prev } });
  try {
    const result = await mlWorker().request({ type: 'model-bench', config, uncached, repeats });
    useModelsStore.setState({ bench: { status: 'done', results: [...prev, result] } });
  } catch (e) {
    useModelsStore.setState({ bench: { status: 'failed', results: prev, error: e instanceof Error ? e.message : String(e) } });
  }
}

export interface PolicyState {
  status: 'none' | 'busy' | 'ready' | 'failed';
  summary?: import('../worker/protocol').PolicySummary;
  error?: string;
  /** Download progress of the shipped base policy, while it loads. */
  progress?: { loaded: number; total: number | null };
}

export const usePolicyStore = create<PolicyState>(() => ({ status: 'none' }));

async function policyAction(run: () => Promise<import('../worker/protocol').PolicySummary>): Promise<void> {
  usePolicyStore.setState({ status: 'busy', error: undefined });
  try {
    usePolicyStore.setState({ status: 'ready', summary: await run() });
  } catch (e) {
    usePolicyStore.setState({ status: usePolicyStore.getState().summary ? 'ready' : 'failed', error: e instanceof Error ? e.message : String(e) });
  }
}

/** A fresh untrained policy of a named size (until the shipped base policy exists). */
export function createPolicy(config: 'tiny' | 'base'): Promise<void> {
  return policyAction(() => mlWorker().request({ type: 'policy-create', config }));
}

/** Load a checkpoint file the user picked; a bad file leaves the current policy in place and says why. */
export async function loadPolicyFile(file: File): Promise<void> {
  return loadPolicyBytes(await file.arrayBuffer(), file.name);
}

/** Load checkpoint bytes (transferred) as the current policy; a bad file leaves the current one and says why. */
export function loadPolicyBytes(bytes: ArrayBuffer, name: string): Promise<void> {
  return policyAction(() => mlWorker().request({ type: 'policy-load', bytes, name, towerUrl: towerUrl() }, [bytes]));
}

/** The current policy as a checkpoint file download. */
export async function downloadPolicy(): Promise<void> {
  try {
    const { bytes, name } = await mlWorker().request({ type: 'policy-save' });
    saveCheckpointFile(bytes, name);
  } catch (e) {
    usePolicyStore.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** Where the app ships the vision tower (public/models/tower/, made by `npm run build-tower`). */
export const towerUrl = (): string => new URL('models/tower/', document.baseURI).href;

/** Where the app ships the pretrained base policy (public/models/base/model.vrft). */
export const BASE_POLICY_URL = 'models/base/model.vrft';

/** The shipped base policy's checkpoint bytes, fetched from the app. */
export async function fetchBasePolicyBytes(): Promise<ArrayBuffer> {
  const res = await fetch(new URL(BASE_POLICY_URL, document.baseURI));
  if (!res.ok) throw new Error(`the base policy could not be fetched (HTTP ${res.status})`);
  return res.arrayBuffer();
}

/** Load the shipped base policy at start; a missing or corrupt file leaves a message, not a blank page. */
export async function loadBasePolicy(): Promise<void> {
  const stop = mlWorker().onEvent((e) => {
    if (e.type === 'progress' && e.task === 'base policy') usePolicyStore.setState({ progress: { loaded: e.loaded, total: e.total } });
  });
  const url = new URL(BASE_POLICY_URL, document.baseURI).href;
  try {
    await policyAction(() => mlWorker().request({ type: 'policy-fetch', url, name: 'base policy', towerUrl: towerUrl() }));
  } finally {
    stop();
    usePolicyStore.setState({ progress: undefined });
  }
  const { error } = usePolicyStore.getState();
  if (error) usePolicyStore.setState({ error: `The base policy could not be loaded: ${error}` });
}

export type { EvaluateResult } from '../worker/protocol';

export interface EvalState {
  status: 'idle' | 'running' | 'done' | 'failed';
  result?: import('../worker/protocol').EvaluateResult;
  error?: string;
}

export const useEvalStore = create<EvalState>(() => ({ status: 'idle' }));

/** Evaluate the current policy on the world's held-out set of a task and split. */
export async function evaluatePolicyOnWorld(task: 'detection' | 'classification' | 'grounding', split: 'base' | 'novel' | 'ood', count = 32): Promise<void> {
  useEvalStore.setState({ status: 'running', error: undefined });
  try {
    const result = await mlWorker().request({ type: 'evaluate', task, split, count, atlasUrl: new URL('world/atlas.bin', document.baseURI).href });
    useEvalStore.setState({ status: 'done', result });
  } catch (e) {
    useEvalStore.setState({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
  }
}
