/** Evaluation of a policy on the world's fixed held-out sets, shared by `npm run eval` and the model card. */
import type { Policy } from '../src/core/model/policy';
import type { Task } from '../src/core/rewards/types';
import { evaluatePolicy } from '../src/core/train/evaluate';
import type { Atlas } from '../src/core/world/atlas';
import { evalSamples } from '../src/core/world/batches';
import type { WorldSplit } from '../src/core/world/tasks';

export interface SplitEval {
  task: Task;
  split: WorldSplit;
  samples: number;
  meanRewards: Record<string, number>;
  metrics: Record<string, unknown>;
  examples: { completion: string; solution: string }[];
}

export async function evaluateSplit(policy: Policy, atlas: Atlas, task: Task, split: WorldSplit, n: number): Promise<SplitEval> {
  const samples = evalSamples(atlas, task, split, n);
  const res = await evaluatePolicy(policy, samples);
  return {
    task,
    split,
    samples: n,
    meanRewards: res.meanRewards,
    metrics: (res.report.metrics as Record<string, unknown>)[task] as Record<string, unknown>,
    examples: res.completions.slice(0, 3).map((completion, i) => ({ completion, solution: samples[i].solution })),
  };
}

/** The one headline number of a task's metrics. */
export function headline(e: SplitEval): string {
  const m = e.metrics as Record<string, number>;
  const f = (v: number) => v.toFixed(3);
  const fmt = `format ${f(e.meanRewards.format)}`;
  if (e.task === 'detection') return `${fmt}, mAP ${f(m.map)}, AP50 ${f(m.ap50)}`;
  if (e.task === 'classification') return `${fmt}, accuracy ${f(m.accuracy)}`;
  return `${fmt}, Acc@0.5 ${f(m.acc50)}, mIoU ${f(m.miou)}`;
}
