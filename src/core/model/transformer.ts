/**
 * The policy's forward pass: image patches → patch embeddings (the image prefix), then text tokens, through
 * a pre-LayerNorm causal transformer decoder. Two entry points share every block:
 *  - `forward`: the whole sequence at once (teacher forcing, training, prefill); can fill a KV cache;
 *  - `forwardStep`: new tokens against a KV cache (decoding).
 * Callers own tidy scopes; nothing here keeps a tensor except through the cache.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PolicyConfig, imageTokenCount, visualShape } from './config';
import { towerLayer } from './towerSpec';
import type { KvCache } from './kvCache';
import { attentionBias } from './layout';
import type { TextBatch } from './layout';
import { FlatIndex, batchMatMul, embed, gelu, layerNorm, linear, matMul, takeColumns } from './ops';
import { GATE_SCALE, coordReadout, imageCoordCode } from './coordFeatures';
import type { PolicyParams } from './params';
import { COORD_START } from './tokenizer';
import { type PointerImageState, addPointer, coordinateSlots, imageHiddenOf, pointerImageState, pointerLogOdds } from './boxPointer';

const isCoordOf = (c: PolicyConfig) => (id: number) => id >= COORD_START && id < COORD_START + c.coordBins;

/** [B, S, S, 3] images in 0–1 → [B, patches, P·P·3] (no gradient: images are inputs). */
export function imagePatches(images: tf.Tensor4D, c: PolicyConfig): tf.Tensor3D {
  const [b, s] = images.shape;
  if (s !== c.imageSize || images.shape[2] !== c.imageSize || images.shape[3] !== 3) throw new Error(`images must be [batch, ${c.imageSize}, ${c.imageSize}, 3], got [${images.shape.join(', ')}]`);
  const g = s / c.patchSize;
  const x = tf.reshape(images, [b, g, c.patchSize, g, c.patchSize * 3]);
  return tf.reshape(tf.transpose(x, [0, 1, 3, 2, 4]), [b, g * g, c.patchSize * c.patchSize * 3]);
}

const subPatchOrder = new Map<string, FlatIndex>();

/**
 * Pixel indices within an image that reorder it into [patch, sub-patch (2×2), (P/2)²·3] for the conv stem. Images
 * are inputs (no gradient), so one gather (ops.ts takeColumns) does what would otherwise be a rank-8 transpose.
 * Kept per shape for the life of the page: a few KB, made once.
 */
function subPatchIndices(c: PolicyConfig): FlatIndex {
  const key = `${c.imageSize}/${c.patchSize}`;
  let idx = subPatchOrder.get(key);
  if (!idx) {
    const S = c.imageSize;
    const P = c.patchSize;
    const h = P / 2;
    const g = S / P;
    const values = new Int32Array(S * S * 3);
    let k = 0;
    for (let py = 0; py < g; py++)
      for (let px = 0; px < g; px++)
        for (let sy = 0; sy < 2; sy++)
          for (let sx = 0; sx < 2; sx++)
            for (let y = 0; y < h; y++)
              for (let x = 0; x < h; x++)
                for (let ch = 0; ch < 3; ch++) values[k++] = ((py * P + sy * h + y) * S + px * P + sx * h + x) * 3 + ch;
    idx = new FlatIndex(values, S * S * 3);
    subPatchOrder.set(key, idx);
  }
  return idx;
}

const withinPatchOrder = new Map<number, FlatIndex>();

/** Indices that reorder one row-major P×P×3 patch into its 2×2 sub-patches, [4 · (P/2)² · 3] (kept, a few KB). */
function withinPatchIndices(P: number): FlatIndex {
  let idx = withinPatchOrder.get(P);
  if (!idx) {
    const h = P / 2;
    const out: number[] = [];
    for (let sy = 0; sy < 2; sy++) for (let sx = 0; sx < 2; sx++) for (let y = 0; y < h; y++) for (let x = 0; x < h; x++) for (let ch = 0; ch < 3; ch++) out.push(((sy * h + y) * P + sx * h + x) * 3 + ch);
    idx = new FlatIndex(Int32Array.from(out), P * P * 3);
    withinPatchOrder.set(P, idx);
  }
  return idx;
}

/** The conv stem on sub-patches [B·n·4, (P/2)²·3] → [B, n, d]. */
function convStem(p: PolicyParams, c: PolicyConfig, sub: tf.Tensor2D, b: number, n: number): tf.Tensor3D {
  const features = gelu(linear(sub, p.get('stem.w') as tf.Tensor2D, p.get('stem.b') as tf.Tensor1D));
  const merged = tf.reshape(features, [b * n, 4 * c.stemChannels]) as tf.Tensor2D;
  return tf.reshape(linear(merged, p.get('patch.w') as tf.Tensor2D, p.get('patch.b') as tf.Tensor1D), [b, n, c.dModel]);
}

/** The tower's projector: features [B·n, C] → [B, n, d]. */
function projector(p: PolicyParams, c: PolicyConfig, features: tf.Tensor2D, b: number, n: number): tf.Tensor3D {
  let x = linear(layerNorm(features, p.get('proj.ln.g'), p.get('proj.ln.b')) as tf.Tensor2D, p.get('proj.w1') as tf.Tensor2D, p.get('proj.b1') as tf.Tensor1D);
  if (c.projector === 'mlp') x = linear(gelu(x) as tf.Tensor2D, p.get('proj.w2') as tf.Tensor2D, p.get('proj.b2') as tf.Tensor1D);
  return tf.reshape(x, [b, n, c.dModel]);
}

/**
 * The image prefix: visual inputs [B, ...visualShape(c)] (pixels for the stems, tower features, or both for the
 * hybrid) → [B, image tokens, d] (before position embeddings).
 */
export function imageEmbeddings(p: PolicyParams, c: PolicyConfig, images: tf.Tensor4D): tf.Tensor3D {
  if (c.stem === 'tower' || c.stem === 'hybrid') {
    const want = visualShape(c);
    const [b, g, g2, ch] = images.shape;
    if (g !== want[0] || g2 !== want[1] || ch !== want[2]) throw new Error(`visual inputs must be [batch, ${want.join(', ')}], got [${images.shape.join(', ')}]`);
    const n = g * g;
    const C = towerLayer(c.tower!.layer).channels;
    const flat = tf.reshape(images, [b * n, ch]) as tf.Tensor2D;
    if (c.stem === 'tower') return projector(p, c, flat, b, n);
    const features = tf.slice(flat, [0, 0], [b * n, C]);
    const pixels = tf.slice(flat, [0, C], [b * n, ch - C]);
    const sub = tf.reshape(takeColumns(pixels as tf.Tensor2D, withinPatchIndices(c.patchSize)), [b * n * 4, (ch - C) / 4]) as tf.Tensor2D;
    return tf.add(projector(p, c, features, b, n), convStem(p, c, sub, b, n));
  }
  const patches = imagePatches(images, c);
  const [b, n, pd] = patches.shape;
  if (c.stem === 'linear') return tf.reshape(linear(tf.reshape(patches, [b * n, pd]) as tf.Tensor2D, p.get('patch.w') as tf.Tensor2D, p.get('patch.b') as tf.Tensor1D), [b, n, c.dModel]);
  const sub = tf.reshape(takeColumns(tf.reshape(images, [b, -1]) as tf.Tensor2D, subPatchIndices(c)), [b * n * 4, pd / 4]) as tf.Tensor2D;
  return convStem(p, c, sub, b, n);
}

function toHeads(t: tf.Tensor2D, b: number, n: number, heads: number, dk: number): tf.Tensor3D {
  return tf.reshape(tf.transpose(tf.reshape(t, [b, n, heads, dk]), [0, 2, 1, 3]), [b * heads, n, dk]);
}

function attention(p: PolicyParams, c: PolicyConfig, i: number, x: tf.Tensor3D, bias: tf.Tensor4D, cache: KvCache | null, layer: number): tf.Tensor3D {
  const [b, n, d] = x.shape;
  const heads = c.nHeads;
  const dk = d / heads;
  // Slice the (small) weight into its q, k, v parts instead of splitting the (large) activation.
  const x2 = tf.reshape(x, [b * n, d]) as tf.Tensor2D;
  const w = p.get(`b${i}.attn.wqkv`) as tf.Tensor2D;
  const bqkv = p.get(`b${i}.attn.bqkv`) as tf.Tensor1D;
  const [q, k, v] = [0, 1, 2].map((j) => linear(x2, tf.slice(w, [0, j * d], [d, d]), tf.slice(bqkv, [j * d], [d])));
  let kh = toHeads(k, b, n, heads, dk);
  let vh = toHeads(v, b, n, heads, dk);
  const past = cache?.get(layer);
  if (past) {
    kh = tf.concat([past.k, kh], 1);
    vh = tf.concat([past.v, vh], 1);
  }
  if (cache) cache.set(layer, kh, vh);
  const nk = kh.shape[1];
  // Scale the queries (rows × d) rather than the scores (rows × keys): fewer values to touch and keep.
  const scores = batchMatMul(toHeads(tf.mul(q, 1 / Math.sqrt(dk)) as tf.Tensor2D, b, n, heads, dk), tf.transpose(kh, [0, 2, 1]) as tf.Tensor3D);
  const probs = tf.softmax(tf.add(tf.reshape(scores, [b, heads, n, nk]), bias));
  const out = batchMatMul(tf.reshape(probs, [b * heads, n, nk]) as tf.Tensor3D, vh);
  const merged = tf.reshape(tf.transpose(tf.reshape(out, [b, heads, n, dk]), [0, 2, 1, 3]), [b * n, d]) as tf.Tensor2D;
  return tf.reshape(linear(merged, p.get(`b${i}.attn.wo`) as tf.Tensor2D, p.get(`b${i}.attn.bo`) as tf.Tensor1D), [b, n, d]);
}

function mlp(p: PolicyParams, i: number, x: tf.Tensor3D): tf.Tensor3D {
  const [b, n, d] = x.shape;
  const hidden = gelu(linear(tf.reshape(x, [b * n, d]) as tf.Tensor2D, p.get(`b${i}.mlp.w1`) as tf.Tensor2D, p.get(`b${i}.mlp.b1`) as tf.Tensor1D));
  return tf.reshape(linear(hidden as tf.Tensor2D, p.get(`b${i}.mlp.w2`) as tf.Tensor2D, p.get(`b${i}.mlp.b2`) as tf.Tensor1D), [b, n, d]);
}

function blocks(p: PolicyParams, c: PolicyConfig, x: tf.Tensor3D, bias: tf.Tensor4D, cache: KvCache | null): tf.Tensor3D {
  for (let i = 0; i < c.nLayers; i++) {
    x = tf.add(x, attention(p, c, i, layerNorm(x, p.get(`b${i}.ln1.g`), p.get(`b${i}.ln1.b`)) as tf.Tensor3D, bias, cache, i));
    x = tf.add(x, mlp(p, i, layerNorm(x, p.get(`b${i}.ln2.g`), p.get(`b${i}.ln2.b`)) as tf.Tensor3D));
  }
  return layerNorm(x, p.get('lnf.g'), p.get('lnf.b')) as tf.Tensor3D;
}

function textEmbeddings(p: PolicyParams, tokens: tf.Tensor2D, positions: tf.Tensor2D): tf.Tensor3D {
  return tf.add(embed(p.get('tok.emb') as tf.Tensor2D, tokens), embed(p.get('pos.text') as tf.Tensor2D, positions)) as tf.Tensor3D;
}

/** Logits [B, T, V] for hidden states [B, T, d]. */
function head(p: PolicyParams, c: PolicyConfig, h: tf.Tensor3D): tf.Tensor3D {
  const [b, t, d] = h.shape;
  let w = p.get('head.w') as tf.Tensor2D;
  if (c.coordFeatures > 0) w = tf.add(w, tf.mul(tf.mul(p.get('coord.out'), GATE_SCALE), coordReadout(c, w.shape[1], COORD_START))) as tf.Tensor2D;
  return tf.reshape(matMul(tf.reshape(h, [b * t, d]) as tf.Tensor2D, w), [b, t, w.shape[1]]);
}

/**
 * Final hidden states [B, patches + T, d] of the whole sequence (image prefix, then text). With a cache, fills it
 * with every layer's keys and values (prefill).
 */
export function forwardHidden(p: PolicyParams, c: PolicyConfig, images: tf.Tensor4D, batch: TextBatch, cache: KvCache | null = null): tf.Tensor3D {
  const nImg = imageTokenCount(c);
  let imgEmb = tf.add(imageEmbeddings(p, c, images), p.get('pos.image'));
  if (c.coordFeatures > 0) imgEmb = tf.add(imgEmb, tf.mul(tf.mul(p.get('coord.in'), GATE_SCALE), imageCoordCode(c)));
  const tokens = tf.tensor2d(batch.tokens, [batch.rows, batch.width], 'int32');
  const positions = tf.tensor2d(batch.positions, [batch.rows, batch.width], 'int32');
  const x = tf.concat([imgEmb as tf.Tensor3D, textEmbeddings(p, tokens, positions)], 1);
  const bias = tf.tensor4d(attentionBias(batch.rows, nImg, batch.keyMask, batch.width, 0, nImg + batch.width, c.imageAttention === 'full'), [batch.rows, 1, nImg + batch.width, nImg + batch.width]);
  return blocks(p, c, x, bias, cache);
}

/**
 * The whole sequence: logits [B, T, V] at every text position (position j predicts text token j + 1).
 * With a cache, fills it with every layer's keys and values (prefill).
 */
export function forward(p: PolicyParams, c: PolicyConfig, images: tf.Tensor4D, batch: TextBatch, cache: KvCache | null = null): tf.Tensor3D {
  const hidden = forwardHidden(p, c, images, batch, cache);
  const state = c.boxPointer ? pointerImageState(p, c, imageHiddenOf(c, hidden)) : undefined;
  if (state && cache) cache.setPointer(state, coordinateSlots(batch.tokens, batch.rows, batch.width, isCoordOf(c)).counts);
  return textLogits(p, c, hidden, batch, state);
}

/** Logits [B, patches, V] at the image positions (the pretraining's dense patch-label loss reads them). */
export function imageLogits(p: PolicyParams, c: PolicyConfig, hidden: tf.Tensor3D): tf.Tensor3D {
  return head(p, c, tf.slice(hidden, [0, 0, 0], [hidden.shape[0], imageTokenCount(c), c.dModel]) as tf.Tensor3D);
}

/**
 * Logits [B, T, V] at the text positions of hidden states from `forwardHidden` for `batch`. With the box pointer,
 * its image state (computed here unless given) adds to the coordinate tokens.
 */
export function textLogits(p: PolicyParams, c: PolicyConfig, hidden: tf.Tensor3D, batch: TextBatch, state?: PointerImageState): tf.Tensor3D {
  const text = tf.slice(hidden, [0, imageTokenCount(c), 0], [hidden.shape[0], batch.width, c.dModel]) as tf.Tensor3D;
  const logits = head(p, c, text);
  if (!c.boxPointer) return logits;
  const { slots } = coordinateSlots(batch.tokens, batch.rows, batch.width, isCoordOf(c));
  return addPointer(logits, pointerLogOdds(p, c, state ?? pointerImageState(p, c, imageHiddenOf(c, hidden)), text, slots), COORD_START);
}

/** One new token per row against the cache: logits [rows, V] for the next token. Advances the cache. */
export function forwardStep(p: PolicyParams, c: PolicyConfig, cache: KvCache, tokens: Int32Array, positions: Int32Array): tf.Tensor2D {
  const rows = cache.rows;
  const tok = tf.tensor2d(tokens, [rows, 1], 'int32');
  const pos = tf.tensor2d(positions, [rows, 1], 'int32');
  const x = textEmbeddings(p, tok, pos);
  const newMask = new Uint8Array(rows * (cache.textWidth + 1));
  for (let r = 0; r < rows; r++) {
    newMask.set(cache.keyMask.subarray(r * cache.textWidth, (r + 1) * cache.textWidth), r * (cache.textWidth + 1));
    newMask[r * (cache.textWidth + 1) + cache.textWidth] = 1;
  }
  const keys = cache.length + 1;
  const bias = tf.tensor4d(attentionBias(rows, cache.imageTokens, newMask, cache.textWidth + 1, cache.length, 1), [rows, 1, 1, keys]);
  const h = blocks(p, c, x, bias, cache);
  cache.advance(1);
  let logits = head(p, c, h);
  if (c.boxPointer) {
    if (!cache.pointer) throw new Error('the KV cache lacks the box pointer state (prefill with forward and this cache)');
    const { slots, counts } = coordinateSlots(tokens, rows, 1, isCoordOf(c), cache.coordCounts);
    logits = addPointer(logits, pointerLogOdds(p, c, cache.pointer, h, slots), COORD_START);
    cache.coordCounts = counts;
  }
  return tf.reshape(logits, [rows, -1]) as tf.Tensor2D;
}
