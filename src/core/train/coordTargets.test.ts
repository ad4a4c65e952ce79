import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../model/tokenizer';
import { completionTargets } from './coordTargets';

const tok = new Tokenizer({ coordBins: 11, words: ['dog'] });
const V = tok.size;
const coord = (bin: number) => tok.coordStart + bin;

describe('completionTargets', () => {
  it('is one-hot for words and for every token when sigma is 0', () => {
    const comp = [tok.wordId('dog'), coord(5), tok.id('eos')];
    const t = completionTargets(tok, [comp], 4, V, 0);
    comp.forEach((id, j) => {
      expect(t[j * V + id]).toBe(1);
      expect(t.subarray(j * V, (j + 1) * V).reduce((a, b) => a + b, 0)).toBe(1);
    });
    // Padding rows are all zero.
    expect(t.subarray(3 * V, 4 * V).every((v) => v === 0)).toBe(true);
  });

  it('spreads a coordinate over its neighbouring bins as a normalised Gaussian, peaked at the answer', () => {
    const t = completionTargets(tok, [[tok.wordId('dog'), coord(5)]], 2, V, 1);
    const row = Array.from(t.subarray(V, 2 * V));
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(row[coord(5)]).toBeCloseTo(1 / (1 + 2 * Math.exp(-0.5) + 2 * Math.exp(-2) + 2 * Math.exp(-4.5)), 6);
    expect(row[coord(4)]).toBeCloseTo(row[coord(6)], 9);
    expect(row[coord(4)] / row[coord(5)]).toBeCloseTo(Math.exp(-0.5), 6);
    expect(row[coord(1)]).toBe(0); // cut at 3σ
    // Nothing leaks outside the coordinate tokens; the word row stays one-hot.
    expect(row.slice(0, tok.coordStart).every((v) => v === 0)).toBe(true);
    expect(t[tok.wordId('dog')]).toBe(1);
  });

  it('renormalises at the ends of the range', () => {
    const t = completionTargets(tok, [[coord(0)]], 1, V, 2);
    const row = Array.from(t.subarray(0, V));
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(row[coord(0)]).toBeGreaterThan(row[coord(1)]);
    expect(row.slice(tok.coordStart + 11).every((v) => v === 0)).toBe(true);
  });
});
