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
