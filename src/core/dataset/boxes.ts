/** Every box-format conversion of the project, in one place. Internal form: pixel corners. */
import type { Corners } from './types';

/** Clamp a box to the image and order its corners. */
export function clampBox(b: Corners, width: number, height: number): Corners {
  const x1 = Math.min(Math.max(Math.min(b[0], b[2]), 0), width);
  const x2 = Math.min(Math.max(Math.max(b[0], b[2]), 0), width);
  const y1 = Math.min(Math.max(Math.min(b[1], b[3]), 0), height);
  const y2 = Math.min(Math.max(Math.max(b[1], b[3]), 0), height);
  return [x1, y1, x2, y2];
}

export const fromCocoXywh = ([x, y, w, h]: number[]): Corners => [x, y, x + w, y + h];
export const toCocoXywh = (b: Corners): [number, number, number, number] => [b[0], b[1], b[2] - b[0], b[3] - b[1]];

/** YOLO: class centre-x centre-y width height, normalised to the image. */
export function fromYolo([cx, cy, w, h]: number[], width: number, height: number): Corners {
  return [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height];
}

/** YOLO values rounded to 6 decimals and clamped to [0, 1], as YOLO tools write them. */
export function toYolo(b: Corners, width: number, height: number): [number, number, number, number] {
  const r = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 1e6) / 1e6;
  return [r((b[0] + b[2]) / 2 / width), r((b[1] + b[3]) / 2 / height), r((b[2] - b[0]) / width), r((b[3] - b[1]) / height)];
}

/** The policy's and the rewards' 0–1000 integer coordinates (docs/design.md §2). */
export function toThousandths(b: Corners, width: number, height: number): Corners {
  return [Math.round((b[0] * 1000) / width), Math.round((b[1] * 1000) / height), Math.round((b[2] * 1000) / width), Math.round((b[3] * 1000) / height)];
}

export function fromThousandths(b: number[], width: number, height: number): Corners {
  return [(b[0] / 1000) * width, (b[1] / 1000) * height, (b[2] / 1000) * width, (b[3] / 1000) * height];
}
