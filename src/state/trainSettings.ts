/**
 * Every trainer setting the Train view offers, with its default and a one-line explanation (the defaults are the
 * trainers' own, DEFAULT_GRPO / DEFAULT_SFT), and the presets: a newcomer's first minute and the experiment
 * suites' settings (scripts/experiment.ts).
 */
import { DEFAULT_GRPO, type GrpoConfig, LOSS_TYPES, SCALE_REWARDS } from '../core/train/grpoConfig';
import { DEFAULT_SFT, type SftConfig } from '../core/train/sftConfig';

export type SettingKind = { kind: 'int'; min: number } | { kind: 'number'; min: number; step: number } | { kind: 'choice'; options: readonly string[] };

export interface Setting<K extends string> {
  key: K;
  label: string;
  help: string;
  spec: SettingKind;
}

/** The GRPO fields the form shows up front (TrainForm fields). */
export const GRPO_BASIC_HELP: Record<'numGenerations' | 'promptsPerStep' | 'temperature' | 'maxCompletionLength' | 'beta', string> = {
  numGenerations: 'the group whose rewards are normalised into advantages (≥ 2); default 8',
  promptsPerStep: 'prompts per update; the batch is prompts × G completions; default 4',
  temperature: 'sampling temperature; log-probs are taken at the same temperature; default 1.0',
  maxCompletionLength: 'completions are cut here and count as clipped; default 48',
  beta: 'KL pull toward the model the run started from (k3 estimator); default 0.04',
};

type GrpoScalarKey = Exclude<keyof GrpoConfig, 'rewardFunctions' | 'rewardWeights' | 'rewardMode' | 'steps' | 'seed' | 'learningRate' | keyof typeof GRPO_BASIC_HELP>;
type SftScalarKey = Exclude<keyof SftConfig, 'steps' | 'seed' | 'learningRate'>;

/** The other GRPO settings (an "all settings" panel), in TRL's order. */
export const GRPO_SETTINGS: Setting<GrpoScalarKey>[] = [
  { key: 'topK', label: 'Top-k', help: 'sample among the k most likely tokens; 0 = all', spec: { kind: 'int', min: 0 } },
  { key: 'epsilonLow', label: 'Clip ε low', help: 'the ratio is clipped below at 1 − ε', spec: { kind: 'number', min: 0, step: 0.05 } },
  { key: 'epsilonHigh', label: 'Clip ε high', help: 'the ratio is clipped above at 1 + ε (DAPO raises it)', spec: { kind: 'number', min: 0, step: 0.05 } },
  { key: 'numIterations', label: 'Updates per batch (μ)', help: 'passes over each generated batch; at 1 clipping never acts', spec: { kind: 'int', min: 1 } },
  { key: 'lossType', label: 'Loss aggregation', help: 'how per-token losses are averaged: grpo, bnpo, dr_grpo, dapo', spec: { kind: 'choice', options: LOSS_TYPES } },
  { key: 'scaleRewards', label: 'Advantage scaling', help: 'divide by the group’s reward std, the batch’s, or not at all', spec: { kind: 'choice', options: SCALE_REWARDS } },
  { key: 'lrSchedule', label: 'Learning-rate schedule', help: 'decay after warm-up', spec: { kind: 'choice', options: ['linear', 'cosine', 'constant'] } },
  { key: 'warmupSteps', label: 'Warm-up', help: 'linear warm-up from 0 to the peak learning rate over this many updates', spec: { kind: 'int', min: 0 } },
  { key: 'maxGradNorm', label: 'Gradient-norm clip', help: 'gradients are scaled down to this norm; 0 disables', spec: { kind: 'number', min: 0, step: 0.1 } },
  { key: 'syncRefEvery', label: 'Sync reference every', help: 'copy the policy into the KL reference every N steps; 0 = frozen', spec: { kind: 'int', min: 0 } },
  { key: 'microBatchSize', label: 'Micro-batch size', help: 'completions per forward/backward pass; gradients add up to the whole batch’s, memory falls with it; 0 = all at once', spec: { kind: 'int', min: 0 } },
];

export const SFT_SETTINGS: Setting<SftScalarKey>[] = [
  { key: 'batchSize', label: 'Batch size', help: 'sequences per step (32 matches GRPO’s 4 prompts × 8 completions)', spec: { kind: 'int', min: 1 } },
  { key: 'lrSchedule', label: 'Learning-rate schedule', help: 'decay after warm-up', spec: { kind: 'choice', options: ['linear', 'cosine', 'constant'] } },
  { key: 'warmupSteps', label: 'Warm-up', help: 'linear warm-up from 0 to the peak learning rate over this many updates', spec: { kind: 'int', min: 0 } },
  { key: 'maxGradNorm', label: 'Gradient-norm clip', help: 'gradients are scaled down to this norm; 0 disables', spec: { kind: 'number', min: 0, step: 0.1 } },
  { key: 'microBatchSize', label: 'Micro-batch size', help: 'sequences per forward/backward pass; gradients add up to the whole batch’s, memory falls with it; 0 = all at once', spec: { kind: 'int', min: 0 } },
];

export const defaultOf = (method: 'grpo' | 'sft', key: string): unknown => (method === 'grpo' ? (DEFAULT_GRPO as unknown as Record<string, unknown>)[key] : (DEFAULT_SFT as unknown as Record<string, unknown>)[key]);

export interface Preset {
  id: string;
  label: string;
  help: string;
  /** Form fields it sets; `sft` overrides SFT's own settings (batch size, its learning rate). */
  patch: { steps: number; learningRate: number; numGenerations: number; promptsPerStep: number; maxCompletionLength: number; sft: Partial<SftConfig> };
}

export const PRESETS: Preset[] = [
  {
    id: 'quick',
    label: 'Quick look',
    help: 'curves moving within a minute on WASM: 2 prompts × G 4, 30 steps',
    patch: { steps: 30, learningRate: 1e-4, numGenerations: 4, promptsPerStep: 2, maxCompletionLength: 80, sft: { batchSize: 8 } },
  },
  {
    id: 'suite',
    label: 'Experiment suite',
    help: 'npm run experiment’s settings: RFT 4 prompts × G 8 at 1e-4 against SFT batches of 32 at 2e-5, 80 steps',
    patch: { steps: 80, learningRate: 1e-4, numGenerations: 8, promptsPerStep: 4, maxCompletionLength: 80, sft: { batchSize: 32, learningRate: 2e-5 } },
  },
  {
    id: 'one-prompt',
    label: 'One-prompt suite',
    help: 'the earlier suites (docs/results/one-prompt): 1 prompt × G 8 against SFT batches of 8 at 2e-5, 80 steps',
    patch: { steps: 80, learningRate: 1e-4, numGenerations: 8, promptsPerStep: 1, maxCompletionLength: 80, sft: { batchSize: 8, learningRate: 2e-5 } },
  },
];

/** Reward functions a task's runs can use, each with a line on what it pays for. */
export const REWARD_HELP: Record<string, string> = {
  format: '1 when the completion is <think>…</think> <answer>…</answer>',
  accuracy_iou: 'IoU of confidence-ordered boxes matched to the truth (the paper’s IoU reward)',
  accuracy_confidence: 'confidence close to 1 on right boxes and to 0 on wrong ones',
  accuracy_cls: 'the class name matches (substring rule of the reference)',
  grounding_giou: 'GIoU + 1 of the answer’s box (0–2, the reference grounding reward)',
  grounding_iou: 'plain IoU of the answer’s box (0–1)',
};
export { REFERENCE_REWARD_SET, TASK_REWARDS, type RewardName } from '../core/rewards/types';
