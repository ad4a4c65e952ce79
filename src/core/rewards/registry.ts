/**
 * The reward functions by name and mode, their ranges, and the weighted total used for training.
 * Every function here is total: it returns a finite number in its range for any pair of strings.
 */
import { accuracyCls } from './classification';
import { referenceDetectionScores } from './detectionReference';
import { strictDetectionScores } from './detectionStrict';
import { formatReward } from './format';
import { groundingScores } from './grounding';
import { type RewardFn, type RewardMode, type RewardName, type Task, TASK_REWARDS } from './types';

/**
 * Range of each reward. grounding_giou in reference mode goes below 0 only for inverted boxes, where the
 * reference's union is negative (see grounding.ts); its lower bound is then unbounded but finite.
 */
export const REWARD_RANGES: Record<RewardName, readonly [number, number]> = {
  format: [0, 1],
  accuracy_iou: [0, 1],
  accuracy_confidence: [0, 1],
  accuracy_cls: [0, 1],
  grounding_giou: [0, 2],
  grounding_iou: [0, 1],
};

export function rewardFunction(name: RewardName, mode: RewardMode): RewardFn {
  switch (name) {
    case 'format':
      return (c) => formatReward(c);
    case 'accuracy_iou':
      return mode === 'reference' ? (c, s) => referenceDetectionScores(c, s).accuracy_iou : (c, s) => strictDetectionScores(c, s).accuracy_iou;
    case 'accuracy_confidence':
      return mode === 'reference'
        ? (c, s) => referenceDetectionScores(c, s).accuracy_confidence
        : (c, s) => strictDetectionScores(c, s).accuracy_confidence;
    case 'accuracy_cls':
      return (c, s) => accuracyCls(c, s, mode);
    case 'grounding_giou':
      return (c, s) => groundingScores(c, s, mode).grounding_giou;
    case 'grounding_iou':
      return (c, s) => groundingScores(c, s, mode).grounding_iou;
  }
}

/** All rewards reported for a task, computed together (detection and grounding share one parse). */
export function taskRewards(task: Task, completion: string, solution: string, mode: RewardMode): Partial<Record<RewardName, number>> {
  const format = formatReward(completion);
  switch (task) {
    case 'detection': {
      const d = mode === 'reference' ? referenceDetectionScores(completion, solution) : strictDetectionScores(completion, solution);
      return { format, accuracy_iou: d.accuracy_iou, accuracy_confidence: d.accuracy_confidence };
    }
    case 'classification':
      return { format, accuracy_cls: accuracyCls(completion, solution, mode) };
    case 'grounding': {
      const g = groundingScores(completion, solution, mode);
      return { format, grounding_iou: g.grounding_iou, grounding_giou: g.grounding_giou };
    }
  }
}

/** Weighted sum of the selected rewards (default weight 1), as GRPO's total reward. */
export function totalReward(
  rewards: Partial<Record<RewardName, number>>,
  selected: readonly RewardName[],
  weights: Partial<Record<RewardName, number>> = {},
): number {
  return selected.reduce((sum, name) => sum + (weights[name] ?? 1) * (rewards[name] ?? 0), 0);
}

export { TASK_REWARDS };
