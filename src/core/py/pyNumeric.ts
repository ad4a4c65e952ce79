/**
 * Python arithmetic and comparison on the value model of pyValue.ts, exactly as CPython does them:
 * exact int/float comparison, correctly rounded int true division, OverflowError when an int does not fit a
 * float, ZeroDivisionError on `x / 0`, TypeError on str/None/list/dict in arithmetic or mixed comparisons.
 */
import { PyError, type PyValue, isDict, isFloat, isInt, isList, isStr, typeName } from './pyValue';

/** `float(i)` for a Python int: correctly rounded (Number(bigint) rounds half to even), OverflowError when too large. */
export function intToFloat(i: bigint): number {
  const f = Number(i);
  if (!Number.isFinite(f)) throw new PyError('OverflowError', 'int too large to convert to float');
  return f;
}

function bitLength(i: bigint): number {
  return i === 0n ? 0 : (i < 0n ? -i : i).toString(2).length;
}

/** Python `a / b` for two ints: the exact quotient rounded once to the nearest double. */
export function intTrueDiv(a: bigint, b: bigint): number {
  if (b === 0n) throw new PyError('ZeroDivisionError', 'division by zero');
  const MAX_EXACT = 1n << 53n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  if (absA <= MAX_EXACT && absB <= MAX_EXACT) return Number(a) / Number(b); // both exact: IEEE division rounds once
  const negative = (a < 0n) !== (b < 0n);
  // Scale so that the integer quotient carries at least 64 significant bits, then fold the remainder into a
  // sticky bit below them: Number() then rounds exactly as the true quotient would round.
  const shift = Math.max(0, 66 - (bitLength(absA) - bitLength(absB)));
  const num = absA << BigInt(shift);
  let q = num / absB;
  const inexact = num % absB !== 0n;
  q = (q << 1n) | (inexact ? 1n : 0n);
  const exp = shift + 1;
  let result: number;
  if (exp <= 1000) result = Number(q) / 2 ** exp;
  else {
    // Very small results: divide in two steps, each exact for powers of two until subnormals.
    result = Number(q) / 2 ** 1000 / 2 ** (exp - 1000);
  }
  if (!Number.isFinite(result)) throw new PyError('OverflowError', 'integer division result too large for a float');
  return negative ? -result : result;
}

function numericOrThrow(op: string, a: PyValue, b: PyValue): void {
  const ok = (v: PyValue) => isInt(v) || isFloat(v);
  if (!ok(a) || !ok(b)) throw new PyError('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyAdd(a: PyValue, b: PyValue): PyValue {
  numericOrThrow('+', a, b);
  if (isInt(a) && isInt(b)) return a + b;
  return toF(a) + toF(b);
}

export function pySub(a: PyValue, b: PyValue): PyValue {
  numericOrThrow('-', a, b);
  if (isInt(a) && isInt(b)) return a - b;
  return toF(a) - toF(b);
}

export function pyMul(a: PyValue, b: PyValue): PyValue {
  numericOrThrow('*', a, b);
  if (isInt(a) && isInt(b)) return a * b;
  return toF(a) * toF(b);
}

export function pyTrueDiv(a: PyValue, b: PyValue): number {
  numericOrThrow('/', a, b);
  if (isInt(a) && isInt(b)) return intTrueDiv(a, b);
  const fb = toF(b);
  const fa = toF(a);
  if (fb === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
  return fa / fb;
}

function toF(v: PyValue): number {
  return isInt(v) ? intToFloat(v) : (v as number);
}

/** Sign of (int − float), exactly; NaN when the float is NaN. */
function compareIntFloat(i: bigint, f: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  if (Number.isInteger(f)) {
    const fi = BigInt(f);
    return i < fi ? -1 : i > fi ? 1 : 0;
  }
  const floor = BigInt(Math.floor(f));
  return i <= floor ? -1 : 1;
}

/** Sign of (a − b) for numbers (NaN when unordered), or undefined when they are not both numbers. */
function numericCompare(a: PyValue, b: PyValue): number | undefined {
  if (isInt(a) && isInt(b)) return a < b ? -1 : a > b ? 1 : 0;
  if (isFloat(a) && isFloat(b)) return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (isInt(a) && isFloat(b)) return compareIntFloat(a, b);
  if (isFloat(a) && isInt(b)) {
    const c = compareIntFloat(b, a);
    return Number.isNaN(c) ? NaN : -c;
  }
  return undefined;
}

/** Python str comparison is by code point; JS compares UTF-16 units, which differs above U+FFFF. */
function compareStr(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(i) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** `a == b`, with CPython's identity shortcut inside containers (json's NaN is one shared object). */
export function pyEq(a: PyValue, b: PyValue, inContainer = false): boolean {
  const c = numericCompare(a, b);
  if (c !== undefined) {
    if (Number.isNaN(c)) return inContainer && isFloat(a) && isFloat(b) && Number.isNaN(a) && Number.isNaN(b);
    return c === 0;
  }
  if (isStr(a) && isStr(b)) return a === b;
  if (a === null || b === null) return a === b;
  if (isList(a) && isList(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i], true));
  if (isDict(a) && isDict(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !pyEq(v, b.get(k) as PyValue, true)) return false;
    return true;
  }
  return false;
}

type Op = '<' | '<=' | '>' | '>=';

function applyOp(op: Op, sign: number): boolean {
  if (Number.isNaN(sign)) return false;
  switch (op) {
    case '<': return sign < 0;
    case '<=': return sign <= 0;
    case '>': return sign > 0;
    case '>=': return sign >= 0;
  }
}

/** Python rich comparison `a op b` for ordering operators. */
export function pyCompare(op: Op, a: PyValue, b: PyValue): boolean {
  const c = numericCompare(a, b);
  if (c !== undefined) return applyOp(op, c);
  if (isStr(a) && isStr(b)) return applyOp(op, compareStr(a, b));
  if (isList(a) && isList(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEq(a[i], b[i], true)) return pyCompare(op, a[i], b[i]);
    }
    return applyOp(op, a.length - b.length);
  }
  throw new PyError('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export const pyLt = (a: PyValue, b: PyValue) => pyCompare('<', a, b);
export const pyGt = (a: PyValue, b: PyValue) => pyCompare('>', a, b);
export const pyLe = (a: PyValue, b: PyValue) => pyCompare('<=', a, b);

/** `max(a, b)`: the first argument unless the second is strictly greater. */
export const pyMax = (a: PyValue, b: PyValue): PyValue => (pyGt(b, a) ? b : a);
/** `min(a, b)`: the first argument unless the second is strictly smaller. */
export const pyMin = (a: PyValue, b: PyValue): PyValue => (pyLt(b, a) ? b : a);

/** Python `float(v)` for an int or float; TypeError otherwise. */
export function pyToFloat(v: PyValue): number {
  if (isInt(v)) return intToFloat(v);
  if (isFloat(v)) return v;
  throw new PyError('TypeError', `float() argument must be a number, not '${typeName(v)}'`);
}
