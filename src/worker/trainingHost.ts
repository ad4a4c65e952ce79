/**
 * Training in the worker: one run at a time, outside the serial request queue so that pause, resume and stop
 * answer at once. Metrics and rollouts stream to the page as events; snapshots are kept so that a crash or a
 * stop loses at most `snapshotEvery` steps, and the page can persist them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { wasmHeapBytes } from '../core/bench/modelBench';
import type { Policy } from '../core/model/policy';
import type { Rollout } from '../core/train/grpoStep';
import type { RunSnapshot } from '../core/train/runState';
import { type TrainItem, type TrainMethod, type TrainerHooks, runTraining } from '../core/train/trainer';

export type RunStatus = 'running' | 'paused' | 'stopping' | 'finished' | 'stopped' | 'failed';

export interface TrainEvents {
  metrics(runId: string, step: number, metrics: Record<string, number>): void;
  /**
   * `solutions[i]` is the ground truth of prompt i of the step (rollouts refer to prompts by index), `itemIndex[i]`
   * its index in the run's items.
   */
  rollouts(runId: string, step: number, rollouts: Rollout[], solutions: string[], itemIndex: number[]): void;
  snapshot(runId: string, snapshot: RunSnapshot): void | Promise<void>;
  status(runId: string, status: RunStatus, detail?: string): void;
}

interface Run {
  id: string;
  status: RunStatus;
  resumeWaiters: (() => void)[];
}

let active: Run | null = null;

export function runStatus(): { id: string; status: RunStatus } | null {
  return active && { id: active.id, status: active.status };
}

/**
 * Start a run; resolves when it ends. `onDone` receives the trained policy (the caller decides whether it
 * replaces the current one).
 */
export async function startRun(id: string, policy: Policy, reference: Policy | null, items: TrainItem[], how: TrainMethod, events: TrainEvents, snapshotEvery: number, resume?: RunSnapshot, extra?: Pick<TrainerHooks, 'evaluate' | 'evalEvery' | 'gradientHelper'>): Promise<Policy> {
  if (active && (active.status === 'running' || active.status === 'paused' || active.status === 'stopping')) throw new Error(`run ${active.id} is still ${active.status}`);
  const run: Run = { id, status: 'running', resumeWaiters: [] };
  active = run;
  events.status(id, 'running');
  try {
    const result = await runTraining(policy, reference, items, how, {
      ...extra,
      snapshotEvery,
      onStep: (step, m) => events.metrics(id, step, { ...m, ...memoryInUse() }),
      onRollouts: (step, r, batch) => events.rollouts(id, step, r, batch.map((b) => b.solution), batch.map((b) => items.indexOf(b))),
      onSnapshot: (s) => events.snapshot(id, s),
      shouldStop: () => run.status === 'stopping',
      // Yield to the event loop between steps so control messages are handled even while running.
      whilePaused: () => new Promise<void>((resolve) => (run.status === 'paused' ? run.resumeWaiters.push(resolve) : setTimeout(resolve, 0))),
    }, resume);
    run.status = result.stopped ? 'stopped' : 'finished';
    events.status(id, run.status, result.skipped ? `${result.skipped} update(s) skipped: non-finite loss or gradients` : undefined);
    return result.policy;
  } catch (e) {
    run.status = 'failed';
    events.status(id, 'failed', e instanceof Error ? e.message : String(e));
    throw e;
  }
}

/**
 * Memory held after a step (not TRL names): tensors alive, and on WASM the heap, which grows to the largest
 * step's peak and never shrinks (what the tab really holds).
 */
function memoryInUse(): Record<string, number> {
  const out: Record<string, number> = { 'memory/tensors_mb': tf.memory().numBytes / 2 ** 20 };
  const heap = wasmHeapBytes();
  if (heap) out['memory/wasm_heap_mb'] = heap / 2 ** 20;
  return out;
}

export function control(id: string, action: 'pause' | 'resume' | 'stop'): RunStatus {
  if (!active || active.id !== id) throw new Error(`no run ${id}`);
  if (action === 'pause' && active.status === 'running') active.status = 'paused';
  else if (action === 'resume' && active.status === 'paused') active.status = 'running';
  else if (action === 'stop' && (active.status === 'running' || active.status === 'paused')) active.status = 'stopping';
  if (active.status !== 'paused') active.resumeWaiters.splice(0).forEach((r) => r());
  return active.status;
}
