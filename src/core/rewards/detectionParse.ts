/**
 * From completion text to the Python list of predicted boxes, as the reference code does it (docs/design.md §3,
 * "Detection: answer → list of boxes", steps 1–3). Shared by both reward modes and the evaluation parser.
 */
import { pyJsonLoads } from '../py/pyJson';
import { answerOrWhole, rsplitFirst } from '../py/pyText';
import { PyError, type PyValue } from '../py/pyValue';

/**
 * `extract_bbox(s)`: the JSON list between the first `<answer>` and the first `</answer>` (or the end),
 * with a truncated list repaired and single quotes made double. Returns null where the reference returns
 * None (no `<answer>`, or a JSONDecodeError). Other Python errors (the int-digit limit) propagate as PyError.
 */
export function extractBoxList(s: string): PyValue | null {
  const START = '<answer>';
  const startAt = s.indexOf(START);
  if (startAt < 0) return null;
  let end = s.indexOf('</answer>'); // searched in the whole string, as str.find does: may precede the start
  if (end < 0) end = s.length;
  let content = s.slice(startAt + START.length, end);
  if (!content.endsWith(']')) content = rsplitFirst(content, '},') + '}]';
  try {
    return pyJsonLoads(content.replaceAll("'", '"'));
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'JSONDecodeError') return null;
    throw e;
  }
}

/** Steps 1–2: the completion's answer wrapped in tags, with `[[`/`]]` folded and newlines removed. */
export function studentDetectionAnswer(completion: string): string {
  const answer = answerOrWhole(completion, false);
  return `<answer>${answer}</answer>`.replaceAll('[[', '[').replaceAll(']]', ']').replaceAll('\n', '');
}
