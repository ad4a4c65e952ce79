import { describe, expect, it } from 'vitest';
import { type ExperimentResult, type RunRecord, markdown, summary, svgCurves, svgPlot, trainingFit } from './report';
import { SUITES } from './suites';

const run = (method: 'sft' | 'rft', shots: number, seed: number, metric: number, zeroStd = 0.2): RunRecord => ({
  method,
  shots,
  seed,
  metric,
  curve: [0, 1, 2].map((step): Record<string, number> => (method === 'rft' ? { step, reward: 1 + step * metric } : { step, loss: 2 - step * metric })),
  evalRewards: { format: 1, accuracy_confidence: method === 'rft' ? 0.5 : 0.1 },
  diagnostics: method === 'rft' ? { frac_reward_zero_std: zeroStd, kl: 0.01, 'completions/mean_length': 30, 'completions/clipped_ratio': 0, reward: 1.2 } : undefined,
});

const result: ExperimentResult = {
  suite: SUITES['few-shot-detection'],
  shots: [1, 4],
  seeds: 2,
  steps: 3,
  baseMetric: 0.1,
  baseRewards: { format: 0.9, accuracy_confidence: 0.3 },
  // 1-shot: RFT beats SFT; 4-shot: SFT wins, and most RFT groups had identical rewards.
  runs: [run('sft', 1, 1, 0.1), run('sft', 1, 2, 0.2), run('rft', 1, 1, 0.3), run('rft', 1, 2, 0.5), run('sft', 4, 1, 0.6), run('sft', 4, 2, 0.6), run('rft', 4, 1, 0.2, 0.8), run('rft', 4, 2, 0.2, 0.6)],
  settings: { model: 'abc', steps: 3, rftLr: 5e-5 },
  command: 'npm run experiment -- --shots 1,4',
};

describe('experiment report', () => {
  it('averages over seeds with the sample standard deviation', () => {
    const s = summary(result, 'rft', 1);
    expect(s.mean).toBeCloseTo(0.4);
    expect(s.std).toBeCloseTo(Math.SQRT2 * 0.1);
  });

  it('writes the table, the settings and a diagnosis only where RFT loses', () => {
    const md = markdown(result);
    expect(md).toContain('| Base policy | 10.0 | 10.0 |');
    expect(md).toContain('| RFT (GRPO) | 40.0 ± 14.1 | 20.0 ± 0.0 |');
    expect(md).toContain('rftLr 0.00005');
    expect(md).toContain('`npm run experiment -- --shots 1,4`');
    expect(md).toContain('- 4-shot: RFT 20.0 vs SFT 60.0');
    expect(md).toContain('reward sparsity: 70.0 %');
    expect(md).not.toContain('- 1-shot:');
    expect(md).toContain('| method | format | accuracy_confidence |');
    expect(md).toContain('| Base policy | 0.900 | 0.300 |');
    expect(md).toContain('| SFT | 1.000 | 0.100 |');
    // 4-shot RFT (20.0) is above base (10.0) too, so no shot count is listed under the base section.
    expect(md).toContain('RFT raises the metric over the base policy at every shot count (in the mean over seeds).');
    expect(md).toContain('4 of 4 RFT runs are above the base policy (10.0).');
    // A mean above base can hide a run below it: the page names it.
    const oneBelow = markdown({ ...result, runs: result.runs.map((x) => (x.method === 'rft' && x.shots === 1 && x.seed === 1 ? { ...x, metric: 0.05 } : x)) });
    expect(oneBelow).toContain('RFT raises the metric over the base policy at every shot count (in the mean over seeds).');
    expect(oneBelow).toContain('3 of 4 RFT runs are above the base policy (10.0); not: 1-shot seed 1: 5.0.');
    const below = markdown({ ...result, baseMetric: 0.3 });
    expect(below).toContain('- 4-shot: RFT 20.0 vs base 30.0; 0 of 2 seeds above base. Held-out rewards, base → RFT: format 0.900 → 1.000, accuracy_confidence 0.300 → 0.500.');
    expect(below).not.toContain('- 1-shot: RFT 40.0 vs base');
  });

  it('compares nothing when one method was not run', () => {
    const sftOnly = markdown({ ...result, runs: result.runs.filter((x) => x.method === 'sft') });
    expect(sftOnly).toContain('| RFT (GRPO) | – | – |');
    expect(sftOnly).toContain('RFT was not run (`--methods`): no comparison.');
    expect(sftOnly).not.toContain('NaN');
    const rftOnly = markdown({ ...result, runs: result.runs.filter((x) => x.method === 'rft') });
    expect(rftOnly).toContain('SFT was not run (`--methods`): no comparison.');
    expect(rftOnly).toContain('4 of 4 RFT runs are above the base policy');
  });

  it('tables the held-out detection errors when the runs recorded them', () => {
    expect(markdown(result)).not.toContain('## Held-out detection errors');
    const d = (recall50: number, absentEmpty: number) => ({ samples: 10, absent: 4, absentAnsweredEmpty: absentEmpty, present: 6, presentAnsweredEmpty: 1, countUnder: 2, countRight: 3, countOver: 1, gtBoxes: 8, recall: { '0.3': 0.5, '0.5': recall50, '0.75': 0.25 }, meanBestIou: 0.4, confidences: { '1.00': 9 } });
    const withErrors = { ...result, baseErrors: d(0.5, 1), runs: result.runs.map((x) => ({ ...x, errors: d(x.method === 'rft' ? 0.25 : 0.375, x.method === 'rft' ? 3 : 2) })) };
    const md = markdown(withErrors);
    expect(md).toContain('| Base policy | 0.50 | 0.50 | 0.25 | 0.25 | 0.17 | 0.33 | 0.17 | 1.00 |');
    expect(md).toContain('| SFT | 0.50 | 0.38 | 0.25 | 0.50 | 0.17 | 0.33 | 0.17 | 1.00 |');
    expect(md).toContain('| RFT (GRPO) | 0.50 | 0.25 | 0.25 | 0.75 | 0.17 | 0.33 | 0.17 | 1.00 |');
    // Runs logged before confidences were counted show a dash, not a made-up share.
    const { confidences: _c, ...old } = d(0.5, 1);
    expect(markdown({ ...withErrors, baseErrors: old as typeof withErrors.baseErrors })).toContain('| Base policy | 0.50 | 0.50 | 0.25 | 0.25 | 0.17 | 0.33 | 0.17 | – |');
  });

  it('tables mAP as written against the same boxes ranked by true IoU, where the runs measured it', () => {
    expect(markdown(result)).not.toContain('## Boxes against ranking');
    const bound = (written: number, ranked: number) => ({ written: { map: written, ap50: 0 }, rankedByIou: { map: ranked, ap50: 0 } });
    const md = markdown({ ...result, baseRankingBound: bound(0.1, 0.2), runs: result.runs.map((x) => (x.shots === 1 ? { ...x, rankingBound: x.method === 'rft' ? bound(x.metric, x.seed * 0.3) : bound(x.metric, 0.25) } : x)) });
    expect(md).toContain('| Base policy | 10.0 → 20.0 | 10.0 → 20.0 |');
    // RFT 1-shot: written 0.3 and 0.5, ranked 0.3 and 0.6; 4-shot runs logged none.
    expect(md).toContain('| RFT (GRPO) | 40.0 → 45.0 | – |');
    expect(md).toContain('| SFT | 15.0 → 25.0 | – |');
  });

  it('says what the methods trained on and in which reward mode', () => {
    expect(markdown(result)).toContain('each asked about its own class. RFT rewards in reference mode');
    const strict = markdown({ ...result, settings: { ...result.settings, rewardMode: 'strict', absentShare: 0.25 } });
    expect(strict).toContain('about classes they do not contain (25.0 % of queries on average');
    expect(strict).toContain('RFT rewards in strict mode');
  });

  it('measures how RFT fitted its training set from the logged iou/mean, first against last quarter', () => {
    const curve = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((iou, step) => ({ step, reward: 1, 'iou/mean': iou }));
    const fit = trainingFit([{ ...run('rft', 1, 1, 0.1), curve }, { ...run('rft', 1, 2, 0.1), curve: curve.map((c) => ({ ...c, 'iou/mean': c['iou/mean'] / 2 })) }]);
    // Seed 1: 0.15 → 0.75; seed 2: 0.075 → 0.375; averaged over seeds.
    expect(fit?.first).toBeCloseTo(0.1125);
    expect(fit?.last).toBeCloseTo(0.5625);
    expect(trainingFit([run('rft', 1, 1, 0.1)])).toBeNull();
    const md = markdown({ ...result, baseMetric: 0.3, runs: result.runs.map((x) => (x.method === 'rft' && x.shots === 4 ? { ...x, curve } : x)) });
    expect(md).toContain('0 of 2 seeds above base. Held-out rewards, base → RFT: format 0.900 → 1.000, accuracy_confidence 0.300 → 0.500. On its training set, the IoU of sampled boxes went 0.150 → 0.750 (first → last quarter of the steps).');
  });

  it('plots one line per method and one curve per shot count', () => {
    expect(svgPlot(result).match(/<polyline/g)).toHaveLength(3);
    const curves = svgCurves(result);
    expect(curves.match(/<polyline/g)).toHaveLength(4);
    expect(curves).not.toContain('NaN');
  });
});
