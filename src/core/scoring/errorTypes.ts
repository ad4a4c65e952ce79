/**
 * What kind of mistake an answer makes, per example (the Compare view sorts and filters by it):
 *  - miss: a true box that no predicted box overlaps by IoU ≥ 0.1 (grounding: no box at all);
 *  - false box: a predicted box that overlaps no true box by IoU ≥ 0.1 (a box where the answer is No Objects too);
 *  - loose box: a true box whose best prediction overlaps it by IoU in [0.1, 0.5) — found, but not tight enough to
 *    count at COCO's AP50 or Acc@0.5;
 *  - wrong class: a classification answer that is not the true class.
 * Boxes are read with the strict parser (the boxes a reader would draw); the thresholds are those of the metrics.
 */
import { groundingBox, classificationCorrect } from '../metrics/taskMetrics';
import { type Box, boxIou, parseStrictDetection } from '../rewards/detectionStrict';
import type { Task } from '../rewards/types';

export const ERROR_TYPES = ['miss', 'false box', 'loose box', 'wrong class'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

const FOUND = 0.1;
const TIGHT = 0.5;
const boxesOf = (text: string): Box[] => (parseStrictDetection(text) ?? []).flatMap((e) => (e ? [e.box] : []));

/** The error types of one answer (empty when it is right). */
export function errorTypes(task: Task, completion: string, solution: string): ErrorType[] {
  if (task === 'classification') return classificationCorrect(completion, solution) ? [] : ['wrong class'];
  if (task === 'grounding') {
    const gt = groundingBox(solution, 'strict', false);
    const pred = groundingBox(completion, 'strict', true);
    if (!gt) return [];
    if (!pred) return ['miss'];
    const iou = boxIou(gt as Box, pred as Box);
    return iou >= TIGHT ? [] : iou >= FOUND ? ['loose box'] : ['miss', 'false box'];
  }
  const truth = boxesOf(solution);
  const preds = boxesOf(completion);
  const out = new Set<ErrorType>();
  for (const t of truth) {
    const best = Math.max(0, ...preds.map((p) => boxIou(t, p)));
    if (best < FOUND) out.add('miss');
    else if (best < TIGHT) out.add('loose box');
  }
  for (const p of preds) if (Math.max(0, ...truth.map((t) => boxIou(t, p))) < FOUND) out.add('false box');
  return ERROR_TYPES.filter((e) => out.has(e));
}
