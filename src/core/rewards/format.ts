/**
 * The format reward: 1.0 when the whole completion is `<think>…</think>` + whitespace + `<answer>…</answer>`
 * (Python `re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", s, re.DOTALL)`), else 0.0.
 *
 * Decomposed instead of run as one backtracking regex: the fullmatch holds exactly when the text starts with
 * `<think>`, ends with `</answer>`, and the part strictly between those contains `</think>\s*<answer>`.
 * This is linear-time on adversarial inputs; a test checks it against the literal regex.
 */
import { PY_WS_CLASS } from '../py/pyText';

const INNER = new RegExp(`</think>[${PY_WS_CLASS}]*<answer>`);
const OPEN = '<think>';
const CLOSE = '</answer>';

export function formatReward(completion: string): number {
  if (!completion.startsWith(OPEN) || !completion.endsWith(CLOSE)) return 0.0;
  if (completion.length < OPEN.length + CLOSE.length) return 0.0;
  const middle = completion.slice(OPEN.length, completion.length - CLOSE.length);
  return INNER.test(middle) ? 1.0 : 0.0;
}

/** The literal reference pattern, for tests. */
export const FORMAT_REGEX_LITERAL = new RegExp(`^<think>[\\s\\S]*?</think>[${PY_WS_CLASS}]*<answer>[\\s\\S]*?</answer>$`);
