/** Square RGB image resampling, the one place images change size (world scenes, user images, tower inputs). */

/** Resample a square RGB image (box filter when shrinking by an integer factor, else nearest pixel). */
export function resizeImage(src: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return src;
  const out = new Float32Array(to * to * 3);
  const f = from / to;
  const k = Number.isInteger(f) ? f : 1;
  for (let y = 0; y < to; y++) {
    for (let x = 0; x < to; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += src[((Math.floor(y * f) + dy) * from + Math.floor(x * f) + dx) * 3 + c];
        out[(y * to + x) * 3 + c] = sum / (k * k);
      }
    }
  }
  return out;
}

/**
 * Any decoded picture (RGBA bytes, row-major, width × height) → the policy's square RGB input in 0–1, stretched to
 * size × size (boxes stay in 0–1000 of the original, so stretching loses no coordinate). Each output pixel averages
 * the source area it covers, with fractional edge weights: a clean downscale from a photo of any size.
 */
export function squareRgbFromRgba(rgba: ArrayLike<number>, width: number, height: number, size: number): Float32Array {
  if (!(width > 0 && height > 0)) throw new Error('the image has no pixels');
  if (rgba.length < width * height * 4) throw new Error(`expected ${width}×${height} RGBA pixels`);
  const out = new Float32Array(size * size * 3);
  const fx = width / size;
  const fy = height / size;
  for (let oy = 0; oy < size; oy++) {
    const y0 = oy * fy;
    const y1 = y0 + fy;
    for (let ox = 0; ox < size; ox++) {
      const x0 = ox * fx;
      const x1 = x0 + fx;
      let r = 0, g = 0, b = 0, wsum = 0;
      for (let y = Math.floor(y0); y < Math.min(height, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(width, Math.ceil(x1)); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          const o = (y * width + x) * 4;
          r += rgba[o] * w;
          g += rgba[o + 1] * w;
          b += rgba[o + 2] * w;
          wsum += w;
        }
      }
      const o = (oy * size + ox) * 3;
      out[o] = r / wsum / 255;
      out[o + 1] = g / wsum / 255;
      out[o + 2] = b / wsum / 255;
    }
  }
  return out;
}
