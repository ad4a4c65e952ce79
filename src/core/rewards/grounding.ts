/**
 * Grounding rewards (docs/design.md §3): grounding_giou (the reference reward, GIoU + 1 in [0, 2]) and
 * grounding_iou (our addition: plain IoU of the same box, 0–1).
 *
 * Reference parsing: every match of `\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)`
 * (Python `\s` and Unicode `\d`) gives points: all first corners, then all second corners, each /1000; the box is
 * points[0], points[1]. With two or more matches that pairs the first corners of two boxes: kept on purpose.
 * An inverted box can make the reference GIoU fall below −1 (its union is negative); reference mode keeps that
 * value, strict mode rejects inverted boxes.
 */
import { intTrueDiv } from '../py/pyNumeric';
import { PY_WS_CLASS, answerOrWhole, firstAnswerGroup, pyIntFromDigits, pyStrip } from '../py/pyText';
import { PyError } from '../py/pyValue';
import type { RewardMode } from './types';

export type GroundingBox = [number, number, number, number];

const W = `[${PY_WS_CLASS}]*`;
const D = '(\\p{Nd}+)';
const BOX_PATTERN = `\\(${W}${D}${W},${W}${D}${W}\\)${W},${W}\\(${W}${D}${W},${W}${D}${W}\\)`;
const BOX_GLOBAL = new RegExp(BOX_PATTERN, 'gu');

/** The reference's box: first corners of all matches, then second corners; box = points[0], points[1]. */
export function referenceGroundingBox(text: string): GroundingBox {
  const matches = Array.from(text.matchAll(BOX_GLOBAL));
  if (matches.length === 0) throw new PyError('IndexError', 'list index out of range');
  const coord = (s: string) => intTrueDiv(pyIntFromDigits(s), 1000n);
  const points: [number, number][] = [];
  for (const m of matches) points.push([coord(m[1]), coord(m[2])]);
  for (const m of matches) points.push([coord(m[3]), coord(m[4])]);
  return [points[0][0], points[0][1], points[1][0], points[1][1]];
}

/** Strict: the first complete box, in 0–1000 with x2 > x1 and y2 > y1, as fractions; null otherwise. */
export function strictGroundingBox(text: string): GroundingBox | null {
  const m = new RegExp(BOX_PATTERN, 'u').exec(text);
  if (!m) return null;
  const v = [m[1], m[2], m[3], m[4]].map((s) => {
    const i = pyIntFromDigitsSafe(s);
    return i !== null && i <= 1000n ? Number(i) : NaN;
  });
  if (v.some(Number.isNaN) || !(v[2] > v[0]) || !(v[3] > v[1])) return null;
  return [v[0] / 1000, v[1] / 1000, v[2] / 1000, v[3] / 1000];
}

function pyIntFromDigitsSafe(s: string): bigint | null {
  try {
    return pyIntFromDigits(s);
  } catch {
    return null;
  }
}

/** Intersection, union and enclosing area of two corner boxes, with the reference's formulas. */
export function boxAreas(a: GroundingBox, b: GroundingBox): { inter: number; union: number; enclosing: number } {
  const inter = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  const enclosing = (Math.max(a[2], b[2]) - Math.min(a[0], b[0])) * (Math.max(a[3], b[3]) - Math.min(a[1], b[1]));
  return { inter, union, enclosing };
}

export function giou(a: GroundingBox, b: GroundingBox): number {
  const { inter, union, enclosing } = boxAreas(a, b);
  const iou = union > 0 ? inter / union : 0;
  return enclosing > 0 ? iou - (enclosing - union) / enclosing : iou;
}

export function iou(a: GroundingBox, b: GroundingBox): number {
  const { inter, union } = boxAreas(a, b);
  return union > 0 ? inter / union : 0;
}

interface GroundingScores {
  grounding_giou: number;
  grounding_iou: number;
}

export function groundingScores(completion: string, solution: string, mode: RewardMode): GroundingScores {
  const gtText = answerOrWhole(solution, false);
  if (mode === 'strict') {
    const group = firstAnswerGroup(completion, true);
    const gt = strictGroundingBox(gtText);
    const pred = group === null ? null : strictGroundingBox(pyStrip(group));
    if (gt === null || pred === null) return { grounding_giou: 0, grounding_iou: 0 };
    return { grounding_giou: Math.min(2, Math.max(0, giou(pred, gt) + 1)), grounding_iou: iou(pred, gt) };
  }
  const answer = answerOrWhole(completion, true);
  let scores: GroundingScores = { grounding_giou: 0, grounding_iou: 0 };
  try {
    const pred = referenceGroundingBox(answer);
    const gt = referenceGroundingBox(gtText);
    scores = { grounding_giou: giou(pred, gt) + 1, grounding_iou: iou(pred, gt) };
  } catch (e) {
    if (!(e instanceof PyError)) throw e;
  }
  if (answer === gtText) scores = { ...scores, grounding_giou: 2.0 };
  return scores;
}
