/**
 * Scenes: one to several objects on a background, with scale, rotation, colour jitter, partial occlusion and
 * clutter, and exact ground-truth boxes. The same seed always gives the same scene.
 */
import { Rng } from '../rng';
import type { Atlas } from './atlas';
import { CATEGORIES, type Category } from './catalog';
import { BASE_BACKGROUNDS, type Box, Canvas, COLORS, type ColorName, OOD_BACKGROUNDS, type ShapeName, drawShape, drawSprite, fillBackground } from './raster';

export type Style = 'base' | 'ood';

/** What to put in a scene; positions and looks are drawn from the seed. */
export type ObjectSpec = { kind: 'named'; category: string; side?: [number, number] } | { kind: 'shape'; shape: ShapeName; color: ColorName; side?: [number, number] };

export interface SceneObject {
  kind: 'named' | 'shape';
  /** Category name for named objects, "<color> <shape>" for shapes. */
  label: string;
  category?: Category;
  shape?: ShapeName;
  color?: ColorName;
  /** Tight box in pixels, end-exclusive. */
  box: Box;
  /** Box area in pixels. */
  area: number;
}

export interface Scene {
  size: number;
  style: Style;
  /** RGB floats in 0–1, row-major [size, size, 3]. */
  image: Float32Array;
  objects: SceneObject[];
}

export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** Fraction of box a covered by box b. */
function covered(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return iw <= 0 || ih <= 0 ? 0 : (iw * ih) / ((a[2] - a[0]) * (a[3] - a[1]));
}

const atlasIndex = new Map(CATEGORIES.map((c, i) => [c.name, i]));

/**
 * Render a scene. Objects are placed in order; a placement that would hide more than `maxOcclusion` of an
 * earlier object (or be hidden that much) is retried, so every object stays recognisable.
 */
export function renderScene(atlas: Atlas, specs: ObjectSpec[], opts: { seed: number; size: number; style: Style; maxOcclusion?: number }): Scene {
  const rng = new Rng(opts.seed);
  const cv = new Canvas(opts.size);
  fillBackground(cv, rng.pick(opts.style === 'ood' ? OOD_BACKGROUNDS : BASE_BACKGROUNDS), rng);
  const maxOcc = opts.maxOcclusion ?? 0.3;
  const placed: SceneObject[] = [];
  for (const spec of specs) {
    const [minSide, maxSide] = spec.side ?? [Math.round(opts.size * 0.22), Math.round(opts.size * 0.5)];
    for (let attempt = 0; attempt < 30; attempt++) {
      const side = rng.int(minSide, maxSide);
      const margin = side * 0.35;
      const p = { cx: margin + rng.next() * (opts.size - 2 * margin), cy: margin + rng.next() * (opts.size - 2 * margin), side, angle: (rng.next() - 0.5) * (spec.kind === 'named' ? 0.6 : 1.2) };
      // Estimate the box before drawing, so that a rejected placement leaves no pixels behind.
      const est: Box = [p.cx - side * 0.45, p.cy - side * 0.45, p.cx + side * 0.45, p.cy + side * 0.45];
      if (attempt < 29 && placed.some((o) => covered(o.box, est) > maxOcc || covered(est, o.box) > maxOcc)) continue;
      let box: Box | null;
      let obj: Omit<SceneObject, 'box' | 'area'>;
      if (spec.kind === 'named') {
        const index = atlasIndex.get(spec.category);
        if (index === undefined) throw new Error(`unknown category ${spec.category}`);
        const look = { brightness: 0.8 + 0.4 * rng.next(), tint: [0, 0, 0].map(() => (rng.next() - 0.5) * 0.12) as [number, number, number], style: opts.style === 'ood' ? ('sketch' as const) : ('photo' as const) };
        box = drawSprite(cv, atlas, index, p, look);
        obj = { kind: 'named', label: spec.category, category: CATEGORIES[index] };
      } else {
        box = drawShape(cv, spec.shape, COLORS[spec.color], p, opts.style === 'ood');
        obj = { kind: 'shape', label: `${spec.color} ${spec.shape}`, shape: spec.shape, color: spec.color };
      }
      if (box) placed.push({ ...obj, box, area: (box[2] - box[0]) * (box[3] - box[1]) });
      break;
    }
  }
  return { size: opts.size, style: opts.style, image: cv.data, objects: placed };
}

/** A box in the 0–1000 integer coordinates of DESIGN.md §2. */
export function toThousandths(box: Box, size: number): [number, number, number, number] {
  return box.map((v) => Math.round((v * 1000) / size)) as [number, number, number, number];
}
