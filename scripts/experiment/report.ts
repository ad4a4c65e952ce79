/** Tables (markdown, JSON) and an SVG plot of an experiment's results. */
import type { DetectionDiagnosis } from '../../src/core/scoring/detectionDiagnosis';
import type { RankingBound } from '../../src/core/scoring/rankingBound';
import type { Suite } from './suites';

export interface RunRecord {
  method: 'sft' | 'rft';
  shots: number;
  seed: number;
  metric: number;
  /** Mean of each reward on the held-out set (greedy completions). */
  evalRewards?: Record<string, number>;
  /** Detection: the held-out error breakdown (scoring/detectionDiagnosis.ts). */
  errors?: DetectionDiagnosis;
  /** Detection: mAP as written and with the same boxes ranked by their true IoU (scoring/rankingBound.ts). */
  rankingBound?: RankingBound;
  curve: Record<string, number>[];
  /** Means of the logged GRPO diagnostics over the run (RFT only). */
  diagnostics?: Record<string, number>;
}

export interface ExperimentResult {
  suite: Suite;
  shots: number[];
  seeds: number;
  steps: number;
  baseMetric: number;
  /** Mean of each reward of the base policy on the held-out set. */
  baseRewards?: Record<string, number>;
  baseErrors?: DetectionDiagnosis;
  baseRankingBound?: RankingBound;
  runs: RunRecord[];
  /** What the runs depend on: the base checkpoint's hash, the step budget, the eval size and the trainers' settings. */
  settings: Record<string, string | number>;
  /** The command that reproduces the table. */
  command: string;
}

function stats(xs: number[]): { mean: number; std: number } {
  if (!xs.length) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}

export function summary(r: ExperimentResult, method: 'sft' | 'rft', shots: number): { mean: number; std: number } {
  return stats(r.runs.filter((x) => x.method === method && x.shots === shots).map((x) => x.metric));
}

const pct = (v: number) => (100 * v).toFixed(1);

/**
 * How well RFT fitted its own training set at a shot count: the mean IoU of the sampled boxes (`iou/mean`) over the
 * first and the last quarter of the steps, averaged over seeds. A rise there with no rise on the held-out set means
 * what RFT learned did not carry over (few samples, each revisited many times). Null when no curve logged it.
 */
export function trainingFit(runs: RunRecord[]): { first: number; last: number } | null {
  const pairs = runs.flatMap((x) => {
    const v = x.curve.map((c) => c['iou/mean']).filter((n): n is number => Number.isFinite(n));
    const q = Math.floor(v.length / 4);
    return q ? [{ first: stats(v.slice(0, q)).mean, last: stats(v.slice(v.length - q)).mean }] : [];
  });
  return pairs.length ? { first: stats(pairs.map((p) => p.first)).mean, last: stats(pairs.map((p) => p.last)).mean } : null;
}

function fitClause(runs: RunRecord[]): string {
  const fit = trainingFit(runs);
  return fit ? ` On its training set, the IoU of sampled boxes went ${fit.first.toFixed(3)} → ${fit.last.toFixed(3)} (first → last quarter of the steps).` : '';
}

/** Why RFT did not beat SFT at a shot count, from the logged metrics. */
function diagnosis(r: ExperimentResult, shots: number): string {
  const d = r.runs.filter((x) => x.method === 'rft' && x.shots === shots && x.diagnostics).map((x) => x.diagnostics as Record<string, number>);
  const avg = (k: string) => stats(d.map((x) => x[k] ?? 0)).mean;
  const zero = avg('frac_reward_zero_std');
  const reasons = [
    zero > 0.5 ? `reward sparsity: ${pct(zero)} % of groups had identical rewards, so no learning signal` : `${pct(zero)} % of groups had identical rewards`,
    `mean KL to the reference ${avg('kl').toFixed(4)}`,
    `mean completion length ${avg('completions/mean_length').toFixed(1)} tokens (${pct(avg('completions/clipped_ratio'))} % hit the limit)`,
    `mean reward ${avg('reward').toFixed(3)}`,
  ];
  const rft = r.runs.filter((x) => x.method === 'rft' && x.shots === shots);
  return `- ${shots}-shot: RFT ${pct(summary(r, 'rft', shots).mean)} vs SFT ${pct(summary(r, 'sft', shots).mean)}. Logged: ${reasons.join('; ')}.${fitClause(rft)}`;
}

/**
 * Why RFT did not raise the metric over the base policy at a shot count: how many seeds did, and what happened
 * to each held-out reward (a reward that rose while the ranking metric did not points at confidence ordering).
 */
function baseDiagnosis(r: ExperimentResult, shots: number): string {
  const rft = r.runs.filter((x) => x.method === 'rft' && x.shots === shots);
  const above = rft.filter((x) => x.metric > r.baseMetric).length;
  const keys = Object.keys(r.baseRewards ?? {});
  const moved = keys.map((k) => `${k} ${(r.baseRewards?.[k] ?? 0).toFixed(3)} → ${stats(rft.filter((x) => x.evalRewards).map((x) => x.evalRewards?.[k] ?? 0)).mean.toFixed(3)}`);
  return `- ${shots}-shot: RFT ${pct(summary(r, 'rft', shots).mean)} vs base ${pct(r.baseMetric)}; ${above} of ${rft.length} seeds above base.${moved.length ? ` Held-out rewards, base → RFT: ${moved.join(', ')}.` : ''}${fitClause(rft)}`;
}

/**
 * Detection error rates of a diagnosis: recall at IoU 0.3/0.5/0.75, absent category answered "No Objects",
 * present answered with none, too few, too many, and the share of boxes written at confidence 1.00 (NaN for runs
 * logged before confidences were counted).
 */
function errorRates(d: DetectionDiagnosis): number[] {
  const boxes = d.confidences ? Object.values(d.confidences).reduce((a, b) => a + b, 0) : 0;
  const atOne = d.confidences && boxes ? (d.confidences['1.00'] ?? 0) / boxes : NaN;
  return [d.recall['0.3'], d.recall['0.5'], d.recall['0.75'], d.absent ? d.absentAnsweredEmpty / d.absent : 0, d.present ? d.presentAnsweredEmpty / d.present : 0, d.present ? d.countUnder / d.present : 0, d.present ? d.countOver / d.present : 0, atOne];
}

/** Held-out detection errors per method (means over shots and seeds): what a change of mAP is made of. */
function errorTable(r: ExperimentResult): string[] {
  if (!r.baseErrors) return [];
  const mean = (m: 'sft' | 'rft') => {
    const rows = r.runs.filter((x) => x.method === m && x.errors).map((x) => errorRates(x.errors as DetectionDiagnosis));
    return rows.length ? rows[0].map((_, i) => stats(rows.map((row) => row[i]).filter((v) => !Number.isNaN(v))).mean) : [];
  };
  const fmt = (v: number[]) => (v.length ? v.map((x) => (Number.isNaN(x) ? '–' : x.toFixed(2))).join(' | ') : Array(8).fill('–').join(' | '));
  return [
    '## Held-out detection errors',
    '',
    'Recall of the true boxes at IoU 0.3 / 0.5 / 0.75; of samples whose category is absent, the share answered `No Objects`; of samples whose category is present, the shares answered with no box, with too few boxes and with too many; the share of boxes written with confidence 1.00 (AP ranks by confidence: at 1.00 everywhere it cannot rank). Means over every shot count and seed; `src/core/scoring/detectionDiagnosis.ts`:',
    '',
    '| method | recall@0.3 | recall@0.5 | recall@0.75 | absent → No Objects | present → no box | too few | too many | confidence 1.00 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| Base policy | ${fmt(errorRates(r.baseErrors))} |`,
    `| SFT | ${fmt(mean('sft'))} |`,
    `| RFT (GRPO) | ${fmt(mean('rft'))} |`,
    '',
  ];
}

/**
 * Detection: the metric per shot count next to what the same boxes would score ranked by their true IoU
 * (scoring/rankingBound.ts), so a change of boxes can be told from a change of ranking. Only runs that
 * recorded it (runs logged before it was measured have none).
 */
function rankingTable(r: ExperimentResult): string[] {
  if (!r.baseRankingBound) return [];
  const cell = (m: 'sft' | 'rft', shots: number) => {
    const b = r.runs.filter((x) => x.method === m && x.shots === shots && x.rankingBound).map((x) => x.rankingBound as RankingBound);
    return b.length ? `${pct(stats(b.map((x) => x.written.map)).mean)} → ${pct(stats(b.map((x) => x.rankedByIou.map)).mean)}` : '–';
  };
  const base = `${pct(r.baseRankingBound.written.map)} → ${pct(r.baseRankingBound.rankedByIou.map)}`;
  return [
    '## Boxes against ranking',
    '',
    'mAP (%) as written → mAP of the same boxes ranked by their true IoU with the ground truth instead of by the confidence written (a diagnostic that looks at the answers: what a perfect confidence would add; the second figure compares the boxes alone). Means over seeds; `src/core/scoring/rankingBound.ts`:',
    '',
    `| method | ${r.shots.map((k) => `${k}-shot`).join(' | ')} |`,
    `| --- | ${r.shots.map(() => '---').join(' | ')} |`,
    `| Base policy | ${r.shots.map(() => base).join(' | ')} |`,
    `| SFT | ${r.shots.map((k) => cell('sft', k)).join(' | ')} |`,
    `| RFT (GRPO) | ${r.shots.map((k) => cell('rft', k)).join(' | ')} |`,
    '',
  ];
}

/** Held-out mean rewards per method, over all shots and seeds: which reward a method moved (or broke). */
function rewardTable(r: ExperimentResult): string[] {
  const keys = [...new Set([...Object.keys(r.baseRewards ?? {}), ...r.runs.flatMap((x) => Object.keys(x.evalRewards ?? {}))])];
  if (!keys.length) return [];
  const mean = (m: 'sft' | 'rft', k: string) => stats(r.runs.filter((x) => x.method === m && x.evalRewards).map((x) => x.evalRewards?.[k] ?? 0)).mean;
  const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(3));
  return [
    '## Held-out rewards',
    '',
    'Mean of each reward on the held-out set (greedy completions), over every shot count and seed:',
    '',
    `| method | ${keys.join(' | ')} |`,
    `| --- | ${keys.map(() => '---').join(' | ')} |`,
    `| Base policy | ${keys.map((k) => fmt(r.baseRewards?.[k])).join(' | ')} |`,
    `| SFT | ${keys.map((k) => fmt(mean('sft', k))).join(' | ')} |`,
    `| RFT (GRPO) | ${keys.map((k) => fmt(mean('rft', k))).join(' | ')} |`,
    '',
  ];
}

/** What the methods trained on and which reward semantics RFT optimised. */
function trainingSetLine(r: ExperimentResult): string {
  const share = Number(r.settings.absentShare ?? 0);
  const set = r.suite.classes.length
    ? `K images per class of the set (${r.suite.classes.length} classes, ${r.suite.trainSplit} split)${share > 0 ? `, plus queries of those images about classes they do not contain (${pct(share)} % of queries on average, answer \`No Objects\`)` : ', each asked about its own class'}`
    : `8 × K ${r.suite.trainSplit} samples`;
  const mode = String(r.settings.rewardMode ?? 'reference');
  return `Training set at K shots: ${set}. RFT rewards in ${mode} mode (docs/design.md §3${mode === 'reference' ? ': `No Objects` never scores' : ': `No Objects` on an absent class scores 1'}); held-out rewards below are scored in reference mode.`;
}

/** A mean can hide single runs: how many RFT runs are above the base policy, and which are not. */
function runsAboveBase(r: ExperimentResult): string {
  const rft = r.runs.filter((x) => x.method === 'rft');
  const below = rft.filter((x) => !(x.metric > r.baseMetric));
  const which = below.map((x) => `${x.shots}-shot seed ${x.seed}: ${pct(x.metric)}`).join('; ');
  // A few exceptions are named; when most runs are below, the count says it.
  return `${rft.length - below.length} of ${rft.length} RFT runs are above the base policy (${pct(r.baseMetric)})${below.length && below.length <= 3 ? `; not: ${which}` : ''}.`;
}

export function markdown(r: ExperimentResult): string {
  // `--methods sft` (or rft) runs one method: its table has a dash for the other, and no comparison is made up.
  const has = (m: 'sft' | 'rft') => r.runs.some((x) => x.method === m);
  const notRun = (m: 'sft' | 'rft') => `${m.toUpperCase()} was not run (\`--methods\`): no comparison.`;
  const cell = (m: 'sft' | 'rft', s: number) => (has(m) ? `${pct(summary(r, m, s).mean)} ± ${pct(summary(r, m, s).std)}` : '–');
  const row = (label: string, f: (s: number) => string) => `| ${label} | ${r.shots.map(f).join(' | ')} |`;
  const losing = r.shots.filter((s) => !(summary(r, 'rft', s).mean > summary(r, 'sft', s).mean));
  const notAboveBase = r.shots.filter((s) => !(summary(r, 'rft', s).mean > r.baseMetric));
  const versusSft = !has('rft') ? [notRun('rft')] : !has('sft') ? [notRun('sft')] : losing.length ? losing.map((s) => diagnosis(r, s)) : ['RFT beats SFT at every shot count.'];
  const versusBase = !has('rft')
    ? [notRun('rft')]
    : [...(notAboveBase.length ? notAboveBase.map((s) => baseDiagnosis(r, s)) : ['RFT raises the metric over the base policy at every shot count (in the mean over seeds).']), '', runsAboveBase(r)];
  return [
    `# ${r.suite.name}: ${r.suite.paperTable}`,
    '',
    `${r.suite.metric.name} (%) on the world's held-out ${r.suite.evalSplit} set; mean ± std over ${r.seeds} seed(s); SFT and RFT both train ${r.steps} steps from the base policy.`,
    '',
    trainingSetLine(r),
    '',
    `| method | ${r.shots.map((s) => `${s}-shot`).join(' | ')} |`,
    `| --- | ${r.shots.map(() => '---').join(' | ')} |`,
    row('Base policy', () => pct(r.baseMetric)),
    row('SFT', (s) => cell('sft', s)),
    row('RFT (GRPO)', (s) => cell('rft', s)),
    '',
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k} ${v}`).join(', ')}. Reproduce with \`${r.command}\` (resumable).`,
    '',
    '![metric vs shots](' + r.suite.name + '.svg) ![training curves](' + r.suite.name + '.curves.svg)',
    '',
    ...rewardTable(r),
    ...errorTable(r),
    ...rankingTable(r),
    '## Where RFT does not beat SFT',
    '',
    ...versusSft,
    '',
    '## Where RFT does not beat the base policy',
    '',
    ...versusBase,
    '',
  ].join('\n');
}

export function svgPlot(r: ExperimentResult): string {
  const W = 520;
  const H = 320;
  const L = 56;
  const B = 40;
  const T = 30;
  const R = 110;
  const xs = r.shots.map((_, i) => L + (i * (W - L - R)) / Math.max(1, r.shots.length - 1));
  const ymax = Math.max(0.05, r.baseMetric, ...r.runs.map((x) => x.metric)) * 1.1;
  const y = (v: number) => T + (H - T - B) * (1 - (Number.isFinite(v) ? v : 0) / ymax);
  const line = (vals: number[], color: string, label: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${vals.map((v, i) => `${xs[i]},${y(v)}`).join(' ')}"/>` +
    vals.map((v, i) => `<circle cx="${xs[i]}" cy="${y(v)}" r="3" fill="${color}"/>`).join('') +
    `<text x="${W - R + 8}" y="${y(vals[vals.length - 1]) + 4}" font-size="12" fill="${color}">${label}</text>`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * ymax);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${L}" y="18" font-size="13">${r.suite.name}: ${r.suite.metric.name} vs shots</text>`,
    ...ticks.map((t) => `<line x1="${L}" x2="${W - R}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${L - 6}" y="${y(t) + 4}" font-size="11" text-anchor="end">${pct(t)}</text>`),
    ...r.shots.map((s, i) => `<text x="${xs[i]}" y="${H - B + 18}" font-size="11" text-anchor="middle">${s}</text>`),
    `<text x="${(L + W - R) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">shots per class</text>`,
    line(r.shots.map(() => r.baseMetric), '#888', 'base'),
    line(r.shots.map((s) => summary(r, 'sft', s).mean), '#c2410c', 'SFT'),
    line(r.shots.map((s) => summary(r, 'rft', s).mean), '#1d6fb8', 'RFT'),
    '</svg>',
    '',
  ].join('\n');
}

/** Mean over seeds of one logged metric at each step, for one method and shot count. */
function meanCurve(r: ExperimentResult, method: 'sft' | 'rft', shots: number, key: string): number[] {
  const runs = r.runs.filter((x) => x.method === method && x.shots === shots && x.curve.length);
  if (!runs.length) return [];
  const n = Math.min(...runs.map((x) => x.curve.length));
  return Array.from({ length: n }, (_, i) => runs.reduce((a, x) => a + (x.curve[i][key] ?? 0), 0) / runs.length);
}

/** Training curves: RFT's mean reward and SFT's loss per step, one line per shot count (mean over seeds). */
export function svgCurves(r: ExperimentResult): string {
  const W = 360;
  const H = 260;
  const L = 50;
  const B = 36;
  const T = 28;
  const colours = ['#1d6fb8', '#0f766e', '#7c3aed', '#c2410c', '#be123c', '#4d7c0f'];
  const panel = (x0: number, title: string, method: 'sft' | 'rft', key: string) => {
    const lines = r.shots.map((s) => meanCurve(r, method, s, key));
    const all = lines.flat().filter(Number.isFinite);
    if (!all.length) return `<text x="${x0 + L}" y="${T + 20}" font-size="12">${title}: no runs</text>`;
    const lo = Math.min(...all);
    const hi = Math.max(...all) + 1e-9;
    const steps = Math.max(...lines.map((l) => l.length));
    const px = (i: number) => x0 + L + ((W - L - 16) * i) / Math.max(1, steps - 1);
    const py = (v: number) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
    return [
      `<text x="${x0 + L}" y="18" font-size="13">${title}</text>`,
      ...[lo, (lo + hi) / 2, hi].map((t) => `<line x1="${x0 + L}" x2="${x0 + W - 16}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/><text x="${x0 + L - 6}" y="${py(t) + 4}" font-size="11" text-anchor="end">${t.toFixed(2)}</text>`),
      `<text x="${x0 + (L + W) / 2}" y="${H - 8}" font-size="11" text-anchor="middle">step (${steps})</text>`,
      ...lines.map((l, i) => `<polyline fill="none" stroke="${colours[i % colours.length]}" stroke-width="1.5" points="${l.map((v, j) => `${px(j).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}"/>`),
      ...r.shots.map((s, i) => `<text x="${x0 + W - 60}" y="${T + 14 * i + 10}" font-size="11" fill="${colours[i % colours.length]}">${s}-shot</text>`),
    ].join('');
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    panel(0, `${r.suite.name}: RFT mean reward`, 'rft', 'reward'),
    panel(W, 'SFT loss', 'sft', 'loss'),
    '</svg>',
    '',
  ].join('\n');
}
