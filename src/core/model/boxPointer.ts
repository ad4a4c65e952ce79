/**
 * The box pointer: a detection head inside the language model, whose output is still ordinary coordinate tokens.
 *
 * Why: pretraining taught the policy what is in an image (classification 0.97) but its coordinate tokens ignored
 * the image (coordinate NLL 3.35 with the right images vs 3.47 shuffled after 3,200 steps; even the coarse "at the
 * top left" phrase of its traces was right 1 time in 4). Reading a position out of patch embeddings into one of
 * 101 unordered coordinate tokens is a mapping a small model has to discover from a few coordinate tokens per
 * sample. Classification became easy once each patch was trained to name its own object (patch labels) and the
 * text only had to copy; this does the same for boxes:
 *  - every image token predicts the box of the object it belongs to, four distributions over the coordinate bins
 *    (x1, y1, x2, y2) — a dense, local task trained directly in pretraining (like a one-stage detector's head);
 *  - every text position points at image tokens (one attention head: query from the text state, keys from the
 *    image states) and mixes their distributions for the coordinate it is about to write: the k-th coordinate of
 *    an answer uses slot k mod 4, counted from the tokens so far (DESIGN.md §2 writes boxes as [x1, y1, x2, y2]);
 *  - the coordinate logits get log(bins · p_pointer) added, so a uniform pointer changes nothing and a confident
 *    one multiplies the language head's odds (a product of experts). Everything else is unchanged, and GRPO, SFT
 *    and the KV cache see one distribution over tokens as before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PolicyConfig, imageTokenCount } from './config';
import { batchMatMul, linear, matMul } from './ops';
import type { PolicyParams } from './params';

/** Coordinates per box: x1, y1, x2, y2. */
export const BOX_SLOTS = 4;
/** Width of the pointer's query and key. */
export const POINTER_DIM = 32;

export interface PointerImageState {
  /** [B, patches, POINTER_DIM] keys of the image tokens. */
  keys: tf.Tensor3D;
  /** [B, patches, 4 · bins] each image token's box: log-probabilities per slot over the bins. */
  boxLogp: tf.Tensor3D;
}

/** From the final hidden states of the image tokens [B, patches, d]. */
export function pointerImageState(p: PolicyParams, c: PolicyConfig, imageHidden: tf.Tensor3D): PointerImageState {
  const [b, n, d] = imageHidden.shape;
  const flat = tf.reshape(imageHidden, [b * n, d]) as tf.Tensor2D;
  const keys = tf.reshape(matMul(flat, p.get('ptr.k') as tf.Tensor2D), [b, n, POINTER_DIM]) as tf.Tensor3D;
  const logits = tf.reshape(linear(flat, p.get('box.w') as tf.Tensor2D, p.get('box.b') as tf.Tensor1D), [b * n * BOX_SLOTS, c.coordBins]);
  return { keys, boxLogp: tf.reshape(tf.logSoftmax(logits), [b, n, BOX_SLOTS * c.coordBins]) as tf.Tensor3D };
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

/**
 * Pointer log-odds [B, T, bins] for text states [B, T, d]: log(bins · Σ_patches attention · p_box[slot]).
 * `slots` as coordinateSlots gives them.
 */
export function pointerLogOdds(p: PolicyParams, c: PolicyConfig, state: PointerImageState, textHidden: tf.Tensor3D, slots: Float32Array): tf.Tensor3D {
  const [b, t, d] = textHidden.shape;
  const bins = c.coordBins;
  const q = tf.reshape(matMul(tf.reshape(textHidden, [b * t, d]) as tf.Tensor2D, tf.mul(p.get('ptr.q'), 1 / Math.sqrt(POINTER_DIM)) as tf.Tensor2D), [b, t, POINTER_DIM]) as tf.Tensor3D;
  const attn = tf.softmax(batchMatMul(q, tf.transpose(state.keys, [0, 2, 1]) as tf.Tensor3D)) as tf.Tensor3D;
  // Probabilities, not log-probabilities, are what a mixture averages.
  const mix = tf.reshape(batchMatMul(attn, tf.exp(state.boxLogp) as tf.Tensor3D), [b, t, BOX_SLOTS, bins]);
  const picked = tf.sum(tf.mul(mix, tf.tensor4d(slots, [b, t, BOX_SLOTS, 1])), 2);
  return tf.log(tf.add(tf.mul(picked, bins), 1e-6)) as tf.Tensor3D;
}

/** Logits [B, T, V] with pointer log-odds [B, T, bins] added to the coordinate tokens (from `coordStart`). */
export function addPointer(logits: tf.Tensor3D, odds: tf.Tensor3D, coordStart: number): tf.Tensor3D {
  const [b, t, v] = logits.shape;
  const bins = odds.shape[2];
  const parts = [tf.zeros([b, t, coordStart]), odds, tf.zeros([b, t, v - coordStart - bins])];
  return tf.add(logits, tf.concat(parts, 2)) as tf.Tensor3D;
}
