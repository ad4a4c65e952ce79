/**
 * Scenes: one to several objects on a background, with scale, rotation, colour jitter, partial occlusion and
 * clutter, and exact ground-truth boxes. The same seed always gives the same scene.
 */
import { Rng } from '../rng';
import type { Atlas } from './atlas';
import { CATEGORIES, type Category } from './catalog';
import { BASE_BACKGROUNDS, BASE_RESOLUTION, type Box, Canvas, COLORS, type ColorName, OOD_BACKGROUNDS, type ShapeName, drawShape, drawSprite, fillBackground } from './raster';

export type Style = 'base' | 'ood';

/** What to put in a scene; positions and looks are drawn from the seed. `side`: pixel range at BASE_RESOLUTION. */
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

interface Placement {
  spec: ObjectSpec;
  p: { cx: number; cy: number; side: number; angle: number };
  look?: { brightness: number; tint: [number, number, number]; style: 'sketch' | 'photo' };
}

function draw(cv: Canvas, atlas: Atlas, pl: Placement, ood: boolean): { box: Box | null; obj: Omit<SceneObject, 'box' | 'area'> } {
  const spec = pl.spec;
  if (spec.kind === 'named') {
    const index = atlasIndex.get(spec.category);
    if (index === undefined) throw new Error(`unknown category ${spec.category}`);
    return { box: drawSprite(cv, atlas, index, pl.p, pl.look!), obj: { kind: 'named', label: spec.category, category: CATEGORIES[index] } };
  }
  return { box: drawShape(cv, spec.shape, COLORS[spec.color], pl.p, ood), obj: { kind: 'shape', label: `${spec.color} ${spec.shape}`, shape: spec.shape, color: spec.color } };
}

/**
 * Render a scene. Objects are placed in order; a placement that would hide more than `maxOcclusion` of an
 * earlier object (or be hidden that much) is retried, so every object stays recognisable. The layout is always
 * decided at BASE_RESOLUTION (raster.ts); another `size` redraws the same placements scaled, so a seed gives one
 * scene at every resolution.
 */
export function renderScene(atlas: Atlas, specs: ObjectSpec[], opts: { seed: number; size: number; style: Style; maxOcclusion?: number }): Scene {
  const rng = new Rng(opts.seed);
  const cv = new Canvas(BASE_RESOLUTION);
  const background = rng.pick(opts.style === 'ood' ? OOD_BACKGROUNDS : BASE_BACKGROUNDS);
  const afterPick = rng.state();
  fillBackground(cv, background, rng);
  const maxOcc = opts.maxOcclusion ?? 0.3;
  const ood = opts.style === 'ood';
  const placed: SceneObject[] = [];
  const placements: Placement[] = [];
  for (const spec of specs) {
    const [minSide, maxSide] = spec.side ?? [Math.round(BASE_RESOLUTION * 0.22), Math.round(BASE_RESOLUTION * 0.5)];
    for (let attempt = 0; attempt < 30; attempt++) {
      const side = rng.int(minSide, maxSide);
      const margin = side * 0.35;
      const p = { cx: margin + rng.next() * (BASE_RESOLUTION - 2 * margin), cy: margin + rng.next() * (BASE_RESOLUTION - 2 * margin), side, angle: (rng.next() - 0.5) * (spec.kind === 'named' ? 0.6 : 1.2) };
      // Estimate the box before drawing, so that a rejected placement leaves no pixels behind.
      const est: Box = [p.cx - side * 0.45, p.cy - side * 0.45, p.cx + side * 0.45, p.cy + side * 0.45];
      if (attempt < 29 && placed.some((o) => covered(o.box, est) > maxOcc || covered(est, o.box) > maxOcc)) continue;
      const look = spec.kind === 'named' ? { brightness: 0.8 + 0.4 * rng.next(), tint: [0, 0, 0].map(() => (rng.next() - 0.5) * 0.12) as [number, number, number], style: ood ? ('sketch' as const) : ('photo' as const) } : undefined;
      const pl = { spec, p, look };
      const { box, obj } = draw(cv, atlas, pl, ood);
      if (box) {
        placed.push({ ...obj, box, area: (box[2] - box[0]) * (box[3] - box[1]) });
        placements.push(pl);
      }
      break;
    }
  }
  if (opts.size === BASE_RESOLUTION) return { size: opts.size, style: opts.style, image: cv.data, objects: placed };
  // The same scene at another resolution: the same background draws, the placements scaled.
  const k = opts.size / BASE_RESOLUTION;
  const big = new Canvas(opts.size);
  const bgRng = new Rng(0);
  bgRng.setState(afterPick);
  fillBackground(big, background, bgRng);
  const objects: SceneObject[] = [];
  for (const pl of placements) {
    const { box, obj } = draw(big, atlas, { ...pl, p: { cx: pl.p.cx * k, cy: pl.p.cy * k, side: pl.p.side * k, angle: pl.p.angle } }, ood);
    if (box) objects.push({ ...obj, box, area: (box[2] - box[0]) * (box[3] - box[1]) });
  }
  return { size: opts.size, style: opts.style, image: big.data, objects };
}

/** A box in the 0–1000 integer coordinates of docs/design.md §2. */
export function toThousandths(box: Box, size: number): [number, number, number, number] {
  return box.map((v) => Math.round((v * 1000) / size)) as [number, number, number, number];
}
