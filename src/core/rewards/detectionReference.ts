/**
 * accuracy_iou and accuracy_confidence exactly as the released Visual-RFT training code computes them
 * (docs/design.md §3), operation by operation in Python semantics. Any Python exception → 0.0.
 *
 * The reference's `compute_reward_iou` and `compute_reward_confidence` are copies of one loop that sums
 * both the IoU and the confidence terms, so a Confidence that breaks the confidence arithmetic (a string,
 * null, an int too large for a float) zeroes accuracy_iou too. One pass computes both.
 */
import { pyAdd, pyLe, pyMax, pyMin, pyMul, pySub, pyTrueDiv } from '../py/pyNumeric';
import { pySorted } from '../py/pySort';
import { pyStrip } from '../py/pyText';
import { PyError, type PyValue, getItem, isDict, isHashable, isList, iterate, unpack4 } from '../py/pyValue';
import { pyEq } from '../py/pyNumeric';
import { extractBoxList, studentDetectionAnswer } from './detectionParse';

export interface DetectionScores {
  accuracy_iou: number;
  accuracy_confidence: number;
}

const ZERO: DetectionScores = { accuracy_iou: 0, accuracy_confidence: 0 };

/** `calculate_iou(bbox1, bbox2)` of the reference, on Python values. */
export function referenceIou(bbox1: PyValue, bbox2: PyValue): number {
  const [x1, y1, x2, y2] = unpack4(bbox1);
  const [x1b, y1b, x2b, y2b] = unpack4(bbox2);
  const xi1 = pyMax(x1, x1b);
  const yi1 = pyMax(y1, y1b);
  const xi2 = pyMin(x2, x2b);
  const yi2 = pyMin(y2, y2b);
  if (pyLe(xi2, xi1) || pyLe(yi2, yi1)) return 0.0;
  const inter = pyMul(pySub(xi2, xi1), pySub(yi2, yi1));
  const area1 = pyMul(pySub(x2, x1), pySub(y2, y1));
  const area2 = pyMul(pySub(x2b, x1b), pySub(y2b, y1b));
  const union = pySub(pyAdd(area1, area2), inter);
  return pyTrueDiv(inter, union);
}

/** `remove_duplicates`: keep the first box of each distinct `tuple(Position)` (Python equality: 1 == 1.0 == True). */
export function removeDuplicatePositions(boxes: PyValue[]): PyValue[] {
  const seen: PyValue[][] = [];
  const unique: PyValue[] = [];
  for (const box of boxes) {
    const tuple = iterate(getItem(box, 'Position'));
    if (!tuple.every(isHashable)) throw new PyError('TypeError', "unhashable type: 'list'");
    const dup = seen.some((t) => t.length === tuple.length && t.every((v, i) => pyEq(v, tuple[i], true)));
    if (!dup) {
      seen.push(tuple);
      unique.push(box);
    }
  }
  return unique;
}

/** One (IoU, Confidence) record per prediction; IoU is the int 0 (0n) when unmatched, as in the reference. */
type MatchRecord = [number | bigint, PyValue];

/** `sort_and_calculate_iou(gt, pred)`: greedy matching in descending confidence at IoU > 0.5. */
export function referenceMatch(gt: PyValue | null, preds: PyValue[]): MatchRecord[] {
  const sorted = pySorted(preds, (p) => getItem(p, 'Confidence'), true);
  const matched = new Set<number>();
  const records: MatchRecord[] = [];
  for (const pred of sorted) {
    let best: number | bigint = 0n;
    let bestIndex = -1;
    if (!isList(gt)) throw new PyError('TypeError', `'${gt === null ? 'NoneType' : typeof gt}' object is not iterable`);
    gt.forEach((g, i) => {
      if (matched.has(i)) return;
      const iou = referenceIou(getItem(g, 'Position'), getItem(pred, 'Position'));
      if (iou > best) {
        best = iou;
        bestIndex = i;
      }
    });
    const conf = getItem(pred, 'Confidence');
    if (typeof best === 'number' && best > 0.5) {
      records.push([best, conf]);
      matched.add(bestIndex);
    } else {
      records.push([0n, conf]);
    }
  }
  return records;
}

function clampReward(v: number): number {
  if (Number.isNaN(v)) return 0; // the one deliberate deviation from the reference (docs/design.md §3)
  return v > 1 ? 1.0 : v < 0 ? 0.0 : v;
}

function computeScores(records: MatchRecord[], nGt: number): DetectionScores {
  let iouSum: PyValue = 0.0;
  let confSum: PyValue = 0.0;
  for (const [iou, conf] of records) {
    const confTerm = iou === 0n ? pyMul(pySub(1n, iou), pySub(1n, conf)) : conf;
    iouSum = pyAdd(iouSum, iou);
    confSum = pyAdd(confSum, confTerm);
  }
  const n = BigInt(records.length);
  const iou = pyTrueDiv(iouSum, nGt >= records.length ? BigInt(nGt) : n);
  const confidence = pyTrueDiv(confSum, n);
  return { accuracy_iou: clampReward(iou), accuracy_confidence: clampReward(confidence) };
}

function scoreOrThrow(completion: string, solution: string): DetectionScores {
  const gt = extractBoxList(pyStrip(solution));
  const pred = extractBoxList(studentDetectionAnswer(completion));
  if (pred === null || !isList(pred)) return ZERO;
  if (pred.length === 0) throw new PyError('IndexError', 'list index out of range');
  if (!isDict(pred[0])) return ZERO;
  const unique = removeDuplicatePositions(pred);
  const records = referenceMatch(gt, unique);
  if (!isList(gt)) throw new PyError('TypeError', 'object of type NoneType has no len()');
  return computeScores(records, gt.length);
}

/** Both reference detection rewards of one completion against one solution. */
export function referenceDetectionScores(completion: string, solution: string): DetectionScores {
  try {
    return scoreOrThrow(completion, solution);
  } catch (e) {
    if (e instanceof PyError) return ZERO;
    throw e;
  }
}
