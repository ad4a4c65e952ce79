/**
 * Coordinate-aligned position features: one fixed sinusoidal code F(u) for positions u ∈ [0, 1], written into
 * the image tokens (F(x) and F(y) of each patch centre) and read out by the coordinate tokens' logits (each bin's
 * value through F). A patch's position then maps linearly onto the coordinate tokens: attending to an object's
 * patches and copying these channels yields logits peaked at its coordinates — a direct path that a small
 * transformer otherwise has to discover on its own (the learned position embeddings and output rows start
 * unrelated, and pretraining showed coordinate tokens that ignore the image long after classes are learned).
 *
 * Both are gated by learned scalars: open (1) in a new policy; closed (0) when Policy.upgraded adds the code
 * to a trained checkpoint, so that its function is unchanged at first. (Measured: from closed, 225 steps of base
 * pretraining left both gates near 0 — nothing pulls them open — so the code has to be there from the start.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PolicyConfig, imageTokenCount } from './config';

/**
 * The gates' parameters are multiplied by this: Adam moves a parameter by about the learning rate per step, and a
 * gate has to travel to O(1) within a few hundred steps, not thousands.
 */
export const GATE_SCALE = 10;

/** Frequencies (in cycles over the image) of the code; F has 2 values per frequency. */
export function frequencies(count: number): number[] {
  return Array.from({ length: count }, (_, k) => 0.5 * 2 ** k);
}

function code(u: number, freqs: number[]): number[] {
  return freqs.flatMap((f) => [Math.sin(2 * Math.PI * f * u), Math.cos(2 * Math.PI * f * u)]);
}

/** Channels used: [0, 2K) carry x, [2K, 4K) carry y. */
export const coordChannels = (c: PolicyConfig) => 4 * c.coordFeatures;

const cache = new Map<string, tf.Tensor>();
function cached(key: string, make: () => tf.Tensor): tf.Tensor {
  let t = cache.get(key);
  if (!t || t.isDisposed) {
    t = tf.keep(make());
    cache.set(key, t);
  }
  return t;
}

/** [patches, d]: F(x) and F(y) of each patch centre in the first 4K channels, zeros elsewhere. */
export function imageCoordCode(c: PolicyConfig): tf.Tensor2D {
  return cached(`img:${c.imageSize}/${c.patchSize}/${c.dModel}/${c.coordFeatures}`, () => {
    const g = c.imageSize / c.patchSize;
    const freqs = frequencies(c.coordFeatures);
    const n = imageTokenCount(c);
    const out = new Float32Array(n * c.dModel);
    for (let gy = 0; gy < g; gy++) {
      for (let gx = 0; gx < g; gx++) {
        const row = (gy * g + gx) * c.dModel;
        out.set(code((gx + 0.5) / g, freqs), row);
        out.set(code((gy + 0.5) / g, freqs), row + 2 * c.coordFeatures);
      }
    }
    return tf.tensor2d(out, [n, c.dModel]);
  }) as tf.Tensor2D;
}

/**
 * [d, vocab]: for each coordinate token, F(value) in both the x and the y channels (an answer's coordinate may be
 * either), divided by 2K so that a unit-scale hidden state moves a coordinate logit by at most about 1 (unscaled,
 * an untrained model's logits were ±20 on coordinate tokens: a loss of 7 where it starts at 6); zeros for every
 * other token and channel.
 */
export function coordReadout(c: PolicyConfig, vocab: number, coordStart: number): tf.Tensor2D {
  return cached(`out:${c.dModel}/${c.coordFeatures}/${c.coordBins}/${vocab}/${coordStart}`, () => {
    const freqs = frequencies(c.coordFeatures);
    const k2 = 2 * c.coordFeatures;
    const out = new Float32Array(c.dModel * vocab);
    for (let b = 0; b < c.coordBins; b++) {
      const f = code(b / (c.coordBins - 1), freqs).map((v) => v / k2);
      for (let i = 0; i < k2; i++) {
        out[i * vocab + coordStart + b] = f[i];
        out[(k2 + i) * vocab + coordStart + b] = f[i];
      }
    }
    return tf.tensor2d(out, [c.dModel, vocab]);
  }) as tf.Tensor2D;
}
