/**
 * Pixel-level drawing for the synthetic world, in plain TypeScript (no canvas), so a seed renders the same
 * image in Node and in the browser. Images are RGB floats in 0–1, row-major, 3 channels.
 */
import type { Rng } from '../rng';
import type { Atlas } from './atlas';

export type Box = [x1: number, y1: number, x2: number, y2: number];
export type RGB = [number, number, number];

export class Canvas {
  readonly data: Float32Array;
  constructor(readonly size: number) {
    this.data = new Float32Array(size * size * 3);
  }

  blend(x: number, y: number, c: RGB, alpha: number): void {
    if (alpha <= 0 || x < 0 || y < 0 || x >= this.size || y >= this.size) return;
    const o = (y * this.size + x) * 3;
    for (let k = 0; k < 3; k++) this.data[o + k] = this.data[o + k] * (1 - alpha) + c[k] * alpha;
  }
}

export type BackgroundKind = 'solid' | 'gradient' | 'noise' | 'stripes' | 'checker' | 'paper' | 'night';
export const BASE_BACKGROUNDS: readonly BackgroundKind[] = ['solid', 'gradient', 'noise', 'stripes', 'checker'];
/** Backgrounds only the out-of-distribution style uses. */
export const OOD_BACKGROUNDS: readonly BackgroundKind[] = ['paper', 'night'];

function pastel(rng: Rng): RGB {
  return [0.55 + 0.4 * rng.next(), 0.55 + 0.4 * rng.next(), 0.55 + 0.4 * rng.next()];
}

/**
 * Scenes are laid out at this resolution; random draws (background jitter, stripe periods, object sides) are made
 * on its grid and scaled, so one seed gives the same scene at any render size, and at 64 px exactly today's.
 */
export const BASE_RESOLUTION = 64;

export function fillBackground(cv: Canvas, kind: BackgroundKind, rng: Rng): void {
  const a = pastel(rng);
  const b = pastel(rng);
  const n = cv.size;
  const B = BASE_RESOLUTION;
  const k = n / B;
  const period = rng.int(4, 12) * k;
  const horizontal = rng.bool();
  // Per-pixel jitter, drawn on the base grid in raster order (as many draws at every render size).
  const jitter = kind === 'noise' || kind === 'paper' || kind === 'night' ? Float64Array.from({ length: B * B }, () => rng.next()) : null;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const u = jitter ? jitter[Math.floor(y / k) * B + Math.floor(x / k)] : 0;
      let c: RGB;
      switch (kind) {
        case 'solid': c = a; break;
        case 'gradient': { const t = (horizontal ? x : y) / (n - 1); c = [a[0] * (1 - t) + b[0] * t, a[1] * (1 - t) + b[1] * t, a[2] * (1 - t) + b[2] * t]; break; }
        case 'noise': { const j = (u - 0.5) * 0.15; c = [a[0] + j, a[1] + j, a[2] + j]; break; }
        case 'stripes': c = Math.floor((horizontal ? y : x) / period) % 2 ? a : b; break;
        case 'checker': c = (Math.floor(x / period) + Math.floor(y / period)) % 2 ? a : b; break;
        case 'paper': { const j = (u - 0.5) * 0.06; c = [0.95 + j, 0.93 + j, 0.86 + j]; break; }
        case 'night': { const j = u < 0.01 ? 0.7 : 0; c = [0.06 + j, 0.07 + j, 0.16 + j]; break; }
      }
      const o = (y * n + x) * 3;
      cv.data[o] = clamp01(c[0]);
      cv.data[o + 1] = clamp01(c[1]);
      cv.data[o + 2] = clamp01(c[2]);
    }
  }
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

export interface Placement {
  /** Centre in pixels. */
  cx: number;
  cy: number;
  /** Side of the drawn square in pixels (before rotation). */
  side: number;
  /** Rotation in radians. */
  angle: number;
}

/**
 * Draws pixels covered by a shape given as an alpha function over the unit square (u, v in 0–1, before
 * rotation), and returns the tight box of pixels whose coverage is at least one half.
 */
function drawCovered(cv: Canvas, p: Placement, sample: (u: number, v: number) => [RGB, number] | null): Box | null {
  const half = (p.side / 2) * Math.SQRT2 + 1;
  const cos = Math.cos(-p.angle);
  const sin = Math.sin(-p.angle);
  let box: Box | null = null;
  const x0 = Math.max(0, Math.floor(p.cx - half));
  const x1 = Math.min(cv.size - 1, Math.ceil(p.cx + half));
  const y0 = Math.max(0, Math.floor(p.cy - half));
  const y1 = Math.min(cv.size - 1, Math.ceil(p.cy + half));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - p.cx;
      const dy = y + 0.5 - p.cy;
      const u = (dx * cos - dy * sin) / p.side + 0.5;
      const v = (dx * sin + dy * cos) / p.side + 0.5;
      if (u < 0 || v < 0 || u >= 1 || v >= 1) continue;
      const s = sample(u, v);
      if (!s) continue;
      cv.blend(x, y, s[0], s[1]);
      if (s[1] >= 0.5) box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x + 1), Math.max(box[3], y + 1)] : [x, y, x + 1, y + 1];
    }
  }
  return box;
}

export type SpriteStyle = 'photo' | 'sketch';

export interface SpriteLook {
  /** Brightness multiplier (colour jitter). */
  brightness: number;
  /** Per-channel tint added to the colour. */
  tint: RGB;
  style: SpriteStyle;
}

/** Bilinear sample of sprite `index` at (u, v) in 0–1: straight RGB and alpha. */
function spriteSample(atlas: Atlas, index: number, u: number, v: number): [RGB, number] {
  const s = atlas.size;
  const fx = u * s - 0.5;
  const fy = v * s - 0.5;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const tx = fx - ix;
  const ty = fy - iy;
  let r = 0, g = 0, b = 0, a = 0;
  for (const [dx, dy, w] of [[0, 0, (1 - tx) * (1 - ty)], [1, 0, tx * (1 - ty)], [0, 1, (1 - tx) * ty], [1, 1, tx * ty]] as const) {
    const x = Math.min(s - 1, Math.max(0, ix + dx));
    const y = Math.min(s - 1, Math.max(0, iy + dy));
    const o = ((index * s + y) * s + x) * 4;
    const al = (atlas.pixels[o + 3] / 255) * w;
    r += (atlas.pixels[o] / 255) * al;
    g += (atlas.pixels[o + 1] / 255) * al;
    b += (atlas.pixels[o + 2] / 255) * al;
    a += al;
  }
  return a > 0 ? [[r / a, g / a, b / a], a] : [[0, 0, 0], 0];
}

/** Draws a named object's sprite; returns its tight box (pixels, end-exclusive) or null if nothing shows. */
export function drawSprite(cv: Canvas, atlas: Atlas, index: number, p: Placement, look: SpriteLook): Box | null {
  return drawCovered(cv, p, (u, v) => {
    const [c, a] = spriteSample(atlas, index, u, v);
    if (a <= 0.02) return null;
    if (look.style === 'sketch') {
      // Drawing style (the OOD split): ink of three tones by luminance, like a pen drawing.
      const lum = 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2];
      const ink = lum < 0.35 ? 0.1 : lum < 0.7 ? 0.45 : 0.85;
      return [[ink * 0.9, ink * 0.9, ink], a];
    }
    return [[clamp01(c[0] * look.brightness + look.tint[0]), clamp01(c[1] * look.brightness + look.tint[1]), clamp01(c[2] * look.brightness + look.tint[2])], a];
  });
}

export const SHAPES = ['circle', 'square', 'triangle', 'star', 'diamond', 'cross', 'ring', 'hexagon', 'heart'] as const;
export type ShapeName = (typeof SHAPES)[number];

export const COLORS: Record<string, RGB> = {
  red: [0.86, 0.12, 0.12],
  orange: [0.96, 0.55, 0.08],
  yellow: [0.96, 0.86, 0.1],
  green: [0.15, 0.68, 0.2],
  blue: [0.12, 0.3, 0.88],
  purple: [0.55, 0.2, 0.75],
  pink: [0.97, 0.5, 0.72],
  brown: [0.5, 0.3, 0.12],
  black: [0.07, 0.07, 0.07],
  white: [0.98, 0.98, 0.98],
};
export type ColorName = keyof typeof COLORS;

function insideShape(shape: ShapeName, u: number, v: number): boolean {
  const x = u * 2 - 1;
  const y = v * 2 - 1;
  switch (shape) {
    case 'circle': return x * x + y * y <= 0.9;
    case 'ring': { const r = x * x + y * y; return r <= 0.9 && r >= 0.35; }
    case 'square': return Math.abs(x) <= 0.8 && Math.abs(y) <= 0.8;
    case 'diamond': return Math.abs(x) + Math.abs(y) <= 0.95;
    case 'cross': return (Math.abs(x) <= 0.3 && Math.abs(y) <= 0.9) || (Math.abs(y) <= 0.3 && Math.abs(x) <= 0.9);
    case 'triangle': return y <= 0.8 && y >= -0.9 + (1.7 / 0.95) * Math.abs(x); // apex up, base at the bottom
    case 'hexagon': return Math.abs(y) <= 0.8 && Math.abs(x) * 0.866 + Math.abs(y) * 0.5 <= 0.8;
    case 'star': {
      const a = Math.atan2(y, x);
      const r = Math.sqrt(x * x + y * y);
      const k = Math.cos((5 * (a + Math.PI / 2)) % (2 * Math.PI)) * 0.5 + 0.5; // 1 at the five points
      return r <= 0.4 + 0.55 * k ** 2;
    }
    case 'heart': {
      const yy = -y * 1.1 + 0.15;
      const xx = x * 1.1;
      return (xx * xx + yy * yy - 0.5) ** 3 - xx * xx * yy ** 3 <= 0;
    }
  }
}

/** Draws a procedural shape (2×2 supersampled); `outline` draws only its rim (the OOD drawing style). */
export function drawShape(cv: Canvas, shape: ShapeName, color: RGB, p: Placement, outline = false): Box | null {
  return drawCovered(cv, p, (u, v) => {
    const step = 0.25 / p.side;
    let hits = 0;
    for (const du of [-step, step]) for (const dv of [-step, step]) if (insideShape(shape, u + du, v + dv)) hits++;
    if (hits === 0) return null;
    if (outline) {
      const e = 2 / p.side;
      const interior = insideShape(shape, u - e, v) && insideShape(shape, u + e, v) && insideShape(shape, u, v - e) && insideShape(shape, u, v + e);
      if (interior) return null;
    }
    return [color, hits / 4];
  });
}

/** A scene's RGB (0–1, size × size) as RGBA bytes upscaled ×k with nearest-neighbour pixels (for showing it). */
export function sceneRgba(scene: { size: number; image: Float32Array }, k: number): { size: number; rgba: Uint8ClampedArray } {
  const s = scene.size;
  const big = s * k;
  const rgba = new Uint8ClampedArray(big * big * 4);
  for (let y = 0; y < big; y++) {
    for (let x = 0; x < big; x++) {
      const src = (Math.floor(y / k) * s + Math.floor(x / k)) * 3;
      const dst = (y * big + x) * 4;
      rgba[dst] = Math.round(scene.image[src] * 255);
      rgba[dst + 1] = Math.round(scene.image[src + 1] * 255);
      rgba[dst + 2] = Math.round(scene.image[src + 2] * 255);
      rgba[dst + 3] = 255;
    }
  }
  return { size: big, rgba };
}
