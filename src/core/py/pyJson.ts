/**
 * Python's `json.loads` (CPython's C scanner, default arguments) into the value model of pyValue.ts.
 * Differences from JSON.parse that change rewards: `NaN`, `Infinity` and `-Infinity` are accepted; integers
 * stay exact (bigint); a leading BOM is an error; dict keys keep first-insertion order with the last value.
 */
import { PyError, type PyDict, type PyValue } from './pyValue';

/** CPython raises RecursionError past roughly this depth; any error means "no boxes" to the callers. */
const MAX_DEPTH = 900;
const INT_MAX_STR_DIGITS = 4300;

class Scanner {
  constructor(private readonly s: string) {}

  fail(msg: string, pos: number): never {
    throw new PyError('JSONDecodeError', `${msg}: char ${pos}`);
  }

  skipWs(pos: number): number {
    const s = this.s;
    while (pos < s.length) {
      const c = s.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
    return pos;
  }

  value(pos: number, depth: number): [PyValue, number] {
    const s = this.s;
    if (pos >= s.length) this.fail('Expecting value', pos);
    if (depth > MAX_DEPTH) this.fail('maximum recursion depth exceeded', pos);
    const c = s[pos];
    switch (c) {
      case '"': return this.string(pos + 1);
      case '{': return this.object(pos + 1, depth + 1);
      case '[': return this.array(pos + 1, depth + 1);
      case 'n': if (s.startsWith('null', pos)) return [null, pos + 4]; break;
      case 't': if (s.startsWith('true', pos)) return [1n, pos + 4]; break;
      case 'f': if (s.startsWith('false', pos)) return [0n, pos + 5]; break;
      case 'N': if (s.startsWith('NaN', pos)) return [NaN, pos + 3]; break;
      case 'I': if (s.startsWith('Infinity', pos)) return [Infinity, pos + 8]; break;
      case '-': if (s.startsWith('-Infinity', pos)) return [-Infinity, pos + 9]; break;
    }
    return this.number(pos);
  }

  number(start: number): [PyValue, number] {
    const s = this.s;
    const isDigit = (i: number) => i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39;
    let i = start;
    if (s[i] === '-') i++;
    if (s[i] === '0') i++;
    else if (isDigit(i)) while (isDigit(i)) i++;
    else this.fail('Expecting value', start);
    let isFloat = false;
    if (s[i] === '.' && isDigit(i + 1)) {
      i += 2;
      while (isDigit(i)) i++;
      isFloat = true;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      let j = i + 1;
      if (s[j] === '+' || s[j] === '-') j++;
      if (isDigit(j)) {
        while (isDigit(j)) j++;
        i = j;
        isFloat = true;
      }
    }
    const text = s.slice(start, i);
    if (!isFloat && text.replace('-', '').length > INT_MAX_STR_DIGITS) {
      // CPython (3.11+, and security releases back to 3.7) refuses to parse such an int: ValueError.
      throw new PyError('ValueError', 'Exceeds the limit (4300 digits) for integer string conversion');
    }
    return [isFloat ? Number(text) : BigInt(text), i];
  }

  string(pos: number): [string, number] {
    const s = this.s;
    let out = '';
    let chunkStart = pos;
    for (;;) {
      if (pos >= s.length) this.fail('Unterminated string starting at', chunkStart - 1);
      const code = s.charCodeAt(pos);
      if (code === 0x22) {
        out += s.slice(chunkStart, pos);
        return [out, pos + 1];
      }
      if (code < 0x20) this.fail('Invalid control character at', pos);
      if (code !== 0x5c) {
        pos++;
        continue;
      }
      out += s.slice(chunkStart, pos);
      const esc = s[pos + 1];
      if (esc === undefined) this.fail('Unterminated string starting at', pos);
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc in simple) {
        out += simple[esc];
        pos += 2;
      } else if (esc === 'u') {
        const hex = s.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', pos + 1);
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else {
        this.fail('Invalid \\escape', pos);
      }
      chunkStart = pos;
    }
  }

  array(pos: number, depth: number): [PyValue[], number] {
    const out: PyValue[] = [];
    pos = this.skipWs(pos);
    if (this.s[pos] === ']') return [out, pos + 1];
    for (;;) {
      const [v, next] = this.value(pos, depth);
      out.push(v);
      pos = this.skipWs(next);
      if (this.s[pos] === ']') return [out, pos + 1];
      if (this.s[pos] !== ',') this.fail("Expecting ',' delimiter", pos);
      pos = this.skipWs(pos + 1);
    }
  }

  object(pos: number, depth: number): [PyDict, number] {
    const out: PyDict = new Map();
    pos = this.skipWs(pos);
    if (this.s[pos] === '}') return [out, pos + 1];
    for (;;) {
      if (this.s[pos] !== '"') this.fail('Expecting property name enclosed in double quotes', pos);
      const [key, afterKey] = this.string(pos + 1);
      pos = this.skipWs(afterKey);
      if (this.s[pos] !== ':') this.fail("Expecting ':' delimiter", pos);
      pos = this.skipWs(pos + 1);
      const [v, next] = this.value(pos, depth);
      out.set(key, v); // Map.set keeps the first insertion position, like dict assignment
      pos = this.skipWs(next);
      if (this.s[pos] === '}') return [out, pos + 1];
      if (this.s[pos] !== ',') this.fail("Expecting ',' delimiter", pos);
      pos = this.skipWs(pos + 1);
    }
  }
}

/** Python `json.loads(s)` for a str argument. Throws PyError('JSONDecodeError') on invalid input. */
export function pyJsonLoads(s: string): PyValue {
  if (s.startsWith('\ufeff')) throw new PyError('JSONDecodeError', 'Unexpected UTF-8 BOM (decode using utf-8-sig): char 0');
  const sc = new Scanner(s);
  const start = sc.skipWs(0);
  const [value, end] = sc.value(start, 0);
  const rest = sc.skipWs(end);
  if (rest !== s.length) sc.fail('Extra data', rest);
  return value;
}
