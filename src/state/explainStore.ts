/** The reward debugger's form and result: a completion and a solution, explained by core/rewards/explain.ts. */
import { create } from 'zustand';
import { type Explanation, explainRewards } from '../core/rewards/explain';
import type { RewardMode, Task } from '../core/rewards/types';

export type { Explanation };

export interface ExplainForm {
  task: Task;
  mode: RewardMode;
  completion: string;
  solution: string;
  /** The image's size in pixels (for the pixel-coordinate warning); 0 = unknown. */
  width: number;
  height: number;
}

export interface ExplainState {
  form: ExplainForm;
  result: Explanation | null;
}

const EXAMPLE: ExplainForm = {
  task: 'detection',
  mode: 'reference',
  completion: "<think> One dog on the left. </think> <answer>[{'Position': [76, 96, 307, 432], 'Confidence': 0.9}]</answer>",
  solution: "<answer>[{'Position': [120, 200, 480, 900], 'Confidence': 1}]</answer>",
  width: 640,
  height: 480,
};

export const useExplainStore = create<ExplainState>(() => ({ form: EXAMPLE, result: null }));

export function setExplainForm(patch: Partial<ExplainForm>): void {
  useExplainStore.setState((s) => ({ form: { ...s.form, ...patch } }));
}

export function explainNow(): void {
  const f = useExplainStore.getState().form;
  const size = f.width > 0 && f.height > 0 ? { width: f.width, height: f.height } : undefined;
  useExplainStore.setState({ result: explainRewards(f.task, f.completion, f.solution, f.mode, size) });
}
