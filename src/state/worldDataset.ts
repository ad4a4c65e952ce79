/**
 * Datasets generated from the synthetic world (issue 4) in the Datasets view: N images per chosen category, seeded,
 * with exact boxes, labels or referring expressions. Scenes are rendered by core (pure, fast: a 64 px scene takes
 * well under a millisecond) and stored as PNGs upscaled ×4 with nearest-neighbour pixels, so boxes are easy to see
 * and edit, and a box-filter resize back to 64 px gives the policy exactly the rendered scene.
 */
import type { Annotation, DatasetClass, DatasetImage } from '../core/dataset/types';
import { type Atlas, decodeAtlas } from '../core/world/atlas';
import { seedOf } from '../core/world/batches';
import { CATEGORIES, type Family } from '../core/world/catalog';
import { sceneRgba } from '../core/world/raster';
import { type WorldSample, worldSample } from '../core/world/tasks';
import type { Task } from '../core/rewards/types';
import { classColor } from '../formats/palette';

export const WORLD_UPSCALE = 4;

export interface WorldCategoryInfo {
  name: string;
  family: Family;
  split: 'base' | 'novel';
}

/** Categories a world dataset of a task can ask for (classification: the fine-grained families). */
export function worldCategories(task: Task): WorldCategoryInfo[] {
  return CATEGORIES.filter((c) => task !== 'classification' || c.family !== 'object').map((c) => ({ name: c.name, family: c.family, split: c.split }));
}

export interface WorldDatasetSpec {
  task: Task;
  /** Categories to draw (detection, classification); grounding draws whole scenes and ignores them. */
  categories: string[];
  /** Training images per category (grounding: images in total). */
  shots: number;
  /** Evaluation images per category (grounding: in total). */
  evalShots: number;
  seed: number;
  /** Draw in the out-of-distribution drawing style. */
  ood?: boolean;
}

export interface GeneratedImage {
  image: Omit<DatasetImage, 'id'>;
  png: Blob;
}

let atlasPromise: Promise<Atlas> | null = null;
/** The world's sprite atlas, fetched once from the app (a failed fetch is retried on the next call). */
export function loadWorldAtlas(): Promise<Atlas> {
  atlasPromise ??= fetch(new URL('world/atlas.bin', document.baseURI).href)
    .then((r) => {
      if (!r.ok) throw new Error(`the world's image atlas could not be loaded (HTTP ${r.status})`);
      return r.arrayBuffer();
    })
    .then((b) => decodeAtlas(new Uint8Array(b)))
    .catch((e) => {
      atlasPromise = null;
      throw e;
    });
  return atlasPromise;
}

/** A rendered scene as a PNG upscaled ×WORLD_UPSCALE with nearest-neighbour pixels. */
export async function scenePng(sample: Pick<WorldSample, 'scene'>): Promise<Blob> {
  const { size, rgba } = sceneRgba(sample.scene, WORLD_UPSCALE);
  const canvas = new OffscreenCanvas(size, size);
  canvas.getContext('2d')!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, size, size), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** Generate the images of a world dataset; `onProgress(done, total)` after each. */
export async function generateWorldDataset(spec: WorldDatasetSpec, onProgress: (done: number, total: number) => void): Promise<{ classes: DatasetClass[]; images: GeneratedImage[] }> {
  const atlas = await loadWorldAtlas();
  const split = spec.ood ? 'ood' : 'base';
  const wanted = spec.task === 'grounding' ? [] : spec.categories;
  if (spec.task !== 'grounding' && !wanted.length) throw new Error('choose at least one category');
  const classes: DatasetClass[] = wanted.map((name, id) => ({ id, name, color: classColor(id) }));
  const classOf = new Map(classes.map((c) => [c.name, c.id]));
  const jobs: { category?: string; evalSplit: boolean; index: number }[] = [];
  if (spec.task === 'grounding') for (let i = 0; i < spec.shots + spec.evalShots; i++) jobs.push({ evalSplit: i >= spec.shots, index: i });
  else wanted.forEach((category) => { for (let i = 0; i < spec.shots + spec.evalShots; i++) jobs.push({ category, evalSplit: i >= spec.shots, index: i }); });
  const images: GeneratedImage[] = [];
  const k = WORLD_UPSCALE;
  for (const job of jobs) {
    const cat = job.category ? CATEGORIES.find((c) => c.name === job.category) : undefined;
    // Novel categories render in their own split so that a forced category of either split is drawn.
    const sampleSplit = spec.ood ? 'ood' : (cat?.split ?? split);
    const seed = seedOf(spec.seed, job.category ? CATEGORIES.indexOf(cat!) : 999, job.index, job.evalSplit ? 1 : 0);
    const sample = worldSample(atlas, spec.task, sampleSplit, seed, job.category);
    const s = sample.scene.size;
    const scaled = (b: number[]) => [b[0] * k, b[1] * k, b[2] * k, b[3] * k] as Annotation['box'];
    let annotations: Annotation[] = [];
    let classId: number | undefined;
    if (spec.task === 'detection') {
      annotations = sample.scene.objects.filter((o) => classOf.has(o.label)).map((o, i) => ({ id: `w${i + 1}`, classId: classOf.get(o.label)!, box: scaled(o.box) }));
    } else if (spec.task === 'classification') {
      classId = classOf.get(job.category!);
    } else {
      const target = sample.targets[0];
      let id = classOf.get(target.label);
      if (id === undefined) {
        id = classes.length;
        classes.push({ id, name: target.label, color: classColor(id) });
        classOf.set(target.label, id);
      }
      annotations = [{ id: 'w1', classId: id, box: scaled(target.box), expression: sample.promptWords.join(' ') }];
    }
    const name = `${spec.task}-${(job.category ?? 'scene').replace(/\s+/g, '_')}-${job.evalSplit ? 'eval' : 'train'}-${job.index + 1}.png`;
    images.push({ image: { fileName: name, width: s * k, height: s * k, split: job.evalSplit ? 'eval' : 'train', annotations, ...(classId !== undefined ? { classId } : {}) }, png: await scenePng(sample) });
    onProgress(images.length, jobs.length);
  }
  return { classes, images };
}
