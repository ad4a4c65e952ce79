/** Evaluation on the world's fixed held-out sets for `npm run eval` and the model card (core does the work). */
import type { Policy } from '../src/core/model/policy';
import type { Task } from '../src/core/rewards/types';
import { type WorldEval, evaluateWorldSplit } from '../src/core/train/evaluate';
import type { Atlas } from '../src/core/world/atlas';
import type { WorldSplit } from '../src/core/world/tasks';

export type SplitEval = WorldEval;

export function evaluateSplit(policy: Policy, atlas: Atlas, task: Task, split: WorldSplit, n: number, givenTrace = false): Promise<SplitEval> {
  return evaluateWorldSplit(policy, atlas, task, split, n, 3, { givenTrace });
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
