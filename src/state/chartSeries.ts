/**
 * What the training charts draw, computed outside React: TensorBoard's debiased EMA smoothing, downsampling of long
 * runs, and the warnings that explain a flat run while it happens. Pure functions, tested beside.
 */

export type HistoryRow = { step: number } & Record<string, number>;

/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` in [0, 1), debiased by 1 − w^n so that
 * the first points are not pulled toward 0. Missing (undefined or non-finite) values stay missing.
 */
export function emaSmooth(values: (number | undefined)[], w: number): (number | undefined)[] {
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === undefined || !Number.isFinite(v)) return undefined;
    last = last * w + (1 - w) * v;
    n++;
    return w === 0 ? v : last / (1 - w ** n);
  });
}

/** At most `max` rows, evenly strided, always keeping the last (a long run stays cheap to draw). */
export function downsample<T>(rows: T[], max = 400): T[] {
  if (rows.length <= max) return rows;
  const stride = Math.ceil(rows.length / max);
  const out = rows.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== rows[rows.length - 1]) out.push(rows[rows.length - 1]);
  return out;
}

/** Rows of one metric for a chart: each run's smoothed values under its own key, by step. */
export function chartRows(runs: { key: string; history: HistoryRow[] }[], metric: string, smoothing: number, max = 400): Record<string, number>[] {
  const byStep = new Map<number, Record<string, number>>();
  for (const run of runs) {
    const rows = run.history.filter((h) => typeof h[metric] === 'number' && Number.isFinite(h[metric]));
    const smooth = emaSmooth(rows.map((h) => h[metric]), smoothing);
    rows.forEach((h, i) => {
      const row = byStep.get(h.step) ?? { step: h.step };
      row[run.key] = smooth[i]!;
      byStep.set(h.step, row);
    });
  }
  return downsample([...byStep.values()].sort((a, b) => a.step - b.step), max);
}

/** Why a run looks flat, said while it runs; each with what to change. */
export function runWarnings(history: HistoryRow[], method: 'grpo' | 'sft'): string[] {
  const steps = history.filter((h) => h.step > 0);
  const recent = steps.slice(-5);
  if (method !== 'grpo' || recent.length < 3) return [];
  const mean = (k: string) => recent.reduce((a, h) => a + (h[k] ?? 0), 0) / recent.length;
  const out: string[] = [];
  if (mean('frac_reward_zero_std') >= 0.9)
    out.push(`In ${Math.round(100 * mean('frac_reward_zero_std'))} % of the last steps' groups every completion got the same reward, so they carry no learning signal: raise the temperature or G, or use examples the policy sometimes gets right (start from a better base, or SFT first).`);
  if (mean('completions/clipped_ratio') >= 0.5)
    out.push(`${Math.round(100 * mean('completions/clipped_ratio'))} % of completions hit the maximum length and were cut before </answer>: raise “Max completion tokens”.`);
  const kl = steps.map((h) => h.kl ?? 0);
  const now = kl[kl.length - 1];
  const before = kl[Math.max(0, kl.length - 6)];
  if (now > 0.5 && now > 5 * Math.max(before, 1e-3)) out.push(`KL to the reference rose from ${before.toFixed(3)} to ${now.toFixed(3)} in five steps: the policy is drifting fast; lower the learning rate or raise β.`);
  return out;
}
