/**
 * Strict detection rewards: the reference's scoring with its holes closed (docs/design.md §3, "Strict mode").
 *  - the answer is read with `.` matching newlines, and answer tags are required;
 *  - a box whose Confidence is not a finite number in [0, 1], or whose Position is not four finite numbers
 *    in 0–1000 with x2 > x1 and y2 > y1, is invalid: it counts as a wrong prediction that earns nothing;
 *  - `No Objects` is an empty prediction: right (1.0) on a sample without boxes, wrong (0.0) otherwise.
 */
import { pyJsonLoads } from '../py/pyJson';
import { firstAnswerGroup, pyStrip, rsplitFirst } from '../py/pyText';
import { type PyValue, isDict, isList, isNumber } from '../py/pyValue';
import type { DetectionScores } from './detectionReference';

export type Box = [number, number, number, number];
export interface StrictBox {
  box: Box;
  confidence: number;
}

export const NO_OBJECTS = 'No Objects';

function toFiniteNumber(v: PyValue | undefined): number | null {
  if (v === undefined || !isNumber(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A valid box in 0–1000 coordinates, or null. */
export function validBox(position: PyValue | undefined): Box | null {
  if (position === undefined || !isList(position) || position.length !== 4) return null;
  const nums = position.map(toFiniteNumber);
  if (nums.some((n) => n === null || n < 0 || n > 1000)) return null;
  const [x1, y1, x2, y2] = nums as number[];
  return x2 > x1 && y2 > y1 ? [x1, y1, x2, y2] : null;
}

/**
 * Parse a strict detection answer. Returns the list of entries (each a valid box or null for an invalid
 * one), [] for `No Objects`, or null when the answer is missing or is not a list.
 */
export function parseStrictDetection(text: string): (StrictBox | null)[] | null {
  const group = firstAnswerGroup(text, true);
  if (group === null) return null;
  const answer = pyStrip(group);
  if (answer === NO_OBJECTS) return [];
  let content = answer.replaceAll('[[', '[').replaceAll(']]', ']');
  if (!content.endsWith(']')) content = rsplitFirst(content, '},') + '}]';
  let parsed: PyValue;
  try {
    parsed = pyJsonLoads(content.replaceAll("'", '"'));
  } catch {
    return null;
  }
  if (!isList(parsed) || parsed.length === 0) return null;
  const entries: (StrictBox | null)[] = [];
  const seen: Box[] = [];
  for (const item of parsed) {
    if (!isDict(item)) {
      entries.push(null);
      continue;
    }
    const box = validBox(item.get('Position'));
    const confidence = toFiniteNumber(item.get('Confidence'));
    if (box === null || confidence === null || confidence < 0 || confidence > 1) {
      entries.push(null);
      continue;
    }
    if (seen.some((b) => b.every((v, i) => v === box[i]))) continue; // duplicates dropped, as in the reference
    seen.push(box);
    entries.push({ box, confidence });
  }
  return entries;
}

export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy matching in descending confidence (stable) at IoU > 0.5, as the reference matches. */
export function strictMatch(gt: Box[], preds: StrictBox[]): { iou: number; confidence: number }[] {
  const order = preds.map((_, i) => i).sort((i, j) => preds[j].confidence - preds[i].confidence || i - j);
  const matched = new Set<number>();
  return order.map((pi) => {
    const pred = preds[pi];
    let best = 0;
    let bestIndex = -1;
    gt.forEach((g, gi) => {
      if (matched.has(gi)) return;
      const iou = boxIou(g, pred.box);
      if (iou > best) {
        best = iou;
        bestIndex = gi;
      }
    });
    if (best > 0.5) {
      matched.add(bestIndex);
      return { iou: best, confidence: pred.confidence };
    }
    return { iou: 0, confidence: pred.confidence };
  });
}

export function strictDetectionScores(completion: string, solution: string): DetectionScores {
  const zero = { accuracy_iou: 0, accuracy_confidence: 0 };
  const gtEntries = parseStrictDetection(solution.includes('<answer>') ? solution : `<answer>${solution}</answer>`);
  const predEntries = parseStrictDetection(completion);
  if (gtEntries === null || gtEntries.some((e) => e === null) || predEntries === null) return zero;
  const gt = (gtEntries as StrictBox[]).map((e) => e.box);
  const valid = predEntries.filter((e): e is StrictBox => e !== null);
  const nRecords = predEntries.length;
  if (gt.length === 0 && nRecords === 0) return { accuracy_iou: 1, accuracy_confidence: 1 };
  if (nRecords === 0) return zero;
  const records = strictMatch(gt, valid);
  const iouSum = records.reduce((s, r) => s + r.iou, 0);
  const confSum = records.reduce((s, r) => s + (r.iou !== 0 ? r.confidence : 1 - r.confidence), 0);
  return {
    accuracy_iou: gt.length === 0 ? 0 : Math.min(1, iouSum / Math.max(gt.length, nRecords)),
    accuracy_confidence: Math.min(1, Math.max(0, confSum / nRecords)),
  };
}
