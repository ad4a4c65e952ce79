/**
 * Samples of the world's three tasks (issue 4), each with the prompt, a reasoning trace built from the scene,
 * and the answer in the text formats of docs/design.md §2:
 *  - detection by category: every box of one category, or `No Objects` when it is absent;
 *  - classification: the category of the main object within a fine-grained family;
 *  - reasoning grounding: a described target → one box ("the largest red object", "the animal that can fly").
 * Splits: `base` (pretraining categories and colour×shape combinations), `novel` (held-out categories and
 * combinations), `ood` (base content in the drawing style on unseen backgrounds).
 */
import { detectionPrompt } from '../dataset/prompts';
import { NUMBER_WORDS, article, detectionList, detectionThink, listPhrase, wherePhrase } from '../dataset/traces';
import { Rng } from '../rng';
import type { Task } from '../rewards/types';
import type { Atlas } from './atlas';
import { CATEGORIES, type Category, FAMILY_WORDS, type Family } from './catalog';
import { BASE_RESOLUTION, COLORS, type ColorName, SHAPES, type ShapeName } from './raster';
import { type ObjectSpec, type Scene, type SceneObject, renderScene, toThousandths } from './scene';

export type WorldSplit = 'base' | 'novel' | 'ood';
export const WORLD_SPLITS: readonly WorldSplit[] = ['base', 'novel', 'ood'];

export interface WorldSample {
  task: Task;
  split: WorldSplit;
  scene: Scene;
  /** Prompt words after the task token: the category, the family, or the description. */
  promptWords: string[];
  /** The human-readable question (docs/design.md §2 prompt for detection). */
  question: string;
  /** Target completion: `<think> … </think> <answer>…</answer>`. */
  completion: string;
  /** Ground truth for the rewards and the scorer. */
  solution: string;
  /** Detection: the queried category. */
  category?: string;
  /** The objects the answer names: detection's hits, the classified object, the grounded object. */
  targets: SceneObject[];
}

/**
 * The world's design resolution: scene layouts are drawn at it (object sides, positions), and a scene rendered at
 * another size (a policy whose vision tower reads 128 px) is the same layout scaled, with finer pixels.
 */
export const WORLD_IMAGE_SIZE = BASE_RESOLUTION;
const COLOR_NAMES = Object.keys(COLORS) as ColorName[];

/** Novel colour×shape combinations: about one in five, fixed. */
export function isNovelCombo(color: ColorName, shape: ShapeName): boolean {
  return (COLOR_NAMES.indexOf(color) * 3 + SHAPES.indexOf(shape)) % 5 === 0;
}

function categoriesOf(split: WorldSplit, family?: Family): Category[] {
  const want = split === 'novel' ? 'novel' : 'base';
  return CATEGORIES.filter((c) => c.split === want && (family === undefined || c.family === family));
}

function randomShape(rng: Rng, split: WorldSplit): { shape: ShapeName; color: ColorName } {
  for (;;) {
    const shape = rng.pick(SHAPES);
    const color = rng.pick(COLOR_NAMES);
    if (isNovelCombo(color, shape) === (split === 'novel')) return { shape, color };
  }
}

function where(o: SceneObject, size: number): string {
  return wherePhrase((o.box[0] + o.box[2]) / 2 / size, (o.box[1] + o.box[3]) / 2 / size);
}

/** docs/design.md §2's detection prompt, for display and export. */
export const detectionQuestion = detectionPrompt;

/** `force` fixes the queried category and makes it present (few-shot sets: N images per category). */
/**
 * A detection query on a generated scene. `absentShare` is the chance that the queried category is not in the
 * image (default 0.25, the held-out sets' share); a forced category is always present.
 */
export function detectionSample(atlas: Atlas, split: WorldSplit, seed: number, force?: string, absentShare = DEFAULT_ABSENT_SHARE, size = WORLD_IMAGE_SIZE): WorldSample {
  if (!(absentShare >= 0 && absentShare < 1)) throw new Error(`absentShare must be in [0, 1), got ${absentShare}`);
  const rng = new Rng(seed);
  const pool = categoriesOf(split);
  const picked = rng.pick(pool);
  const target = force ? (CATEGORIES.find((c) => c.name === force) ?? picked) : picked;
  const present = rng.bool(1 - absentShare) || force !== undefined;
  const specs: ObjectSpec[] = [];
  const copies = present ? (rng.bool(0.7) ? 1 : rng.int(2, 3)) : 0;
  for (let i = 0; i < copies; i++) specs.push({ kind: 'named', category: target.name });
  const others = CATEGORIES.filter((c) => c.name !== target.name && c.split === 'base');
  for (let i = rng.int(present ? 0 : 1, 2); i > 0; i--) specs.push({ kind: 'named', category: rng.pick(others).name });
  for (let i = rng.int(0, 1); i > 0; i--) specs.push({ kind: 'shape', ...randomShape(rng, split === 'novel' ? 'base' : split) });
  shuffle(specs, rng);
  const scene = renderScene(atlas, specs, { seed: seed ^ 0x5eed, size, style: split === 'ood' ? 'ood' : 'base' });
  return detectionQuery(scene, target.name, split);
}

/**
 * The detection sample asking for `category` in a scene whose objects are all labelled (every box of it, or
 * `No Objects`). Few-shot sets use it to ask an annotated image about a class it does not contain: exhaustive
 * labels give such negatives for free, and without them a policy trained only on present classes unlearns
 * `No Objects`.
 */
export function detectionQuery(scene: Scene, category: string, split: WorldSplit): WorldSample {
  const hits = scene.objects.filter((o) => o.label === category).sort((a, b) => a.box[0] - b.box[0] || a.box[1] - b.box[1]);
  const boxes = hits.map((o) => toThousandths(o.box, scene.size));
  const think = detectionThink(scene.objects.map((o) => o.label), category, hits.length);
  const answer = detectionList(boxes);
  return {
    task: 'detection',
    split,
    scene,
    promptWords: category.split(' '),
    question: detectionQuestion(category),
    completion: `<think> ${think} </think> <answer>${answer}</answer>`,
    solution: `<answer>${detectionList(boxes, '1')}</answer>`,
    category,
    targets: hits,
  };
}

/** `force` fixes the class (and so its family). */
export function classificationSample(atlas: Atlas, split: WorldSplit, seed: number, force?: string, size = WORLD_IMAGE_SIZE): WorldSample {
  const rng = new Rng(seed);
  const pickedFamily = rng.pick(Object.keys(FAMILY_WORDS) as (keyof typeof FAMILY_WORDS)[]);
  const forced = force ? CATEGORIES.find((c) => c.name === force && c.family !== 'object') : undefined;
  const family = (forced?.family ?? pickedFamily) as keyof typeof FAMILY_WORDS;
  const picked = rng.pick(categoriesOf(split, family));
  const target = forced ?? picked;
  const s = WORLD_IMAGE_SIZE;
  const specs: ObjectSpec[] = [{ kind: 'named', category: target.name, side: [Math.round(s * 0.5), Math.round(s * 0.7)] }];
  for (let i = rng.int(0, 2); i > 0; i--) specs.push({ kind: 'shape', ...randomShape(rng, split === 'novel' ? 'base' : split), side: [6, 12] });
  const scene = renderScene(atlas, specs, { seed: seed ^ 0xc1a55, size, style: split === 'ood' ? 'ood' : 'base', maxOcclusion: 0.15 });
  const word = FAMILY_WORDS[family];
  return {
    task: 'classification',
    split,
    scene,
    promptWords: [word],
    question: `What kind of ${word} is in the image? Output the thinking process in <think> </think> and the final answer in <answer> </answer> tags.`,
    completion: `<think> I see ${article(word)} ${word} ${where(scene.objects[0], size)}. It looks like ${article(target.name)} ${target.name}. </think> <answer>${target.name}</answer>`,
    solution: `<answer>${target.name}</answer>`,
    targets: scene.objects.slice(0, 1),
  };
}

interface Grounded {
  question: string;
  target: SceneObject;
  reason: string;
}

/** Descriptions that pick exactly one object of the scene, or null when this scene supports none. */
function groundings(scene: Scene): Grounded[] {
  const objs = scene.objects;
  const out: Grounded[] = [];
  const unique = (pred: (o: SceneObject) => boolean) => {
    const m = objs.filter(pred);
    return m.length === 1 ? m[0] : null;
  };
  for (const o of objs) {
    if (unique((x) => x.label === o.label) === o) out.push({ question: `the ${o.label}`, target: o, reason: `The ${o.label} is ${where(o, scene.size)}.` });
  }
  for (const color of COLOR_NAMES) {
    const same = objs.filter((x) => x.color === color);
    if (same.length >= 2) {
      const sorted = [...same].sort((a, b) => b.area - a.area);
      if (sorted[0].area > sorted[1].area * 1.4) out.push({ question: `the largest ${color} object`, target: sorted[0], reason: `The ${color} objects are ${listPhrase(same.map((o) => o.label))}. The ${sorted[0].shape} is the largest.` });
    }
  }
  const flyers = objs.filter((x) => x.category?.tags.includes('animal') && x.category.tags.includes('can_fly'));
  if (flyers.length === 1) out.push({ question: 'the animal that can fly', target: flyers[0], reason: `The ${flyers[0].label} is an animal and it can fly.` });
  const food = objs.filter((x) => x.category?.tags.includes('edible'));
  if (food.length === 1) out.push({ question: 'something you can eat', target: food[0], reason: `The ${food[0].label} is something you can eat.` });
  for (const ref of objs.filter((x) => x.kind === 'shape' && unique((y) => y.label === x.label) === x)) {
    const rcx = (ref.box[0] + ref.box[2]) / 2;
    const left = objs.filter((x) => x !== ref && (x.box[0] + x.box[2]) / 2 < rcx - 4).sort((a, b) => b.box[2] - a.box[2]);
    if (left.length >= 1 && (left.length === 1 || (left[0].box[0] + left[0].box[2]) / 2 > (left[1].box[0] + left[1].box[2]) / 2 + 4)) {
      out.push({ question: `the object left of the ${ref.label}`, target: left[0], reason: `The ${ref.label} is ${where(ref, scene.size)}. Left of it is ${article(left[0].label)} ${left[0].label}.` });
    }
  }
  const bySize = [...objs].sort((a, b) => a.area - b.area);
  if (bySize.length >= 2 && bySize[1].area > bySize[0].area * 1.6) out.push({ question: 'the smallest object', target: bySize[0], reason: `The ${bySize[0].label} is the smallest object.` });
  return out;
}

export function groundingSample(atlas: Atlas, split: WorldSplit, seed: number, size = WORLD_IMAGE_SIZE): WorldSample {
  for (let attempt = 0; ; attempt++) {
    const rng = new Rng(seed + attempt * 7919);
    const specs: ObjectSpec[] = [];
    const nShapes = rng.int(1, 3);
    const sharedColor = rng.bool(0.5) ? rng.pick(COLOR_NAMES) : null;
    for (let i = 0; i < nShapes; i++) {
      const s = randomShape(rng, split);
      if (sharedColor && i < 2 && isNovelCombo(sharedColor, s.shape) === (split === 'novel')) s.color = sharedColor;
      specs.push({ kind: 'shape', ...s, side: [8, 26] });
    }
    for (let i = rng.int(1, 3); i > 0; i--) specs.push({ kind: 'named', category: rng.pick(categoriesOf(split)).name, side: [12, 26] });
    shuffle(specs, rng);
    const scene = renderScene(atlas, specs, { seed: seed ^ 0x960d + attempt, size, style: split === 'ood' ? 'ood' : 'base', maxOcclusion: 0.1 });
    const options = groundings(scene);
    if (!options.length && attempt < 20) continue;
    const g = options.length ? rng.pick(options) : { question: `the ${scene.objects[0].label}`, target: scene.objects[0], reason: `The ${scene.objects[0].label} is ${where(scene.objects[0], scene.size)}.` };
    const [x1, y1, x2, y2] = toThousandths(g.target.box, scene.size);
    const answer = `(${x1},${y1}),(${x2},${y2})`;
    return {
      task: 'grounding',
      split,
      scene,
      promptWords: g.question.split(' '),
      question: `Find ${g.question} in the image and give its bounding box as (x1,y1),(x2,y2) between 0 and 1000. Output the thinking process in <think> </think> and the final answer in <answer> </answer> tags.`,
      completion: `<think> ${g.reason} </think> <answer>${answer}</answer>`,
      solution: `<answer>${answer}</answer>`,
      targets: [g.target],
    };
  }
}

function shuffle<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
}

/** The held-out sets' share of detection queries about an absent category. */
export const DEFAULT_ABSENT_SHARE = 0.25;

/** A world sample; `size` renders its scene at another resolution than the world's 64 px (same layout). */
export function worldSample(atlas: Atlas, task: Task, split: WorldSplit, seed: number, force?: string, absentShare = DEFAULT_ABSENT_SHARE, size = WORLD_IMAGE_SIZE): WorldSample {
  return task === 'detection' ? detectionSample(atlas, split, seed, force, absentShare, size) : task === 'classification' ? classificationSample(atlas, split, seed, force, size) : groundingSample(atlas, split, seed, size);
}

/** Categories a split asks about for a task (the classes of few-shot sets). */
export function splitCategories(task: Task, split: WorldSplit): string[] {
  const want = split === 'novel' ? 'novel' : 'base';
  return CATEGORIES.filter((c) => c.split === want && (task !== 'classification' || c.family !== 'object')).map((c) => c.name);
}

/** Every word the world can write or ask about, sorted: the base vocabulary of the shipped policy. */
export function worldVocabulary(): string[] {
  const words = new Set<string>();
  const add = (text: string) => text.split(/[\s.,]+/).filter(Boolean).forEach((w) => words.add(w));
  for (const c of CATEGORIES) {
    add(c.name);
    add(`${c.name}s`);
  }
  Object.values(FAMILY_WORDS).forEach(add);
  COLOR_NAMES.forEach(add);
  SHAPES.forEach(add);
  NUMBER_WORDS.forEach(add);
  add('I see a an and There is are nothing in on at the It looks like left right top bottom middle The objects is largest smallest object animal it can fly something you eat Left of');
  return [...words].sort();
}
