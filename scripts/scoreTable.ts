/** The scorer's human-readable output: mean rewards per task and the metrics, as aligned tables. */
import { TASKS, TASK_REWARDS, type RewardMode, type Task } from '../src/core/rewards/types';
import type { ScoreReport } from '../src/core/scoring/types';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

const fmt = (v: number) => (v < 0 ? 'n/a' : v.toFixed(4));

/** `tasks[i]` is the task of `report.samples[i]`. */
export function formatScoreTable(report: ScoreReport, tasks: Task[], mode: RewardMode): string {
  const out: string[] = [`Visual-RFT scorer, ${mode} mode, ${report.samples.length} samples`, ''];
  const rows: string[][] = [['task', 'samples', 'reward', 'mean', 'min', 'max']];
  for (const task of TASKS) {
    const scored = report.samples.filter((_, i) => tasks[i] === task);
    if (!scored.length) continue;
    for (const name of TASK_REWARDS[task]) {
      const vals = scored.map((s) => s.rewards[name] as number);
      rows.push([task, String(scored.length), name, fmt(vals.reduce((a, b) => a + b, 0) / vals.length), fmt(Math.min(...vals)), fmt(Math.max(...vals))]);
    }
  }
  out.push(table(rows), '');
  const m = report.metrics;
  if (m.detection) {
    const det: string[][] = [['category', 'AP', 'AP50']];
    for (const [name, v] of Object.entries(m.detection.per_category)) det.push([name, fmt(v.ap), fmt(v.ap50)]);
    det.push(['mean (mAP)', fmt(m.detection.map), fmt(m.detection.ap50)]);
    out.push('Detection (COCO AP over IoU 0.50:0.95, 101 recall points)', table(det), '');
  }
  if (m.classification) out.push(`Classification accuracy: ${fmt(m.classification.accuracy)}`, '');
  if (m.grounding) out.push(`Grounding: mIoU ${fmt(m.grounding.miou)}  Acc@0.5 ${fmt(m.grounding.acc50)}  cIoU ${fmt(m.grounding.ciou)}`, '');
  return out.join('\n');
}
