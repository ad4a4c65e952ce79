/**
 * The box pointer: a detection head inside the language model, whose output is still ordinary coordinate tokens.
 *
 * Why: pretraining taught the policy what is in an image (classification 0.97) but its coordinate tokens ignored
 * the image (coordinate NLL 3.35 with the right images vs 3.47 shuffled after 3,200 steps; even the coarse "at the
 * top left" phrase of its traces was right 1 time in 4). Reading a position out of patch embeddings into one of
 * 101 unordered coordinate tokens is a mapping a small model has to discover from a few coordinate tokens per
 * sample. Classification became easy once each patch was trained to name its own object (patch labels) and the
 * text only had to copy; this does the same for boxes:
 *  - every image token predicts the box of the object it belongs to, four distributions over offsets from its own
 *    centre (x1, y1, x2, y2), turned into distributions over the coordinate bins — a dense, local task trained
 *    directly in pretraining (like a one-stage detector's head);
 *  - every text position points at image tokens (one attention head: query from the text state, keys from the
 *    image states) and mixes their distributions for the coordinate it is about to write: the k-th coordinate of
 *    an answer uses slot k mod 4, counted from the tokens so far (docs/design.md §2 writes boxes as [x1, y1, x2, y2]);
 *  - the coordinate logits get log(bins · p_pointer) added, so a uniform pointer changes nothing and a confident
 *    one multiplies the language head's odds (a product of experts). Everything else is unchanged, and GRPO, SFT
 *    and the KV cache see one distribution over tokens as before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PolicyConfig, imageTokenCount } from './config';
import { FlatIndex, batchMatMul, linear, matMul, onHostMemory } from './ops';
import type { PolicyParams } from './params';

/** Coordinates per box: x1, y1, x2, y2. */
export const BOX_SLOTS = 4;
/** Width of the pointer's query and key. */
export const POINTER_DIM = 32;

export interface PointerImageState {
  /** [B, patches, POINTER_DIM] keys of the image tokens. */
  keys: tf.Tensor3D;
  /** [B, patches, 4 · bins] each image token's box: probabilities per slot over the absolute bins. */
  boxProbs: tf.Tensor3D;
  /** [B, patches, 4 · offsets] the same as log-probabilities of offsets from the token's own centre (the loss's). */
  offsetLogp: tf.Tensor3D;
}

/**
 * Box edges are predicted as offsets from the image token's own centre (as FCOS predicts distances to the edges):
 * "the left edge is 12 bins left of me" is the same function everywhere in the image, so every patch of every
 * object teaches it, where absolute bins would have to be learned per position. Offsets span the whole range
 * both ways, so every token reaches every bin: a uniform offset distribution is then exactly uniform over the bins
 * after renormalising, and the pointer starts neutral.
 */
export function offsetCount(c: PolicyConfig): number {
  return 2 * (c.coordBins - 1) + 1;
}

/** Centre of each image token in bins: [x, y] per token (row-major grid). */
export function tokenCentres(c: PolicyConfig): [number, number][] {
  const g = c.imageSize / c.patchSize;
  const at = (i: number) => Math.round(((i + 0.5) / g) * (c.coordBins - 1));
  return Array.from({ length: g * g }, (_, i) => [at(i % g), at(Math.floor(i / g))]);
}

/** The centre (x for x1/x2, y for y1/y2) of row `i` of a [B · patches · 4] layout. */
const rowCentre = (centres: [number, number][], i: number) => centres[Math.floor(i / BOX_SLOTS) % centres.length][i % 2];

type Custom = Parameters<typeof tf.customGrad>[0];

/**
 * The shift of each row of a [B · patches · 4] layout (x slots by the token's x centre, y slots by its y): bin j
 * of row r is offset j + start[r], start = half − centre, so each row's bins are one contiguous window of its
 * offsets. Per batch size, made once.
 */
class BinWindows {
  readonly starts: Int32Array;
  private gathers: { forward: FlatIndex; backward: FlatIndex } | null = null;
  constructor(
    readonly bins: number,
    readonly offsets: number,
    centres: [number, number][],
    rows: number,
  ) {
    const half = (offsets - 1) / 2;
    this.starts = Int32Array.from({ length: rows }, (_, r) => half - rowCentre(centres, r));
  }
  /** Flat gather indices for device backends: forward, bin j of row r reads offset j + start; backward, offset o
   * reads the gradient of bin o − start, or a zero appended at the end when that bin is off the image. */
  deviceIndices(): { forward: FlatIndex; backward: FlatIndex } {
    if (!this.gathers) {
      const { bins, offsets: R, starts } = this;
      const rows = starts.length;
      const fwd = new Int32Array(rows * bins);
      const bwd = new Int32Array(rows * R);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < bins; j++) fwd[r * bins + j] = r * R + j + starts[r];
        for (let o = 0; o < R; o++) {
          const j = o - starts[r];
          bwd[r * R + o] = j >= 0 && j < bins ? r * bins + j : rows * bins;
        }
      }
      this.gathers = { forward: new FlatIndex(fwd, rows * R), backward: new FlatIndex(bwd, rows * bins) };
    }
    return this.gathers;
  }
  /** [rows, offsets] → [rows, bins]: each row's window. */
  toBins(x: tf.Tensor, onHost: boolean): tf.Tensor {
    const { bins, offsets: R, starts } = this;
    const rows = starts.length;
    if (!onHost) return tf.tidy(() => tf.reshape(tf.gather(tf.reshape(x, [-1]), this.deviceIndices().forward.tensor()), [rows, bins]));
    const src = x.dataSync() as Float32Array;
    const out = new Float32Array(rows * bins);
    for (let r = 0; r < rows; r++) out.set(src.subarray(r * R + starts[r], r * R + starts[r] + bins), r * bins);
    return tf.tensor2d(out, [rows, bins]);
  }
  /** The adjoint, [rows, bins] → [rows, offsets]: each row's bins back at their offsets, zeros elsewhere. */
  toOffsets(dy: tf.Tensor, onHost: boolean): tf.Tensor {
    const { bins, offsets: R, starts } = this;
    const rows = starts.length;
    if (!onHost) return tf.tidy(() => tf.reshape(tf.gather(tf.concat([tf.reshape(dy, [-1]), tf.zeros([1])]), this.deviceIndices().backward.tensor()), [rows, R]));
    const src = dy.dataSync() as Float32Array;
    const out = new Float32Array(rows * R);
    for (let r = 0; r < rows; r++) out.set(src.subarray(r * bins, (r + 1) * bins), r * R + starts[r]);
    return tf.tensor2d(out, [rows, R]);
  }
}

const windowCache = new Map<string, BinWindows>();

function binWindows(c: PolicyConfig, batch: number): BinWindows {
  const key = `${c.imageSize}/${c.patchSize}/${c.coordBins}/${batch}`;
  let w = windowCache.get(key);
  if (!w) {
    const centres = tokenCentres(c);
    w = new BinWindows(c.coordBins, offsetCount(c), centres, batch * centres.length * BOX_SLOTS);
    windowCache.set(key, w);
  }
  return w;
}

/**
 * [rows, offsets] → [rows, bins]: each token's offset distribution placed on the absolute bins, a window per row:
 * row copies where tensors live in host memory (ops.ts onHostMemory), one gather each way on device backends.
 * Slicing and concatenating per grid column (the obvious form) spent 2 s of a 4.4 s step in WASM's generic Slice
 * and SplitV kernels, and WASM has no gradient for gather, hence the custom one (the adjoint).
 */
export function offsetsToBins(rel: tf.Tensor2D, c: PolicyConfig, batch: number, onHost = onHostMemory()): tf.Tensor2D {
  const windows = binWindows(c, batch);
  if (rel.shape[0] !== windows.starts.length) throw new Error(`offsetsToBins: ${rel.shape[0]} rows for a batch of ${batch} (${windows.starts.length} rows)`);
  const op = tf.customGrad(((x: tf.Tensor) => ({
    value: windows.toBins(x, onHost),
    gradFunc: (dy: tf.Tensor) => windows.toOffsets(dy, onHost),
  })) as unknown as Custom);
  return op(rel) as tf.Tensor2D;
}

/** From the final hidden states of the image tokens [B, patches, d]. */
export function pointerImageState(p: PolicyParams, c: PolicyConfig, imageHidden: tf.Tensor3D): PointerImageState {
  const [b, n, d] = imageHidden.shape;
  const R = offsetCount(c);
  const flat = tf.reshape(imageHidden, [b * n, d]) as tf.Tensor2D;
  const keys = tf.reshape(matMul(flat, p.get('ptr.k') as tf.Tensor2D), [b, n, POINTER_DIM]) as tf.Tensor3D;
  const logits = tf.reshape(linear(flat, p.get('box.w') as tf.Tensor2D, p.get('box.b') as tf.Tensor1D), [b * n * BOX_SLOTS, R]);
  const offsetLogp = tf.reshape(tf.logSoftmax(logits), [b, n, BOX_SLOTS, R]);
  // Per token, offsets → absolute bins (x slots by its x centre, y slots by its y centre).
  const onImage = tf.reshape(offsetsToBins(tf.reshape(tf.exp(offsetLogp), [b * n * BOX_SLOTS, R]) as tf.Tensor2D, c, b), [b, n, BOX_SLOTS, c.coordBins]);
  // Offsets that fall off the image carry no bin: renormalise over the bins.
  const normalised = tf.div(onImage, tf.add(tf.sum(onImage, 3, true), 1e-9));
  const boxProbs = tf.reshape(normalised, [b, n, BOX_SLOTS * c.coordBins]) as tf.Tensor3D;
  return { keys, boxProbs, offsetLogp: tf.reshape(offsetLogp, [b, n, BOX_SLOTS * R]) as tf.Tensor3D };
}

/** Offset targets [rows × patches × 4] (−1 = none) for absolute target bins of the same shape. */
export function offsetTargets(c: PolicyConfig, boxes: Int32Array): Int32Array {
  const centres = tokenCentres(c);
  const R = offsetCount(c);
  const half = (R - 1) / 2;
  return boxes.map((bin, i) => (bin < 0 ? -1 : Math.min(R - 1, Math.max(0, bin - rowCentre(centres, i) + half))));
}

/** The image-token part of full-sequence hidden states [B, patches + T, d]. */
export function imageHiddenOf(c: PolicyConfig, hidden: tf.Tensor3D): tf.Tensor3D {
  return tf.slice(hidden, [0, 0, 0], [hidden.shape[0], imageTokenCount(c), c.dModel]) as tf.Tensor3D;
}

/**
 * Slot one-hots [rows × T × 4] for text tokens [rows × T]: at each column, (coordinate tokens up to and including
 * it) mod 4 — the slot of the next coordinate. `startCounts` continues counts from earlier columns (decoding).
 */
export function coordinateSlots(tokens: Int32Array, rows: number, width: number, isCoord: (id: number) => boolean, startCounts?: Int32Array): { slots: Float32Array; counts: Int32Array } {
  const slots = new Float32Array(rows * width * BOX_SLOTS);
  const counts = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let n = startCounts?.[r] ?? 0;
    for (let j = 0; j < width; j++) {
      if (isCoord(tokens[r * width + j])) n++;
      slots[(r * width + j) * BOX_SLOTS + (n % BOX_SLOTS)] = 1;
    }
    counts[r] = n;
  }
  return { slots, counts };
}

/** Where each text position points: attention [B, T, patches] over the image tokens (rows sum to 1). */
export function pointerAttention(p: PolicyParams, keys: tf.Tensor3D, textHidden: tf.Tensor3D): tf.Tensor3D {
  const [b, t, d] = textHidden.shape;
  const q = tf.reshape(matMul(tf.reshape(textHidden, [b * t, d]) as tf.Tensor2D, tf.mul(p.get('ptr.q'), 1 / Math.sqrt(POINTER_DIM)) as tf.Tensor2D), [b, t, POINTER_DIM]) as tf.Tensor3D;
  return tf.softmax(batchMatMul(q, tf.transpose(keys, [0, 2, 1]) as tf.Tensor3D)) as tf.Tensor3D;
}

/**
 * Pointer log-odds [B, T, bins] for text states [B, T, d]: log(bins · Σ_patches attention · p_box[slot]).
 * `slots` as coordinateSlots gives them.
 */
export function pointerLogOdds(p: PolicyParams, c: PolicyConfig, state: Pick<PointerImageState, 'keys' | 'boxProbs'>, textHidden: tf.Tensor3D, slots: Float32Array): tf.Tensor3D {
  const [b, t] = textHidden.shape;
  const bins = c.coordBins;
  const attn = pointerAttention(p, state.keys, textHidden);
  // Probabilities, not log-probabilities, are what a mixture averages.
  const mix = tf.reshape(batchMatMul(attn, state.boxProbs), [b, t, BOX_SLOTS, bins]);
  const picked = tf.sum(tf.mul(mix, tf.tensor4d(slots, [b, t, BOX_SLOTS, 1])), 2);
  return tf.log(tf.add(tf.mul(picked, bins), 1e-6)) as tf.Tensor3D;
}

/** Logits [B, T, V] with pointer log-odds [B, T, bins] added to the coordinate tokens (from `coordStart`). */
export function addPointer(logits: tf.Tensor3D, odds: tf.Tensor3D, coordStart: number): tf.Tensor3D {
  const v = logits.shape[2];
  const bins = odds.shape[2];
  // A pad, not a concat with zeros: concat's gradient is WASM's slow SplitV.
  return tf.add(logits, tf.pad(odds, [[0, 0], [0, 0], [coordStart, v - coordStart - bins]])) as tf.Tensor3D;
}
