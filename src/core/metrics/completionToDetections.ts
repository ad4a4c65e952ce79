/**
 * Completion text → pixel detections, as the paper's evaluation script converts them (docs/design.md §5). This
 * differs from the reward parser: newlines and ", ..." are removed from the whole completion first, a list
 * whose first element is a string yields nothing, and conversion stops at the first box that fails.
 */
import { intTrueDiv, pyEq } from '../py/pyNumeric';
import { firstAnswerGroup, pyStrip } from '../py/pyText';
import { type PyValue, isDict, isHashable, isInt, isList, isNumber, isStr, iterate } from '../py/pyValue';
import { extractBoxList } from '../rewards/detectionParse';
import type { XYWH } from './cocoEval';

export interface PixelBox {
  bbox: XYWH;
  /** Confidence as given (may exceed 1, may be NaN); 1 when scores are not required (ground truth). */
  score: number;
}

function boxList(text: string): PyValue[] {
  const cleaned = text.replaceAll('[[', '[').replaceAll(']]', ']').replaceAll('\n', '').replaceAll(', ...', '');
  const answer = pyStrip(firstAnswerGroup(cleaned, false) ?? cleaned);
  let parsed: PyValue | null;
  try {
    parsed = extractBoxList(`<answer>${answer}</answer>`);
  } catch {
    return [];
  }
  if (parsed === null || !isList(parsed) || parsed.length === 0 || isStr(parsed[0])) return [];
  return parsed;
}

/** Drop later boxes whose Position equals an earlier one (Python equality); stop at an element without one. */
function dedupe(items: PyValue[]): PyValue[] {
  const seen: PyValue[][] = [];
  const out: PyValue[] = [];
  for (const item of items) {
    if (!isDict(item) || !item.has('Position')) break;
    let tuple: PyValue[];
    try {
      tuple = iterate(item.get('Position') as PyValue);
    } catch {
      break;
    }
    if (!tuple.every(isHashable)) break;
    if (seen.some((t) => t.length === tuple.length && t.every((v, i) => pyEq(v, tuple[i], true)))) continue;
    seen.push(tuple);
    out.push(item);
  }
  return out;
}

function scale(v: bigint | number, size: number): number {
  return (isInt(v) ? intTrueDiv(v, 1000n) : v / 1000) * size;
}

/**
 * Detections in pixels ([x, y, w, h]) from a completion or a solution, for an image of the given size.
 * With `requireScore` (predictions), a box without a numeric Confidence ends the list.
 */
export function completionToDetections(text: string, width: number, height: number, requireScore = true): PixelBox[] {
  const out: PixelBox[] = [];
  for (const item of dedupe(boxList(text))) {
    const dict = item as Map<string, PyValue>;
    const pos = dict.get('Position') as PyValue;
    if (!isList(pos) || pos.length !== 4 || !pos.every(isNumber)) break;
    const conf = dict.get('Confidence');
    if (requireScore && (conf === undefined || !isNumber(conf))) break;
    let x1: number, y1: number, x2: number, y2: number;
    try {
      [x1, y1, x2, y2] = [scale(pos[0] as bigint | number, width), scale(pos[1] as bigint | number, height), scale(pos[2] as bigint | number, width), scale(pos[3] as bigint | number, height)];
    } catch {
      break; // an int too large for a float: the script's conversion raises here
    }
    out.push({ bbox: [x1, y1, x2 - x1, y2 - y1], score: conf !== undefined && isNumber(conf) ? Number(conf) : 1 });
  }
  return out;
}
