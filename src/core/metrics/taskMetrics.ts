/**
 * Classification accuracy and grounding mIoU / Acc@0.5 / cIoU (docs/design.md §5).
 * An unparsable answer is wrong: IoU 0, and its ground-truth area still counts in the cIoU union.
 */
import { firstAnswerGroup, pyStrip } from '../py/pyText';
import { normaliseLabel } from '../rewards/classification';
import { type GroundingBox, boxAreas, referenceGroundingBox, strictGroundingBox } from '../rewards/grounding';
import type { RewardMode } from '../rewards/types';

/** Exact label match after normalisation (spaces and `_` removed, lowercase); no answer tag → wrong. */
export function classificationCorrect(completion: string, solution: string): boolean {
  const group = firstAnswerGroup(completion, true);
  if (group === null) return false;
  const answer = normaliseLabel(pyStrip(group));
  const gt = normaliseLabel(pyStrip(firstAnswerGroup(solution, true) ?? solution));
  return answer !== '' && answer === gt;
}

export function accuracy(correct: boolean[]): number {
  return correct.length ? correct.filter(Boolean).length / correct.length : 0;
}

/** The predicted or ground-truth grounding box as fractions of the image, with the mode's parser. */
export function groundingBox(text: string, mode: RewardMode, isCompletion: boolean): GroundingBox | null {
  const group = firstAnswerGroup(text, isCompletion);
  if (mode === 'strict') return group === null && isCompletion ? null : strictGroundingBox(pyStrip(group ?? text));
  try {
    return referenceGroundingBox(pyStrip(group ?? text));
  } catch {
    return null;
  }
}

export interface GroundingPair {
  pred: GroundingBox | null;
  gt: GroundingBox;
  width: number;
  height: number;
}

export interface GroundingMetrics {
  miou: number;
  acc50: number;
  ciou: number;
}

export function groundingMetrics(pairs: GroundingPair[]): GroundingMetrics {
  if (pairs.length === 0) return { miou: 0, acc50: 0, ciou: 0 };
  let iouSum = 0;
  let hits = 0;
  let interSum = 0;
  let unionSum = 0;
  for (const { pred, gt, width, height } of pairs) {
    const px = (b: GroundingBox): GroundingBox => [b[0] * width, b[1] * height, b[2] * width, b[3] * height];
    const g = px(gt);
    const gtArea = Math.max(0, g[2] - g[0]) * Math.max(0, g[3] - g[1]);
    if (pred === null) {
      unionSum += gtArea;
      continue;
    }
    const { inter, union } = boxAreas(px(pred), g);
    const iou = union > 0 ? inter / union : 0;
    iouSum += iou;
    if (iou >= 0.5) hits++;
    interSum += inter;
    unionSum += Math.max(union, 0);
  }
  return { miou: iouSum / pairs.length, acc50: hits / pairs.length, ciou: unionSum > 0 ? interSum / unionSum : 0 };
}
