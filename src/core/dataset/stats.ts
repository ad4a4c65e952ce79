/** Label status and per-class counts of a dataset (the grid's badges and the class list's counts). */
import type { Dataset, DatasetImage } from './types';

export type LabelStatus = 'unlabelled' | 'labelled';

/** Classification needs a class, detection at least one box, grounding boxes that all have an expression. */
export function labelStatus(task: Dataset['task'], im: DatasetImage): LabelStatus {
  if (task === 'classification') return im.classId === undefined ? 'unlabelled' : 'labelled';
  if (task === 'grounding') return im.annotations.length && im.annotations.every((a) => a.expression?.trim()) ? 'labelled' : 'unlabelled';
  return im.annotations.length ? 'labelled' : 'unlabelled';
}

export interface ClassCount {
  /** Boxes of the class (detection, grounding). */
  boxes: number;
  /** Images with the class: a box of it, or its image label. */
  images: number;
  /** Of those, images in the train split. */
  train: number;
}

export function classCounts(d: Dataset): Map<number, ClassCount> {
  const out = new Map<number, ClassCount>(d.classes.map((c) => [c.id, { boxes: 0, images: 0, train: 0 }]));
  for (const im of d.images) {
    const seen = new Set<number>();
    if (im.classId !== undefined) seen.add(im.classId);
    for (const a of im.annotations) {
      seen.add(a.classId);
      const c = out.get(a.classId);
      if (c) c.boxes++;
    }
    for (const id of seen) {
      const c = out.get(id);
      if (!c) continue;
      c.images++;
      if (im.split === 'train') c.train++;
    }
  }
  return out;
}

export function splitCounts(d: Dataset): { train: number; eval: number; unlabelled: number } {
  let train = 0;
  let evalCount = 0;
  let unlabelled = 0;
  for (const im of d.images) {
    if (im.split === 'train') train++;
    else evalCount++;
    if (labelStatus(d.task, im) === 'unlabelled') unlabelled++;
  }
  return { train, eval: evalCount, unlabelled };
}
