/**
 * A small model of the Python values that `json.loads` produces, so that the reference reward code
 * (Python) can be reproduced operation by operation. Python semantics differ from JS in ways that change
 * rewards: ints are unbounded, `1 == 1.0 == True`, comparing a str with a number raises, dict keys keep
 * insertion order even when they look like integers.
 *
 * Representation:
 *  - Python int (and bool: True is the int 1 everywhere the reward code looks) → `bigint`
 *  - Python float → `number`
 *  - str → `string`, None → `null`, list → `PyValue[]`, dict → `PyDict` (a Map with insertion order).
 */
export type PyDict = Map<string, PyValue>;
export type PyValue = bigint | number | string | null | PyValue[] | PyDict;

/** A Python exception raised while emulating reference code; callers turn it into reward 0. */
export class PyError extends Error {
  constructor(
    readonly pyType: 'TypeError' | 'ValueError' | 'KeyError' | 'ZeroDivisionError' | 'OverflowError' | 'JSONDecodeError' | 'IndexError',
    message: string,
  ) {
    super(`${pyType}: ${message}`);
    this.name = 'PyError';
  }
}

export const isInt = (v: PyValue): v is bigint => typeof v === 'bigint';
export const isFloat = (v: PyValue): v is number => typeof v === 'number';
export const isNumber = (v: PyValue): v is bigint | number => typeof v === 'bigint' || typeof v === 'number';
export const isStr = (v: PyValue): v is string => typeof v === 'string';
export const isList = (v: PyValue): v is PyValue[] => Array.isArray(v);
export const isDict = (v: PyValue): v is PyDict => v instanceof Map;

export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** `d[key]` for a value that should be a dict: TypeError for non-subscriptables, KeyError when missing. */
export function getItem(container: PyValue, key: string): PyValue {
  if (isDict(container)) {
    if (!container.has(key)) throw new PyError('KeyError', key);
    return container.get(key) as PyValue;
  }
  throw new PyError('TypeError', `${typeName(container)} indices must be integers or slices, not str`);
}

/** `iter(v)` materialised: what `tuple(v)` or `a, b, c, d = v` iterates over. */
export function iterate(v: PyValue): PyValue[] {
  if (isList(v)) return v;
  if (isStr(v)) return Array.from(v); // Python iterates code points, as Array.from does
  if (isDict(v)) return Array.from(v.keys());
  throw new PyError('TypeError', `'${typeName(v)}' object is not iterable`);
}

/** `x1, y1, x2, y2 = v` */
export function unpack4(v: PyValue): [PyValue, PyValue, PyValue, PyValue] {
  const items = iterate(v);
  if (items.length !== 4) {
    throw new PyError('ValueError', items.length > 4 ? 'too many values to unpack (expected 4)' : `not enough values to unpack (expected 4, got ${items.length})`);
  }
  return [items[0], items[1], items[2], items[3]];
}

/** Whether `hash(v)` succeeds: lists and dicts are unhashable, as is a tuple containing them. */
export function isHashable(v: PyValue): boolean {
  return !isList(v) && !isDict(v);
}
