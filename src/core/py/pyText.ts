/**
 * Python `str` and `re` behaviour that differs from JavaScript:
 *  - `str.strip()` and `\s` use Python's whitespace (adds U+001C–U+001F and U+0085; excludes U+FEFF, which JS trims);
 *  - `.` without DOTALL excludes only `\n` (JS also excludes `\r`, U+2028, U+2029);
 *  - `\d` matches any Unicode decimal digit (category Nd), and `int()` parses such digits.
 */
import { PyError } from './pyValue';

/** Body of a character class holding exactly the characters for which Python's `str.isspace()` is true. */
export const PY_WS_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const LEADING_WS = new RegExp(`^[${PY_WS_CLASS}]+`);
const TRAILING_WS = new RegExp(`[${PY_WS_CLASS}]+$`);

/** Python `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  return s.replace(LEADING_WS, '').replace(TRAILING_WS, '');
}

/** Python `s.rsplit(sep, 1)[0]`. */
export function rsplitFirst(s: string, sep: string): string {
  const i = s.lastIndexOf(sep);
  return i < 0 ? s : s.slice(0, i);
}

const ND = /\p{Nd}/u;
const digitZeroCache = new Map<number, number>();

/** Decimal value of one Nd code point: Nd characters always come in contiguous runs of ten, 0 to 9. */
function digitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let zero = digitZeroCache.get(cp);
  if (zero === undefined) {
    let start = cp;
    while (ND.test(String.fromCodePoint(start - 1))) start--;
    zero = start;
    digitZeroCache.set(cp, zero);
  }
  return (cp - zero) % 10;
}

/** Python `int(s)` for a string of Nd digits (as matched by `\d+`), with CPython's 4300-digit limit. */
export function pyIntFromDigits(s: string): bigint {
  let ascii = '';
  for (const ch of s) ascii += String(digitValue(ch.codePointAt(0) as number));
  if (ascii.length > 4300) throw new PyError('ValueError', 'Exceeds the limit (4300 digits) for integer string conversion');
  return BigInt(ascii);
}

/** First match of `<answer>(.*?)</answer>` with Python's `.`: without DOTALL it excludes only `\n`. */
export function firstAnswerGroup(s: string, dotAll: boolean): string | null {
  const m = (dotAll ? ANSWER_DOTALL : ANSWER_NO_DOTALL).exec(s);
  return m ? m[1] : null;
}
const ANSWER_NO_DOTALL = /<answer>([^\n]*?)<\/answer>/;
const ANSWER_DOTALL = /<answer>([\s\S]*?)<\/answer>/;

/** Python `re.search(r'<answer>(.*?)</answer>', s[, DOTALL])` then `.group(1).strip()`, or `s.strip()` when no match. */
export function answerOrWhole(s: string, dotAll: boolean): string {
  const g = firstAnswerGroup(s, dotAll);
  return pyStrip(g ?? s);
}
