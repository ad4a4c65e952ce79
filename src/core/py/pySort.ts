/**
 * `sorted(items, key=..., reverse=...)` as CPython's list.sort performs it (3.8–3.12), comparison by
 * comparison. The exact sequence of `<` calls matters when the order is inconsistent (NaN keys compare
 * "equal" to everything) and decides whether a str/number mix raises TypeError: results must match the
 * reference, so the algorithm is ported, not re-derived.
 *
 * Runs shorter than 64 items (every realistic completion) follow CPython exactly: count_run, then binary
 * insertion sort. Longer inputs merge the CPython runs with a plain stable merge instead of galloping
 * powersort; both give the same result whenever the keys are totally ordered.
 */
import { pyLt } from './pyNumeric';
import type { PyValue } from './pyValue';

type Lt = (a: PyValue, b: PyValue) => boolean;

interface Slice {
  keys: PyValue[];
  items: number[];
}

function reverseRange(s: Slice, lo: number, hi: number): void {
  for (let i = lo, j = hi - 1; i < j; i++, j--) {
    [s.keys[i], s.keys[j]] = [s.keys[j], s.keys[i]];
    [s.items[i], s.items[j]] = [s.items[j], s.items[i]];
  }
}

/** Length of the run starting at lo; reverses a strictly descending run in place. */
function countRun(s: Slice, lo: number, hi: number, lt: Lt): number {
  if (lo + 1 === hi) return 1;
  let n = 2;
  const k = s.keys;
  if (lt(k[lo + 1], k[lo])) {
    for (let i = lo + 2; i < hi && lt(k[i], k[i - 1]); i++) n++;
    reverseRange(s, lo, lo + n);
  } else {
    for (let i = lo + 2; i < hi && !lt(k[i], k[i - 1]); i++) n++;
  }
  return n;
}

/** CPython binarysort: [lo, start) is sorted; insert start..hi-1 one by one, stable. */
function binarySort(s: Slice, lo: number, hi: number, start: number, lt: Lt): void {
  if (start === lo) start++;
  for (; start < hi; start++) {
    const pivotKey = s.keys[start];
    const pivotItem = s.items[start];
    let l = lo;
    let r = start;
    do {
      const p = l + ((r - l) >> 1);
      if (lt(pivotKey, s.keys[p])) r = p;
      else l = p + 1;
    } while (l < r);
    for (let p = start; p > l; p--) {
      s.keys[p] = s.keys[p - 1];
      s.items[p] = s.items[p - 1];
    }
    s.keys[l] = pivotKey;
    s.items[l] = pivotItem;
  }
}

function computeMinRun(n: number): number {
  let r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

function mergeAdjacent(s: Slice, lo: number, mid: number, hi: number, lt: Lt): void {
  const leftKeys = s.keys.slice(lo, mid);
  const leftItems = s.items.slice(lo, mid);
  let i = 0;
  let j = mid;
  let o = lo;
  while (i < leftKeys.length && j < hi) {
    if (lt(s.keys[j], leftKeys[i])) {
      s.keys[o] = s.keys[j];
      s.items[o++] = s.items[j++];
    } else {
      s.keys[o] = leftKeys[i];
      s.items[o++] = leftItems[i++];
    }
  }
  while (i < leftKeys.length) {
    s.keys[o] = leftKeys[i];
    s.items[o++] = leftItems[i++];
  }
}

/** Indices of `keys` in the order `list.sort` leaves them. */
function sortIndices(keys: PyValue[], reverse: boolean, lt: Lt): number[] {
  const s: Slice = { keys: keys.slice(), items: keys.map((_, i) => i) };
  const n = keys.length;
  if (reverse) reverseRange(s, 0, n);
  if (n >= 2) {
    const minRun = computeMinRun(n);
    const runs: [number, number][] = [];
    let lo = 0;
    while (lo < n) {
      let len = countRun(s, lo, n, lt);
      if (len < minRun) {
        const force = Math.min(minRun, n - lo);
        binarySort(s, lo, lo + force, lo + len, lt);
        len = force;
      }
      runs.push([lo, lo + len]);
      lo += len;
    }
    while (runs.length > 1) {
      const [a, b] = [runs.shift() as [number, number], runs.shift() as [number, number]];
      mergeAdjacent(s, a[0], b[0], b[1], lt);
      runs.unshift([a[0], b[1]]);
    }
  }
  if (reverse) reverseRange(s, 0, n);
  return s.items;
}

/**
 * Python `sorted(items, key=key, reverse=reverse)`. Keys are computed first, in order (so a missing key
 * raises before any comparison), exactly as CPython does.
 */
export function pySorted<T>(items: T[], key: (item: T) => PyValue, reverse = false, lt: Lt = pyLt): T[] {
  const keys = items.map(key);
  return sortIndices(keys, reverse, lt).map((i) => items[i]);
}
