/**
 * Training state: the run's status, its metric history and the latest sampled rollouts, fed by worker
 * events; actions start a run and pause, resume or stop it. The UI reads this and calls these actions only.
 */
import { create } from 'zustand';
import { REFERENCE_REWARD_SET } from '../core/rewards/types';
import { DEFAULT_GRPO } from '../core/train/grpoConfig';
import { DEFAULT_SFT } from '../core/train/trainer';
import type { Rollout, RunStatus, Task, TrainSpec, WorldSplit } from '../worker/protocol';
import { usePolicyStore } from './modelsStore';
import { mlWorker } from './workerClient';

export type { Rollout, RunStatus, Task, WorldSplit };

export interface TrainForm {
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
}

export const DEFAULT_TRAIN_FORM: TrainForm = {
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
};

export interface TrainState {
  form: TrainForm;
  run: { id: string; status: RunStatus; detail?: string; method: 'grpo' | 'sft' } | null;
  history: ({ step: number } & Record<string, number>)[];
  rollouts: { step: number; items: (Rollout & { solution: string })[] } | null;
  error?: string;
}

export const useTrainStore = create<TrainState>(() => ({ form: DEFAULT_TRAIN_FORM, run: null, history: [], rollouts: null }));

let subscribed = false;
function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  mlWorker().onEvent((e) => {
    const run = useTrainStore.getState().run;
    if (!('runId' in e) || !run || e.runId !== run.id) return;
    if (e.type === 'train-metrics') useTrainStore.setState((s) => ({ history: [...s.history, { step: e.step, ...e.metrics }] }));
    else if (e.type === 'train-rollouts') useTrainStore.setState({ rollouts: { step: e.step, items: e.rollouts.map((r) => ({ ...r, solution: e.solutions[r.promptIndex] ?? '' })) } });
    else if (e.type === 'train-status') {
      useTrainStore.setState({ run: { ...run, status: e.status, detail: e.detail } });
      if (e.policy) usePolicyStore.setState({ summary: e.policy });
    }
  });
}

export function setTrainForm(patch: Partial<TrainForm>): void {
  useTrainStore.setState((s) => ({ form: { ...s.form, ...patch } }));
}

function spec(f: TrainForm): TrainSpec {
  const data = { task: f.task, split: f.split, count: f.samples, seed: f.seed, atlasUrl: new URL('world/atlas.bin', document.baseURI).href };
  if (f.method === 'sft') return { method: 'sft', data, config: { ...DEFAULT_SFT, batchSize: f.numGenerations * f.promptsPerStep, learningRate: f.learningRate, steps: f.steps, seed: f.seed } };
  return {
    method: 'grpo',
    data,
    config: { ...DEFAULT_GRPO, rewardFunctions: [...REFERENCE_REWARD_SET[f.task]], numGenerations: f.numGenerations, promptsPerStep: f.promptsPerStep, learningRate: f.learningRate, steps: f.steps, beta: f.beta, temperature: f.temperature, maxCompletionLength: f.maxCompletionLength, seed: f.seed },
  };
}

export async function startTraining(): Promise<void> {
  subscribe();
  const { form } = useTrainStore.getState();
  useTrainStore.setState({ history: [], rollouts: null, error: undefined });
  try {
    const { runId } = await mlWorker().request({ type: 'train-start', spec: spec(form), snapshotEvery: 10 });
    // Events may have arrived before the id did; the status event sets the final state.
    useTrainStore.setState((s) => ({ run: s.run?.id === runId ? s.run : { id: runId, status: 'running', method: form.method } }));
  } catch (e) {
    useTrainStore.setState({ error: e instanceof Error ? e.message : String(e) });
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
