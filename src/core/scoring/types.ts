/** Inputs and outputs of the scorer (issue 2 §6). */
import type { RewardName, Task } from '../rewards/types';

export type SampleId = string | number;

export interface ScoreSample {
  id: SampleId;
  task: Task;
  /** Image size in pixels: 0–1000 coordinates become pixels through it. */
  width: number;
  height: number;
  /** Detection only: the image this (image, category) pair belongs to. */
  image_id?: SampleId;
  /** Detection only: the category whose boxes the solution lists. */
  category?: string;
  /** Ground truth in the text format of docs/design.md §2. */
  solution: string;
}

export interface Prediction {
  id: SampleId;
  completion: string;
}

/** A stable map key for an id: 1 and "1" are different ids. */
export const idKey = (id: SampleId) => `${typeof id}:${id}`;

export interface SampleScore {
  id: SampleId;
  rewards: Partial<Record<RewardName, number>>;
}

export interface ScoreMetrics {
  detection?: { map: number; ap50: number; per_category: Record<string, { ap: number; ap50: number }> };
  classification?: { accuracy: number };
  grounding?: { miou: number; acc50: number; ciou: number };
}

export interface ScoreReport {
  samples: SampleScore[];
  metrics: ScoreMetrics;
}
