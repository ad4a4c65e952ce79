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
import { microBatches, partsGradientStep } from './gradients';
import type { GrpoConfig } from './grpoConfig';
import { fracZeroStd, groupAdvantages, unbiasedStd } from './grpoLoss';
import type { GradientHelper, LossPart } from './lossParts';

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
  helper?: GradientHelper | null,
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
    const settings = { temperature: cfg.temperature, beta: cfg.beta, epsilonLow: cfg.epsilonLow, epsilonHigh: cfg.epsilonHigh, lossType: cfg.lossType, maxCompletionLength: cfg.maxCompletionLength };
    const parts: LossPart[] = [];
    for (const [from, to] of microBatches(whole.rows, cfg.microBatchSize)) {
      const rows = gen.promptIndex.slice(from, to);
      const comps = completions.slice(from, to);
      const L = Math.max(...comps.map((c) => c.length));
      const partImages = concatFloat32(rows.map((i) => prompts[i].image));
      const oldLogp = Float32Array.from(comps.flatMap((c, k) => Array.from({ length: L }, (_, j) => (j < c.length ? (gen.logprobs[from + k][j] ?? 0) : 0))));
      let refLogp: Float32Array | null = null;
      if (cfg.beta !== 0 && reference) {
        const t = tf.tidy(() => completionLogprobs(reference, { images: tf.tensor4d(partImages, [rows.length, ...visualShape(policy.config)]), prompts: rows.map((i) => prompts[i].prompt), completions: comps }, cfg.temperature).logprobs);
        refLogp = (await t.data()) as Float32Array;
        t.dispose();
      }
      parts.push({ kind: 'grpo', images: partImages, prompts: rows.map((i) => prompts[i].prompt), completions: comps, oldLogp, refLogp, advantages: Float32Array.from(advantages.slice(from, to)), whole, settings });
    }
    const tLogprob = performance.now();
    let gradNorm = 0;
    let skipped = 0;
    const stats = { kl: 0, entropy: 0, clip: 0 };
    let elsewhere = 0;
    for (let it = 0; it < cfg.numIterations; it++) {
      const out = await partsGradientStep(policy, parts, cfg.maxGradNorm, (grads) => adam.applyVariableGrads(policy.params, grads, lr), helper);
      const per = (k: number) => out.sums.reduce((a, s) => a + s[k], 0) / Math.max(1, whole.tokens);
      [stats.kl, stats.entropy, stats.clip] = [per(0), per(1), per(2)];
      gradNorm = out.gradNorm;
      elsewhere += out.elsewhere;
      if (!out.applied) skipped++;
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
    if (helper) metrics['parallel/parts_elsewhere'] = elsewhere;
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

