/**
 * GrpoConfig: every field of the GRPO trainer with its default (names follow TRL's GRPOConfig; defaults
 * follow the paper's released scripts, docs/design.md §4). Validated where a run starts.
 */
import type { RewardMode, RewardName } from '../rewards/types';

/** The loss aggregations (docs/design.md §4); the list is what validation and command lines accept. */
export const LOSS_TYPES = ['grpo', 'bnpo', 'dr_grpo', 'dapo'] as const;
export type LossType = (typeof LOSS_TYPES)[number];
/** How advantages are scaled: by the group's reward std, the batch's, or not at all. */
export const SCALE_REWARDS = ['group', 'batch', 'none'] as const;
export type ScaleRewards = (typeof SCALE_REWARDS)[number];

export interface GrpoConfig {
  /** G: completions sampled per prompt. Default 8 (≥ 2: advantages need a group). */
  numGenerations: number;
  /** Prompts per optimisation step; the batch is promptsPerStep × G completions. Default 4. */
  promptsPerStep: number;
  /** Sampling temperature T; log-probs are taken at the same temperature. Default 1.0. */
  temperature: number;
  /** Top-k sampling limit; 0 = none. Default 0. */
  topK: number;
  /** Maximum completion length in tokens. Default 48. */
  maxCompletionLength: number;
  /** β: weight of the k3 KL penalty toward the frozen reference policy. Default 0.04. */
  beta: number;
  /** ε_low: lower clipping range of the ratio, 1 − ε_low. Default 0.2. */
  epsilonLow: number;
  /** ε_high: upper clipping range of the ratio, 1 + ε_high. Default 0.2. */
  epsilonHigh: number;
  /** μ: optimisation passes over each generated batch. Default 1 (then the ratio is 1 and clipping never bites). */
  numIterations: number;
  /** How per-token losses are averaged (docs/design.md §4). Default 'grpo'. */
  lossType: LossType;
  /** Advantage scaling: by the group's std, the batch's std, or not at all. Default 'group'. */
  scaleRewards: ScaleRewards;
  /** Reward functions summed into the total reward. Default: the task's reference set. */
  rewardFunctions: RewardName[];
  /** Weight of each reward function; missing weights are 1. Default {}. */
  rewardWeights: Partial<Record<RewardName, number>>;
  /** Reward semantics: the released code's ('reference') or closed holes ('strict'). Default 'reference'. */
  rewardMode: RewardMode;
  /** Peak learning rate of AdamW. Default 1e-4 (a small policy moves less per step than a 2B one). */
  learningRate: number;
  /** Learning-rate decay after warm-up. Default 'linear'. */
  lrSchedule: 'constant' | 'linear' | 'cosine';
  /** Linear warm-up steps. Default 0. */
  warmupSteps: number;
  /** Gradient-norm clipping threshold; 0 disables. Default 1.0. */
  maxGradNorm: number;
  /** Optimisation steps of the run. Default 100. */
  steps: number;
  /** Copy the policy into the reference every N steps; 0 = never (frozen at the start). Default 0. */
  syncRefEvery: number;
  /** Seed of sampling and data order. Default 1. */
  seed: number;
  /**
   * Completions per forward/backward pass of the update; the passes' gradients are summed before clipping and
   * the optimizer step, so the update equals the whole batch's (to float rounding) while the activations alive
   * at once are one micro-batch's. 0 = the whole batch in one pass. Default 8 (the base policy's 32-completion
   * step peaks near 0.5 GB instead of 2.1 GB of tensor memory; bench `memory/grpo-step-peak-mb`).
   */
  microBatchSize: number;
}

export const DEFAULT_GRPO: Omit<GrpoConfig, 'rewardFunctions'> & { rewardFunctions: RewardName[] } = {
  numGenerations: 8,
  promptsPerStep: 4,
  temperature: 1.0,
  topK: 0,
  maxCompletionLength: 48,
  beta: 0.04,
  epsilonLow: 0.2,
  epsilonHigh: 0.2,
  numIterations: 1,
  lossType: 'grpo',
  scaleRewards: 'group',
  rewardFunctions: ['accuracy_iou', 'accuracy_confidence', 'format'],
  rewardWeights: {},
  rewardMode: 'reference',
  learningRate: 1e-4,
  lrSchedule: 'linear',
  warmupSteps: 0,
  maxGradNorm: 1.0,
  steps: 100,
  syncRefEvery: 0,
  seed: 1,
  microBatchSize: 8,
};

export function validateGrpoConfig(c: GrpoConfig): GrpoConfig {
  const problems: string[] = [];
  const int = (k: keyof GrpoConfig, min: number) => {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < min) problems.push(`${k} must be an integer ≥ ${min}`);
  };
  int('numGenerations', 2);
  int('promptsPerStep', 1);
  int('maxCompletionLength', 1);
  int('numIterations', 1);
  int('steps', 1);
  int('warmupSteps', 0);
  int('syncRefEvery', 0);
  int('microBatchSize', 0);
  for (const k of ['temperature', 'beta', 'epsilonLow', 'epsilonHigh', 'learningRate', 'maxGradNorm'] as const) {
    if (!Number.isFinite(c[k]) || c[k] < 0) problems.push(`${k} must be a finite number ≥ 0`);
  }
  // A config from a command line or a worker message is untyped at run time: an unknown name would reach
  // aggregateLoss / groupAdvantages and fail there without saying why.
  if (!(LOSS_TYPES as readonly string[]).includes(c.lossType)) problems.push(`lossType must be one of ${LOSS_TYPES.join(', ')}`);
  if (!(SCALE_REWARDS as readonly string[]).includes(c.scaleRewards)) problems.push(`scaleRewards must be one of ${SCALE_REWARDS.join(', ')}`);
  if (c.rewardFunctions.length === 0) problems.push('at least one reward function is needed');
  if (problems.length) throw new Error(`invalid GrpoConfig: ${problems.join('; ')}`);
  return c;
}
