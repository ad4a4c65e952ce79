import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { logSoftmaxRow, sampleToken } from './sampler';

describe('sampler', () => {
  const logits = new Float32Array([2, 1, 0, -1]);
  it('is greedy at temperature 0 and reports the temperature-1 log-prob', () => {
    const r = sampleToken(logits, { temperature: 0, topK: 0 }, new Rng(1));
    expect(r.token).toBe(0);
    expect(r.logprob).toBeCloseTo(logSoftmaxRow(logits, 1)[0], 12);
  });
  it('samples in proportion to the tempered distribution, within top-k, never a suppressed token', () => {
    const rng = new Rng(2);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, { temperature: 1, topK: 2, suppressTokens: [1] }, rng).token]++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0); // top-2 after suppression: tokens 0 and 2
    const p = Array.from(logSoftmaxRow(logits, 1), Math.exp);
    expect(counts[0] / counts[2]).toBeCloseTo(p[0] / p[2], 0);
  });
  it('reports log-probs of the full tempered distribution, not the truncated one', () => {
    const r = sampleToken(logits, { temperature: 2, topK: 1 }, new Rng(3));
    expect(r.token).toBe(0);
    expect(r.logprob).toBeCloseTo(logSoftmaxRow(logits, 2)[0], 12);
  });
});
