/**
 * The dataset model of the workbench (issue 6). Boxes are stored in image pixels, corner form
 * [x1, y1, x2, y2]; every other convention (COCO's [x, y, w, h], YOLO's normalised centres, the policy's 0–1000
 * integers) lives in boxes.ts and nowhere else.
 */
import type { Task } from '../rewards/types';

export type Corners = [x1: number, y1: number, x2: number, y2: number];

export interface DatasetClass {
  id: number;
  name: string;
  /** Display colour, #rrggbb. */
  color: string;
}

export interface Annotation {
  id: string;
  classId: number;
  box: Corners;
  /** Grounding: the referring expression that picks this box. */
  expression?: string;
}

export interface DatasetImage {
  id: string;
  fileName: string;
  width: number;
  height: number;
  split: 'train' | 'eval';
  annotations: Annotation[];
  /** Classification: the image's class. */
  classId?: number;
}

export interface Dataset {
  name: string;
  task: Task;
  classes: DatasetClass[];
  images: DatasetImage[];
}
