/**
 * A training run, SFT or GRPO, step by step: seeded data order, learning-rate schedule, snapshots every N
 * steps, resume from a snapshot, pause/stop between steps, and a guard that skips (and reports) any update
 * whose loss or gradients are not finite, so the weights are never corrupted. The same loop runs in the worker
 * and in Node scripts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng';
import type { Task } from '../rewards/types';
import type { Policy } from '../model/policy';
import { Adam } from './adam';
import { concatFloat32 } from './floatArrays';
import { gradientStep, microBatches, partsGradientStep } from './gradients';
import { DEFAULT_GRPO, type GrpoConfig, validateGrpoConfig } from './grpoConfig';
import { type Rollout, grpoStep } from './grpoStep';
import { type RunSnapshot, restoreRun, snapshotRun } from './runState';
import { learningRate } from './schedule';
import { DEFAULT_SFT, type SftConfig } from './sftConfig';
import type { GradientHelper, LossPart } from './lossParts';
import { type BatchSource, FINE_TUNE_OPTIMIZER, type SupervisedConfig } from './batchSource';

/** One step of a batch-source run: the source's batch and loss parts, clipped gradients, the AdamW update. */
async function supervisedStep(policy: Policy, adam: Adam, source: BatchSource, cfg: SupervisedConfig, step: number, lr: number): Promise<Record<string, number>> {
  const t0 = performance.now();
  const batch = await source.batch(step, policy);
  let kept: Record<string, tf.Scalar> = {};
  try {
    const vars = source.trainable?.(policy) ?? policy.params.trainable;
    const out = await gradientStep(
      () => {
        const { total, parts } = batch.loss(policy);
        kept = Object.fromEntries(Object.entries(parts ?? {}).map(([k, v]) => [k, tf.keep(v)]));
        return total;
      },
      vars,
      cfg.maxGradNorm,
      (grads) => {
        if (!source.transformGrads) return adam.applyVariableGrads(policy.params, grads, lr);
        const changed = source.transformGrads(grads, policy);
        adam.applyVariableGrads(policy.params, changed, lr);
        tf.dispose(Object.values(changed));
      },
    );
    const parts = await Promise.all(Object.entries(kept).map(async ([k, v]) => [`loss/${k}`, (await v.data())[0]] as const));
    return { loss: out.loss, ...Object.fromEntries(parts), grad_norm: out.gradNorm, learning_rate: lr, skipped_updates: out.applied ? 0 : 1, step_time: (performance.now() - t0) / 1000 };
  } finally {
    tf.dispose(Object.values(kept));
    batch.dispose();
  }
}

export interface TrainItem {
  /**
   * The policy's visual input (config.visualShape, flattened): RGB in 0–1 for the pixel stems, the tower's features
   * for a tower policy, computed once when the item is made (model/visualInput.ts encodeImages).
   */
  image: Float32Array;
  prompt: number[];
  task: Task;
  /** Ground truth for the rewards (GRPO). */
  solution: string;
  /** Target completion tokens with the final <eos> (SFT). */
  target: number[];
}

export { DEFAULT_SFT, type SftConfig };

/** GRPO and SFT on items (the app, the experiments), or supervised steps on a batch source (pretraining). */
export type TrainMethod = { method: 'sft'; config: SftConfig } | { method: 'grpo'; config: GrpoConfig } | { method: 'supervised'; config: SupervisedConfig; source: BatchSource };

export interface TrainerHooks {
  /** After each step (and, with `evaluate`, at step 0), with the policy being trained. */
  onStep?: (step: number, metrics: Record<string, number>, policy: Policy) => void | Promise<void>;
  /** Extra metadata of every snapshot's checkpoint (a script's provenance: wall time, data). */
  snapshotMeta?: (step: number) => Record<string, unknown>;
  onRollouts?: (step: number, rollouts: Rollout[], items: TrainItem[]) => void | Promise<void>;
  onSnapshot?: (snapshot: RunSnapshot) => void | Promise<void>;
  /** Checked between steps with the number of steps done; true ends the run after a final snapshot. */
  shouldStop?: (step: number) => boolean;
  /** Awaited between steps; resolves when the run may continue (pause/resume). */
  whilePaused?: () => Promise<void>;
  /** Steps between snapshots (0 = only at the end). Default 0. */
  snapshotEvery?: number;
  /**
   * Held-out metrics of the policy being trained (evaluate.ts evaluateItems), run before the first step (reported
   * as step 0), every `evalEvery` steps and after the last, merged into that step's metrics. Greedy, with its own
   * RNG: a run with evaluation trains exactly as one without.
   */
  evaluate?: (policy: Policy) => Promise<Record<string, number>>;
  /** Steps between evaluations (0 = start and end only). Default 0. */
  evalEvery?: number;
  /** A factor on the scheduled learning rate of a step (a re-warm-up after new optimizer moments). Default 1. */
  lrScale?: (step: number) => number;
  /**
   * Other workers that compute a share of each GRPO or SFT update's micro-batches at the same time (lossParts.ts);
   * the step is the same as without them. Default none: every part here.
   */
  gradientHelper?: GradientHelper | null;
}

export interface RunResult {
  policy: Policy;
  steps: number;
  stopped: boolean;
  skipped: number;
}

/** Items of step `step`: a seeded permutation per epoch, consumed in order. */
export function stepItems<T>(items: T[], count: number, step: number, seed: number): T[] {
  const out: T[] = [];
  for (let k = 0; k < count; k++) {
    const flat = step * count + k;
    const epoch = Math.floor(flat / items.length);
    const order = items.map((_, i) => i);
    const rng = new Rng(seed * 7919 + epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    out.push(items[order[flat % items.length]]);
  }
  return out;
}

/**
 * Train `policy` on `items`. With `resume`, the run continues from that snapshot (its policy replaces the one
 * passed in, which the caller still owns). The returned policy is the trained one.
 */
export async function runTraining(policy: Policy, reference: Policy | null, items: TrainItem[], how: TrainMethod, hooks: TrainerHooks = {}, resume?: RunSnapshot): Promise<RunResult> {
  if (items.length === 0 && how.method !== 'supervised') throw new Error('no training data');
  // A config stored before a field existed (a snapshot or a run record) runs with that field's default.
  if (how.method === 'grpo') how = { ...how, config: validateGrpoConfig({ ...DEFAULT_GRPO, ...how.config }) };
  if (how.method === 'sft') how = { ...how, config: { ...DEFAULT_SFT, ...how.config } };
  const cfg = how.config;
  const adam = new Adam(how.method === 'supervised' ? (how.config.optimizer ?? FINE_TUNE_OPTIMIZER) : FINE_TUNE_OPTIMIZER);
  const rng = new Rng(cfg.seed);
  let step = 0;
  let current = policy;
  if (resume) {
    current = restoreRun(resume, adam, rng, policy.tower);
    step = resume.step;
  }
  const start = how.method === 'supervised' ? (how.config.scheduleStart ?? 0) : 0;
  const schedule = { lr: cfg.learningRate, warmup: cfg.warmupSteps, total: cfg.steps - start, decay: cfg.lrSchedule, final: how.method === 'supervised' ? (how.config.finalLrFraction ?? 0) : 0 };
  let skipped = 0;
  let stopped = false;
  const snapshot = async () => hooks.onSnapshot?.(await snapshotRun(current, adam, step, rng, { method: how.method, config: cfg, ...hooks.snapshotMeta?.(step) }));
  try {
    if (hooks.evaluate && step === 0) await hooks.onStep?.(0, await hooks.evaluate(current), current);
    while (step < cfg.steps) {
      await hooks.whilePaused?.();
      if (hooks.shouldStop?.(step)) {
        stopped = true;
        break;
      }
      const lr = learningRate(schedule, step - start) * (hooks.lrScale?.(step) ?? 1);
      let metrics: Record<string, number>;
      if (how.method === 'supervised') {
        metrics = await supervisedStep(current, adam, how.source, how.config, step, lr);
        skipped += metrics.skipped_updates;
      } else if (how.method === 'grpo') {
        const batch = stepItems(items, how.config.promptsPerStep, step, cfg.seed);
        const res = await grpoStep(current, reference, adam, how.config, batch, lr, rng, undefined, hooks.gradientHelper);
        metrics = res.metrics;
        skipped += res.metrics.skipped_updates;
        await hooks.onRollouts?.(step + 1, res.rollouts, batch);
      } else {
        const t0 = performance.now();
        const batch = stepItems(items, how.config.batchSize, step, cfg.seed);
        const tokens = batch.reduce((n, b) => n + b.target.length, 0);
        const parts: LossPart[] = microBatches(batch.length, how.config.microBatchSize).map(([from, to]) => {
          const rows = batch.slice(from, to);
          return { kind: 'sft', images: concatFloat32(rows.map((b) => b.image)), prompts: rows.map((b) => b.prompt), completions: rows.map((b) => b.target), wholeTokens: tokens };
        });
        const out = await partsGradientStep(current, parts, how.config.maxGradNorm, (grads) => adam.applyVariableGrads(current.params, grads, lr), hooks.gradientHelper);
        if (!out.applied) skipped++;
        metrics = { loss: out.loss, grad_norm: out.gradNorm, learning_rate: lr, skipped_updates: out.applied ? 0 : 1, step_time: (performance.now() - t0) / 1000, ...(hooks.gradientHelper ? { 'parallel/parts_elsewhere': out.elsewhere } : {}) };
      }
      step++;
      if (hooks.evaluate && (step === cfg.steps || (hooks.evalEvery && step % hooks.evalEvery === 0))) metrics = { ...metrics, ...(await hooks.evaluate(current)) };
      await hooks.onStep?.(step, metrics, current);
      if (hooks.snapshotEvery && step % hooks.snapshotEvery === 0) await snapshot();
    }
    await snapshot();
  } finally {
    adam.dispose();
  }
  return { policy: current, steps: step, stopped, skipped };
}

