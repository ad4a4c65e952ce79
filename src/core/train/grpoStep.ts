/**
 * One GRPO step (docs/design.md §4): sample G completions per prompt, score them with the verifiable rewards,
 * normalise rewards into advantages inside each group, then μ updates of the clipped surrogate with the k3 KL
 * toward the frozen reference. Logs TRL's metric names.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng';
import { taskRewards, totalReward } from '../rewards/registry';
import type { RewardName, Task } from '../rewards/types';
import { visualShape } from '../model/config';
import { generate } from '../model/generate';
import { completionLogprobs } from '../model/logprobs';
import type { Policy } from '../model/policy';
import type { Adam } from './adam';
import { concatFloat32 } from './floatArrays';
import { accumulatedGradientStep, microBatches } from './gradients';
import type { GrpoConfig } from './grpoConfig';
import { aggregateLoss, fracZeroStd, groupAdvantages, perTokenLoss, unbiasedStd } from './grpoLoss';

export interface GrpoPrompt {
  /** The policy's visual input (config.visualShape, flattened; trainer.ts TrainItem). */
  image: Float32Array;
  prompt: number[];
  task: Task;
  solution: string;
}

export interface Rollout {
  promptIndex: number;
  completion: string;
  rewards: Partial<Record<RewardName, number>>;
  reward: number;
  advantage: number;
  /** Cut at the maximum completion length before it ended (no <eos>). */
  clipped: boolean;
}

export interface GrpoStepResult {
  metrics: Record<string, number>;
  rollouts: Rollout[];
}

/** Override of the reward for toy tasks and tests; by default the config's reward functions are used. */
export type CustomReward = (completion: string, prompt: GrpoPrompt) => number;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export async function grpoStep(
  policy: Policy,
  reference: Policy | null,
  adam: Adam,
  cfg: GrpoConfig,
  prompts: GrpoPrompt[],
  lr: number,
  rng: Rng,
  customReward?: CustomReward,
): Promise<GrpoStepResult> {
  const t0 = performance.now();
  const G = cfg.numGenerations;
  const images = tf.tensor4d(concatFloat32(prompts.map((p) => p.image)), [prompts.length, ...visualShape(policy.config)]);
  try {
    const gen = await generate(policy, { images, prompts: prompts.map((p) => p.prompt), samplesPerPrompt: G, maxNewTokens: cfg.maxCompletionLength, temperature: cfg.temperature, topK: cfg.topK, rng });
    const tRollout = performance.now();
    // Rewards
    const perFn: Partial<Record<RewardName, number>>[] = gen.texts.map((text, r) => {
      const p = prompts[gen.promptIndex[r]];
      return customReward ? {} : taskRewards(p.task, text, p.solution, cfg.rewardMode);
    });
    const totals = gen.texts.map((text, r) => (customReward ? customReward(text, prompts[gen.promptIndex[r]]) : totalReward(perFn[r], cfg.rewardFunctions, cfg.rewardWeights)));
    const advantages = groupAdvantages(totals, G, cfg.scaleRewards);
    const tReward = performance.now();
    // The update's batch, one image per completion and completions as sampled (with <eos> when produced), in
    // micro-batches whose gradients are summed (cfg.microBatchSize): each holds its rows' images, old and
    // reference log-probs and advantages, and its share of the whole batch's loss (aggregateLoss `whole`).
    const completions = gen.tokens.map((t) => (t.length ? t : [policy.tokenizer.id('eos')]));
    const whole = { rows: completions.length, tokens: completions.reduce((n, c) => n + c.length, 0) };
    const parts = microBatches(whole.rows, cfg.microBatchSize).map(([from, to]) => {
      const rows = gen.promptIndex.slice(from, to);
      const comps = completions.slice(from, to);
      const L = Math.max(...comps.map((c) => c.length));
      const batch = { images: tf.tidy(() => tf.gather(images, tf.tensor1d(rows, 'int32')) as tf.Tensor4D), prompts: rows.map((i) => prompts[i].prompt), completions: comps };
      const oldLogp = tf.tensor2d(comps.flatMap((c, k) => Array.from({ length: L }, (_, j) => (j < c.length ? (gen.logprobs[from + k][j] ?? 0) : 0))), [comps.length, L]);
      const refLogp = cfg.beta !== 0 && reference ? tf.tidy(() => completionLogprobs(reference, batch, cfg.temperature).logprobs) : null;
      return { batch, oldLogp, refLogp, adv: tf.tensor1d(advantages.slice(from, to)) };
    });
    await Promise.all(parts.map((p) => p.refLogp?.data())); // finish the reference passes here, so the timing below is the update's
    const tLogprob = performance.now();
    let gradNorm = 0;
    let skipped = 0;
    const stats = { kl: 0, entropy: 0, clip: 0 };
    try {
      for (let it = 0; it < cfg.numIterations; it++) {
        // Token sums of the metrics, computed inside the tapes, are kept (tf.keep) and read after the step.
        const kept: tf.Tensor[][] = [];
        const out = await accumulatedGradientStep(
          parts.map((part) => () => {
            const { logprobs, mask, entropy } = completionLogprobs(policy, part.batch, cfg.temperature);
            const { loss, kl, clipped } = perTokenLoss({ logp: logprobs, oldLogp: part.oldLogp, refLogp: part.refLogp, advantages: part.adv }, cfg);
            const total = (t: tf.Tensor) => tf.keep(tf.sum(tf.mul(t, mask)));
            kept.push([kl ? total(kl) : tf.keep(tf.scalar(0)), total(entropy), total(clipped)]);
            return aggregateLoss(loss, mask, cfg.lossType, cfg.maxCompletionLength, whole);
          }),
          policy.params.trainable,
          cfg.maxGradNorm,
          (grads) => adam.applyVariableGrads(policy.params, grads, lr),
        );
        const sums = await Promise.all(kept.map((ts) => Promise.all(ts.map(async (t) => (await t.data())[0]))));
        tf.dispose(kept.flat());
        const per = (k: number) => sums.reduce((a, s) => a + s[k], 0) / Math.max(1, whole.tokens);
        [stats.kl, stats.entropy, stats.clip] = [per(0), per(1), per(2)];
        gradNorm = out.gradNorm;
        if (!out.applied) skipped++;
      }
    } finally {
      tf.dispose(parts.flatMap((p) => [p.batch.images, p.oldLogp, p.adv, ...(p.refLogp ? [p.refLogp] : [])]));
    }
    const lengths = gen.tokens.map((t) => t.length);
    const groupStds: number[] = [];
    for (let g = 0; g < totals.length; g += G) groupStds.push(unbiasedStd(totals.slice(g, g + G)));
    const metrics: Record<string, number> = {
      reward: mean(totals),
      reward_std: mean(groupStds),
      frac_reward_zero_std: fracZeroStd(totals, G),
      kl: stats.kl,
      entropy: stats.entropy,
      'clip_ratio/region_mean': stats.clip,
      'completions/mean_length': mean(lengths),
      'completions/max_length': Math.max(...lengths),
      'completions/clipped_ratio': mean(gen.finished.map((f) => (f ? 0 : 1))),
      learning_rate: lr,
      grad_norm: gradNorm,
      skipped_updates: skipped,
    };
    for (const name of customReward ? [] : cfg.rewardFunctions) {
      const vals = perFn.map((r) => r[name] ?? 0);
      metrics[`rewards/${name}/mean`] = mean(vals);
      metrics[`rewards/${name}/std`] = unbiasedStd(vals);
    }
    const ious = perFn.map((r) => r.accuracy_iou ?? r.grounding_iou).filter((v): v is number => v !== undefined);
    if (ious.length) metrics['iou/mean'] = mean(ious);
    const tEnd = performance.now();
    metrics.step_time = (tEnd - t0) / 1000;
    // Where the step's time goes (not TRL names): sampling, reward scoring, reference log-probs, updates.
    metrics['time/rollout'] = (tRollout - t0) / 1000;
    metrics['time/reward'] = (tReward - tRollout) / 1000;
    metrics['time/ref_logprob'] = (tLogprob - tReward) / 1000;
    metrics['time/update'] = (tEnd - tLogprob) / 1000;
    const rollouts = gen.texts.map((completion, r) => ({ promptIndex: gen.promptIndex[r], completion, rewards: perFn[r], reward: totals[r], advantage: advantages[r], clipped: !gen.finished[r] }));
    return { metrics, rollouts };
  } finally {
    images.dispose();
  }
}

