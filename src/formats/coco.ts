/**
 * COCO JSON (`images`, `annotations` with `bbox: [x, y, w, h]` in pixels, `categories`; ids from 1), both
 * directions. Parsing validates everything first and names the offending field, so nothing is half-imported.
 *
 * So that a round trip loses nothing, export adds fields COCO readers ignore (pycocotools keeps unknown keys):
 * `info.task`, `images[].split`, `images[].category_id` (a classification image's class) and
 * `annotations[].expression` (a grounding box's referring expression). Import reads them when present.
 */
import { clampBox, fromCocoXywh, toCocoXywh } from '../core/dataset/boxes';
import type { Dataset, DatasetClass, DatasetImage } from '../core/dataset/types';
import { InputError } from './jsonlError';
import { classColor } from './palette';

interface CocoJson {
  info?: { description?: string; task?: string };
  images: { id: number; file_name: string; width: number; height: number; split?: string; category_id?: number }[];
  annotations: { id: number; image_id: number; category_id: number; bbox: number[]; area?: number; iscrowd?: number; expression?: string }[];
  categories: { id: number; name: string }[];
}

const TASKS = ['detection', 'classification', 'grounding'] as const;

export function parseCoco(file: string, text: string, name = file.replace(/\.json$/i, '')): Dataset {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, null, `not valid JSON (${(e as Error).message})`);
  }
  const fail = (field: string, problem: string): never => {
    throw new InputError(file, null, `${field}: ${problem}`);
  };
  const o = raw as Partial<CocoJson>;
  if (typeof raw !== 'object' || raw === null) fail('(top level)', 'must be an object with images, annotations and categories');
  for (const key of ['images', 'annotations', 'categories'] as const) if (!Array.isArray(o[key])) fail(key, 'missing or not a list');
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const classes: DatasetClass[] = [];
  const classIds = new Map<number, number>();
  (o.categories ?? []).forEach((c, i) => {
    if (!num(c?.id)) fail(`categories[${i}].id`, 'must be a number');
    if (typeof c.name !== 'string' || c.name === '') fail(`categories[${i}].name`, 'must be a non-empty string');
    if (classIds.has(c.id)) fail(`categories[${i}].id`, `duplicate category id ${c.id}`);
    classIds.set(c.id, classes.length);
    classes.push({ id: classes.length, name: c.name, color: classColor(classes.length) });
  });
  const images = new Map<number, DatasetImage>();
  (o.images ?? []).forEach((im, i) => {
    if (!num(im?.id)) fail(`images[${i}].id`, 'must be a number');
    if (typeof im.file_name !== 'string' || !im.file_name) fail(`images[${i}].file_name`, 'must be a non-empty string');
    if (!num(im.width) || im.width <= 0 || !num(im.height) || im.height <= 0) fail(`images[${i}]`, 'width and height must be positive numbers');
    if (images.has(im.id)) fail(`images[${i}].id`, `duplicate image id ${im.id}`);
    if (im.split !== undefined && im.split !== 'train' && im.split !== 'eval') fail(`images[${i}].split`, 'must be "train" or "eval"');
    const image: DatasetImage = { id: String(im.id), fileName: im.file_name, width: im.width, height: im.height, split: (im.split as DatasetImage['split'] | undefined) ?? 'train', annotations: [] };
    if (im.category_id !== undefined) {
      const cls = classIds.get(im.category_id);
      if (cls === undefined) fail(`images[${i}].category_id`, `no category has id ${im.category_id}`);
      image.classId = cls;
    }
    images.set(im.id, image);
  });
  (o.annotations ?? []).forEach((a, i) => {
    const image = images.get(a?.image_id);
    if (!image) fail(`annotations[${i}].image_id`, `no image has id ${a?.image_id}`);
    const classIndex = classIds.get(a.category_id);
    if (classIndex === undefined) fail(`annotations[${i}].category_id`, `no category has id ${a.category_id}`);
    if (!Array.isArray(a.bbox) || a.bbox.length !== 4 || !a.bbox.every(num)) fail(`annotations[${i}].bbox`, 'must be four numbers [x, y, w, h]');
    if (a.expression !== undefined && typeof a.expression !== 'string') fail(`annotations[${i}].expression`, 'must be a string');
    const img = image as DatasetImage;
    img.annotations.push({ id: String(num(a.id) ? a.id : i + 1), classId: classIndex as number, box: clampBox(fromCocoXywh(a.bbox), img.width, img.height), ...(a.expression ? { expression: a.expression } : {}) });
  });
  const task = o.info?.task;
  if (task !== undefined && !TASKS.includes(task as (typeof TASKS)[number])) fail('info.task', `must be one of ${TASKS.join(', ')}`);
  return { name, task: (task as Dataset['task']) ?? 'detection', classes, images: [...images.values()] };
}

export function serializeCoco(d: Dataset): string {
  let annId = 0;
  const json: CocoJson = {
    info: { description: d.name, task: d.task },
    images: d.images.map((im, i) => ({ id: i + 1, file_name: im.fileName, width: im.width, height: im.height, split: im.split, ...(im.classId !== undefined ? { category_id: im.classId + 1 } : {}) })),
    annotations: d.images.flatMap((im, i) =>
      im.annotations.map((a) => {
        const bbox = toCocoXywh(a.box);
        return { id: ++annId, image_id: i + 1, category_id: a.classId + 1, bbox, area: bbox[2] * bbox[3], iscrowd: 0, ...(a.expression ? { expression: a.expression } : {}) };
      }),
    ),
    categories: d.classes.map((c) => ({ id: c.id + 1, name: c.name })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
