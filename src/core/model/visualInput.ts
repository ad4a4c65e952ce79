/**
 * From RGB images to what the policy reads (config.visualShape): the one path every caller takes — world batches,
 * evaluation, the app's datasets and Try the policy, the predict CLI. Images arrive at sourceResolution(config);
 * for the stems they are the input, for the tower they become features, for the hybrid both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { resizeImage } from '../image/resize';
import { type PolicyConfig, sourceResolution, usesTower, visualSize } from './config';
import type { VisionTower } from './tower';
import { towerMismatch } from './towerSpec';

/** Throws, saying what differs, unless `tower` is the one the config was trained with. */
export function checkTower(c: PolicyConfig, tower: VisionTower | null | undefined): void {
  if (!usesTower(c)) return;
  if (!tower) throw new Error(`this policy reads the vision tower (${c.tower.name}, ${c.tower.resolution} px, ${c.tower.layer}); none is loaded`);
  const diff = towerMismatch(c.tower, tower.spec);
  if (diff.length) throw new Error(`the loaded vision tower differs from the checkpoint's: ${diff.join('; ')}`);
}

/** One cell's pixel patch of an S×S image, row-major RGB, appended after the features (the hybrid's layout). */
function appendPatches(features: Float32Array, pixels: Float32Array, n: number, S: number, P: number, C: number): Float32Array {
  const g = S / P;
  const cell = C + P * P * 3;
  const out = new Float32Array(n * g * g * cell);
  for (let i = 0; i < n; i++) {
    for (let cy = 0; cy < g; cy++) {
      for (let cx = 0; cx < g; cx++) {
        const o = ((i * g + cy) * g + cx) * cell;
        out.set(features.subarray(((i * g + cy) * g + cx) * C, ((i * g + cy) * g + cx + 1) * C), o);
        let k = o + C;
        for (let y = 0; y < P; y++) {
          const row = ((i * S + cy * P + y) * S + cx * P) * 3;
          for (let x = 0; x < P * 3; x++) out[k++] = pixels[row + x];
        }
      }
    }
  }
  return out;
}

/**
 * Visual inputs [n, ...visualShape(c)], flattened, of `n` RGB images [n, R, R, 3] in 0–1 with R =
 * sourceResolution(c). The tower runs in batches of `batchSize`; nothing is kept.
 */
export async function encodeImages(c: PolicyConfig, tower: VisionTower | null | undefined, pixels: Float32Array, n: number, batchSize = 16): Promise<Float32Array> {
  const R = sourceResolution(c);
  if (pixels.length !== n * R * R * 3) throw new Error(`expected ${n} images of ${R}×${R}×3 (${n * R * R * 3} values), got ${pixels.length}`);
  if (!usesTower(c)) return pixels;
  checkTower(c, tower);
  const t = tower!;
  const C = t.channels;
  const g = t.grid;
  const features = new Float32Array(n * g * g * C);
  for (let i = 0; i < n; i += batchSize) {
    const m = Math.min(batchSize, n - i);
    const x = tf.tensor4d(pixels.subarray(i * R * R * 3, (i + m) * R * R * 3), [m, R, R, 3]);
    const f = t.features(x);
    x.dispose();
    try {
      features.set(await f.data(), i * g * g * C);
    } finally {
      f.dispose();
    }
  }
  if (c.stem === 'tower') return features;
  const S = c.imageSize;
  const small = new Float32Array(n * S * S * 3);
  for (let i = 0; i < n; i++) small.set(resizeImage(pixels.subarray(i * R * R * 3, (i + 1) * R * R * 3), R, S), i * S * S * 3);
  const out = appendPatches(features, small, n, S, c.patchSize, C);
  if (out.length !== n * visualSize(c)) throw new Error('hybrid visual input has the wrong size (a bug)');
  return out;
}
