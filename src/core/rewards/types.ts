/** Shared names of the reward layer (docs/design.md §3). */

/** `reference` reproduces the released Visual-RFT code including its quirks; `strict` closes its holes. */
export type RewardMode = 'reference' | 'strict';
export const REWARD_MODES: readonly RewardMode[] = ['reference', 'strict'];

export type Task = 'detection' | 'classification' | 'grounding';
export const TASKS: readonly Task[] = ['detection', 'classification', 'grounding'];

export type RewardName = 'format' | 'accuracy_iou' | 'accuracy_confidence' | 'accuracy_cls' | 'grounding_giou' | 'grounding_iou';
export const REWARD_NAMES: readonly RewardName[] = ['format', 'accuracy_iou', 'accuracy_confidence', 'accuracy_cls', 'grounding_giou', 'grounding_iou'];

/** A verifiable reward: pure, total (never throws), finite for any input string. */
export type RewardFn = (completion: string, solution: string) => number;

/** Rewards reported per task, in the scorer's output order (issue 2 §6). */
export const TASK_REWARDS: Record<Task, readonly RewardName[]> = {
  detection: ['format', 'accuracy_iou', 'accuracy_confidence'],
  classification: ['format', 'accuracy_cls'],
  grounding: ['format', 'grounding_iou', 'grounding_giou'],
};

/** The reference training set of each task (docs/design.md §3, "Total reward"), used as the default GRPO rewards. */
export const REFERENCE_REWARD_SET: Record<Task, readonly RewardName[]> = {
  detection: ['accuracy_iou', 'accuracy_confidence', 'format'],
  classification: ['accuracy_cls', 'format'],
  grounding: ['grounding_giou', 'format'],
};
