/**
 * Turning a user's file into a stored image: decode it (EXIF orientation applied, so boxes are drawn on the
 * upright picture), keep canonical upright bytes for export, a display copy for the canvas when the original is
 * huge, and a thumbnail for the grid. Decoding is asynchronous and off the main thread (createImageBitmap); a file
 * the browser cannot decode is rejected with a message, and the rest of a batch goes on.
 */
import { squareRgbFromRgba } from '../core/image/resize';
import { jpegOrientation } from '../formats/exif';

/** Longest side of the canvas copy; the stored original keeps every pixel, and boxes stay in original pixels. */
export const DISPLAY_MAX = 2048;
export const THUMB_MAX = 160;
/** Larger images are refused: decoding them would take hundreds of MB of memory per image. */
export const MAX_PIXELS = 80e6;

export interface IngestedImage {
  fileName: string;
  width: number;
  height: number;
  original: Blob;
  display: Blob | null;
  thumb: Blob;
  /** Set when the image was re-encoded upright from an EXIF-rotated file. */
  rotatedFrom?: number;
}

export class ImageRejected extends Error {
  constructor(
    readonly fileName: string,
    problem: string,
  ) {
    super(`${fileName}: ${problem}`);
    this.name = 'ImageRejected';
  }
}

function canvasOf(w: number, h: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

async function encode(source: CanvasImageSource, w: number, h: number, type: string, quality?: number): Promise<Blob> {
  const c = canvasOf(w, h);
  const ctx = c.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('no 2D canvas');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, w, h);
  if ('convertToBlob' in c) return c.convertToBlob({ type, quality });
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas encoding failed'))), type, quality));
}

const fit = (w: number, h: number, max: number) => {
  const s = Math.min(1, max / Math.max(w, h));
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))] as const;
};

export async function ingestImage(file: Blob, fileName: string): Promise<IngestedImage> {
  if (file.size === 0) throw new ImageRejected(fileName, 'the file is empty');
  const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
  const orientation = jpegOrientation(head);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (e) {
    throw new ImageRejected(fileName, `not an image this browser can decode${file.type ? ` (${file.type})` : ''}: ${(e as Error).message || 'corrupt or unsupported'}`);
  }
  try {
    const { width, height } = bitmap;
    if (!width || !height) throw new ImageRejected(fileName, 'the image has no pixels');
    if (width * height > MAX_PIXELS) throw new ImageRejected(fileName, `${width}×${height} is more than ${MAX_PIXELS / 1e6} megapixels`);
    const upright = orientation !== 1;
    const png = /png|gif|webp/i.test(file.type) || /\.(png|gif|webp)$/i.test(fileName);
    const original = upright ? await encode(bitmap, width, height, 'image/jpeg', 0.95) : file;
    const big = Math.max(width, height) > DISPLAY_MAX;
    const display = big ? await encode(bitmap, ...fit(width, height, DISPLAY_MAX), png ? 'image/png' : 'image/jpeg', 0.92) : null;
    const thumb = await encode(bitmap, ...fit(width, height, THUMB_MAX), 'image/webp', 0.8);
    return { fileName, width, height, original, display, thumb, ...(upright ? { rotatedFrom: orientation } : {}) };
  } finally {
    bitmap.close();
  }
}

/** `name (2).ext` style renaming so every image of a dataset has a distinct file name (exports need it). */
export function uniqueFileName(name: string, taken: Set<string>): string {
  const clean = [...name.replace(/^.*[\\/]/, '')].filter((ch) => ch.charCodeAt(0) >= 32).join('') || 'image';
  if (!taken.has(clean)) return clean;
  const m = /^(.*?)(\.[^.]*)?$/.exec(clean)!;
  for (let i = 2; ; i++) {
    const candidate = `${m[1]} (${i})${m[2] ?? ''}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Longest side a picture is decoded at before the policy's own resize (memory; the policy reads ≤ 256 px). */
const POLICY_DECODE_MAX = 1024;

/**
 * A picture as the policy's input: decoded by the browser (EXIF orientation applied), then stretched to its square
 * input by core/image/resize.ts — the path `npm run predict` takes after its own decoder. Boxes stay in 0–1000.
 */
export async function decodeForPolicy(file: Blob, fileName: string, size: number): Promise<{ image: Float32Array; width: number; height: number }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (e) {
    throw new ImageRejected(fileName, `not an image this browser can decode (${(e as Error).message || 'corrupt or unsupported'})`);
  }
  try {
    if (!bitmap.width || !bitmap.height) throw new ImageRejected(fileName, 'the image has no pixels');
    const [w, h] = fit(bitmap.width, bitmap.height, POLICY_DECODE_MAX);
    const c = canvasOf(w, h);
    const ctx = c.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!ctx) throw new Error('no 2D canvas');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    return { image: squareRgbFromRgba(ctx.getImageData(0, 0, w, h).data, w, h, size), width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
}
