/**
 * A labelled dataset as training examples (docs/design.md §7, "one seam"): the texts of each example — prompt
 * words, the solution of docs/design.md §2 in 0–1000 coordinates (boxes.ts), the SFT target with a `<think>` trace
 * in the world's phrasing (traces.ts) — and whether the dataset can be trained on at all, with what to fix. The
 * pixels are added by the caller (state decodes the stored images); core/train/trainItems.ts does the rest.
 */
import { toThousandths } from './boxes';
import { detectionSolution } from './prompts';
import { article, detectionList, detectionThink, wherePhrase } from './traces';
import type { ScoreSample } from '../scoring/types';
import type { Annotation, Dataset, DatasetImage } from './types';

export interface ExampleText {
  imageId: string;
  /** The image's size in pixels (the scorer turns 0–1000 coordinates into pixels with it). */
  width: number;
  height: number;
  /** Detection: the category the example asks about. */
  category?: string;
  task: Dataset['task'];
  promptWords: string[];
  solution: string;
  completion: string;
}

/** A class name or expression as prompt words: lowercased, split on spaces and underscores. */
export const labelWords = (text: string): string[] => text.trim().toLowerCase().split(/[\s_]+/).filter(Boolean);

/** The written form of a class name in traces and answers (the words, joined by spaces). */
const labelOf = (name: string) => labelWords(name).join(' ');

const leftToRight = (a: Annotation, b: Annotation) => a.box[0] - b.box[0] || a.box[1] - b.box[1];

function centre(im: DatasetImage, a: Annotation): [number, number] {
  return [(a.box[0] + a.box[2]) / 2 / im.width, (a.box[1] + a.box[3]) / 2 / im.height];
}

/** The examples of one image: one per class (detection, absent classes asking for `No Objects`), one (classification), one per expression (grounding). */
export function imageExamples(d: Dataset, im: DatasetImage): ExampleText[] {
  const className = new Map(d.classes.map((c) => [c.id, labelOf(c.name)]));
  if (d.task === 'detection') {
    const sorted = [...im.annotations].filter((a) => className.has(a.classId)).sort(leftToRight);
    const labels = sorted.map((a) => className.get(a.classId)!);
    return d.classes.map((c) => {
      const boxes = sorted.filter((a) => a.classId === c.id).map((a) => toThousandths(a.box, im.width, im.height));
      const name = labelOf(c.name);
      return { imageId: im.id, width: im.width, height: im.height, category: name, task: 'detection' as const, promptWords: labelWords(c.name), solution: detectionSolution(boxes), completion: `<think> ${detectionThink(labels, name, boxes.length)} </think> <answer>${detectionList(boxes)}</answer>` };
    });
  }
  if (d.task === 'classification') {
    const name = im.classId === undefined ? undefined : className.get(im.classId);
    if (!name) return [];
    const box = im.annotations[0];
    const where = box ? wherePhrase(...centre(im, box)) : 'in the middle';
    return [{ imageId: im.id, width: im.width, height: im.height, task: 'classification', promptWords: ['object'], solution: `<answer>${name}</answer>`, completion: `<think> I see an object ${where}. It looks like ${article(name)} ${name}. </think> <answer>${name}</answer>` }];
  }
  return im.annotations
    .filter((a) => a.expression && labelWords(a.expression).length)
    .map((a) => {
      const [x1, y1, x2, y2] = toThousandths(a.box, im.width, im.height);
      const words = labelWords(a.expression!);
      const subject = (words[0] === 'the' ? words.slice(1) : words).join(' ');
      const answer = `(${x1},${y1}),(${x2},${y2})`;
      return { imageId: im.id, width: im.width, height: im.height, task: 'grounding' as const, promptWords: words, solution: `<answer>${answer}</answer>`, completion: `<think> The ${subject} is ${wherePhrase(...centre(im, a))}. </think> <answer>${answer}</answer>` };
    });
}

/** An example as the scorer's sample (id = its index; detection pairs share their image's id). */
export function scorerSample(t: ExampleText, id: number): ScoreSample {
  return { id, task: t.task, width: t.width, height: t.height, image_id: t.imageId, ...(t.category ? { category: t.category } : {}), solution: t.solution };
}

export function datasetExamples(d: Dataset, split: 'train' | 'eval'): ExampleText[] {
  return d.images.filter((im) => im.split === split).flatMap((im) => imageExamples(d, im));
}

export interface Trainability {
  /** Why the dataset cannot be trained on, each with how to fix it; empty when it can. */
  errors: string[];
  /** What the run will do that the user should know (negatives, no held-out set). */
  notes: string[];
  trainExamples: number;
  evalExamples: number;
}

/** Whether a dataset can be trained on, in words that name the problem and the fix. */
export function trainability(d: Dataset): Trainability {
  const errors: string[] = [];
  const notes: string[] = [];
  const train = d.images.filter((im) => im.split === 'train');
  const trainExamples = datasetExamples(d, 'train').length;
  const evalExamples = datasetExamples(d, 'eval').length;
  if (!d.images.length) errors.push('the dataset has no images: add some in the Datasets view');
  else if (!train.length) errors.push('no image is in the train split: select images in the grid and set their split to train');
  if (!d.classes.length && d.task !== 'grounding') errors.push('the dataset has no classes: add a class and label images with it');
  if (d.task === 'classification') {
    if (d.classes.length === 1) errors.push('classification needs at least two classes (with one, every answer is right): add another class');
    const unlabelled = train.filter((im) => im.classId === undefined).length;
    if (train.length && unlabelled === train.length) errors.push('no train image has a class: pick each image’s class in the editor');
    else if (unlabelled) notes.push(`${unlabelled} train image${unlabelled > 1 ? 's have' : ' has'} no class and will be left out`);
  }
  if (d.task === 'detection' && train.length) {
    const negatives = train.filter((im) => !im.annotations.length).length;
    if (negatives === train.length) errors.push('no train image has a box: draw boxes around the objects of each class');
    else if (negatives) notes.push(`${negatives} train image${negatives > 1 ? 's have' : ' has'} no boxes: they are trained as negatives (“No Objects” for every class)`);
  }
  if (d.task === 'grounding' && train.length && !trainExamples) errors.push('no box has a referring expression: select a box and describe it (e.g. “the red cup on the left”)');
  if (!errors.length && !evalExamples) notes.push('no image is in the eval split: the run has no held-out metrics (set some images to eval)');
  return { errors, notes, trainExamples, evalExamples };
}

/** Every word an example asks or writes (prompt, trace, label): what the policy's vocabulary must hold to train on it. */
export function exampleWords(e: ExampleText): string[] {
  const think = /<think>([\s\S]*?)<\/think>/.exec(e.completion)?.[1] ?? '';
  const label = e.task === 'classification' ? (/<answer>([\s\S]*?)<\/answer>/.exec(e.solution)?.[1] ?? '') : '';
  return [...e.promptWords, ...`${think} ${label}`.split(/[\s.,]+/).filter(Boolean)];
}
