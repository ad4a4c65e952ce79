import { describe, expect, it } from 'vitest';
import { chartRows, downsample, emaSmooth, runWarnings } from './chartSeries';

describe('chart series', () => {
  it('smooths as TensorBoard does: debiased EMA, the first point unchanged, gaps kept', () => {
    const s = emaSmooth([1, 3, undefined, 5], 0.6);
    expect(s[0]).toBeCloseTo(1, 12);
    // (0.6·0.4·1 + 0.4·3) / (1 − 0.36)
    expect(s[1]).toBeCloseTo((0.24 + 1.2) / 0.64, 12);
    expect(s[2]).toBeUndefined();
    expect(emaSmooth([2, 4], 0)).toEqual([2, 4]);
  });

  it('downsamples long runs to at most the limit (+ the last), and overlays runs by step', () => {
    const rows = Array.from({ length: 1001 }, (_, i) => i);
    const d = downsample(rows, 100);
    expect(d.length).toBeLessThanOrEqual(101);
    expect(d[d.length - 1]).toBe(1000);
    const c = chartRows([{ key: 'a', history: [{ step: 1, reward: 1 }, { step: 2, reward: 2 }] }, { key: 'b', history: [{ step: 2, reward: 5 }] }], 'reward', 0);
    expect(c).toEqual([{ step: 1, a: 1 }, { step: 2, a: 2, b: 5 }]);
  });

  it('warns about identical-reward groups, clipped completions and fast-rising KL', () => {
    const flat = Array.from({ length: 6 }, (_, i) => ({ step: i + 1, frac_reward_zero_std: 1, 'completions/clipped_ratio': 0.8, kl: 0.001 * 10 ** (i / 1.5) }));
    const w = runWarnings(flat, 'grpo');
    expect(w[0]).toMatch(/100 % of the last steps' groups/);
    expect(w[1]).toMatch(/80 % of completions hit the maximum length/);
    expect(runWarnings([...flat, { step: 7, frac_reward_zero_std: 1, 'completions/clipped_ratio': 0.8, kl: 0.9 }], 'grpo').some((m) => m.startsWith('KL to the reference rose'))).toBe(true);
    expect(runWarnings(flat.map((h) => ({ ...h, frac_reward_zero_std: 0.2, 'completions/clipped_ratio': 0, kl: 0.01 })), 'grpo')).toEqual([]);
    expect(runWarnings(flat, 'sft')).toEqual([]);
  });
});
