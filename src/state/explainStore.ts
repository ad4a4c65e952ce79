/** The reward debugger's form and result: a completion and a solution, explained by core/rewards/explain.ts. */
import { create } from 'zustand';
import { type Explanation, explainRewards } from '../core/rewards/explain';
import { type ReadBox, readCompletion } from '../core/rewards/readCompletion';
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
  /** The picture the boxes are drawn over (an example's, a rollout's, or a file the user chose). */
  imageUrl?: string;
  /** Where the completion came from ("Compare: example 3, base policy"), when picked rather than pasted. */
  origin?: string;
  imageError?: string;
  /** The boxes drawn with the result: the solution's (dashed) and the completion's, as the reader parses them. */
  drawn?: { truth: ReadBox[]; pred: ReadBox[] } | null;
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

/** Explain a completion picked elsewhere (a Compare example, a rollout), with its picture when there is one. */
export function explainFrom(p: Partial<ExplainForm> & Pick<ExplainForm, 'task' | 'completion' | 'solution'> & { imageUrl?: string; origin: string }): void {
  const { imageUrl, origin, ...form } = p;
  useExplainStore.setState((s) => ({ form: { ...s.form, width: 0, height: 0, ...form }, imageUrl, origin, imageError: undefined }));
  explainNow();
}

/** Draw the boxes over an image file of the user's; its size fills the width and height (the pixel check). */
export async function setExplainImage(file: File): Promise<void> {
  try {
    const bitmap = await createImageBitmap(file);
    const { width, height } = bitmap;
    bitmap.close();
    useExplainStore.setState((s) => ({ imageUrl: URL.createObjectURL(file), imageError: undefined, form: { ...s.form, width, height } }));
  } catch {
    useExplainStore.setState({ imageError: `${file.name}: not an image this browser can decode` });
  }
}

export function explainNow(): void {
  const f = useExplainStore.getState().form;
  const size = f.width > 0 && f.height > 0 ? { width: f.width, height: f.height } : undefined;
  const drawn = f.task === 'classification' ? null : { truth: readCompletion(f.task, `<think></think> ${f.solution}`).boxes, pred: readCompletion(f.task, f.completion).boxes };
  useExplainStore.setState({ result: explainRewards(f.task, f.completion, f.solution, f.mode, size), drawn });
}
