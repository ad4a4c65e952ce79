/**
 * Confidence targets from the policy's own detection answers: the confidence phase of pretraining
 * (`npm run pretrain -- --confidence-phase`).
 *
 * Why: every pretraining target writes `'Confidence': 1.00`, so the policy writes 1.00 on every box. AP ranks
 * boxes by confidence, so its right boxes cannot come before its wrong ones (on the held-out novel set the same
 * boxes ranked by their true IoU would score mAP 0.176 instead of 0.098: scoring/rankingBound.ts), and the
 * confidence reward of RFT has no spread to work on. Here each box the policy wrote gets as its target confidence
 * its IoU with the closest true box of the query (0 where the class is absent), and only those confidence tokens
 * carry a loss weight, so the boxes and the rest of the answer stay the policy's own.
 */
import type { Tokenizer } from '../model/tokenizer';
import { type Box, boxIou, parseStrictDetection } from '../rewards/detectionStrict';

export interface ConfidenceTargets {
  /** The completion with each box's confidence token replaced by its target. */
  tokens: number[];
  /** Loss weight per token: 1 on the replaced confidence tokens, 0 elsewhere. */
  weights: number[];
  /** The target of each box, in the order written. */
  ious: number[];
}

/** True boxes (0–1000) of a detection solution; none for `No Objects` or an unreadable one. */
export function solutionBoxes(solution: string): Box[] {
  return (parseStrictDetection(solution) ?? []).flatMap((e) => (e ? [e.box] : []));
}

/**
 * Walk the completion's tokens: a box is `{'Position': [` coordinates `], 'Confidence': ` and one confidence
 * token. Its target is the best IoU with a true box (0 for a box that is not four increasing coordinates).
 */
export function confidenceTargets(tok: Tokenizer, completion: readonly number[], truth: Box[]): ConfidenceTargets {
  const tokens = [...completion];
  const weights = tokens.map(() => 0);
  const ious: number[] = [];
  const open = tok.id('boxOpen');
  const close = tok.id('positionClose');
  let start = -1;
  for (let j = 0; j < tokens.length; j++) {
    if (tokens[j] === open) start = j;
    if (tokens[j] !== close || j + 1 >= tokens.length || tok.kind(tokens[j + 1]) !== 'conf') continue;
    const coords = start >= 0 ? tokens.slice(start + 1, j).filter((t) => tok.kind(t) === 'coord').map((t) => tok.coordValue(t)) : [];
    const box = coords.length === 4 && coords[2] > coords[0] && coords[3] > coords[1] ? (coords as Box) : null;
    const iou = box ? Math.max(0, ...truth.map((g) => boxIou(box, g))) : 0;
    tokens[j + 1] = tok.confId(iou);
    weights[j + 1] = 1;
    ious.push(Math.round(iou * 100) / 100);
    start = -1;
  }
  return { tokens, weights, ious };
}
