/**
 * Keys and values of every layer for the tokens seen so far, so that decoding computes one new token per
 * step instead of the whole sequence. One owner: the cache keeps its tensors alive across steps and frees
 * them on replace and dispose.
 *
 * Invariants (tested): every layer holds [rows·heads, length, headDim] tensors of the same length; `append`
 * grows length by the appended tokens in every layer; `keyMask` has rows × (length − imageTokens) entries.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PointerImageState } from './boxPointer';

export class KvCache {
  private readonly k: (tf.Tensor3D | null)[];
  private readonly v: (tf.Tensor3D | null)[];
  private disposed = false;
  /** The box pointer's image state (boxPointer.ts), when the policy has one; owned by the cache. */
  pointer: Pick<PointerImageState, 'keys' | 'boxProbs'> | null = null;
  /** Coordinate tokens seen so far per row (the pointer's slot counter). */
  coordCounts: Int32Array;

  constructor(
    readonly layers: number,
    readonly rows: number,
    readonly heads: number,
    readonly imageTokens: number,
    /** 1 where a text key is real; grows with each appended token. */
    public keyMask: Uint8Array,
    public textWidth: number,
  ) {
    this.k = new Array(layers).fill(null);
    this.v = new Array(layers).fill(null);
    this.coordCounts = new Int32Array(rows);
  }

  /** Store the box pointer's image state (the cache takes ownership) and the rows' coordinate counts. */
  setPointer(state: Pick<PointerImageState, 'keys' | 'boxProbs'>, counts: Int32Array): void {
    this.check();
    if (state.keys.shape[0] !== this.rows || counts.length !== this.rows) throw new Error(`pointer rows mismatch: ${state.keys.shape[0]} vs ${this.rows}`);
    if (this.pointer) tf.dispose([this.pointer.keys, this.pointer.boxProbs]);
    this.pointer = { keys: tf.keep(state.keys), boxProbs: tf.keep(state.boxProbs) };
    this.coordCounts = counts;
  }

  /** Tokens cached (image and text). */
  get length(): number {
    return this.imageTokens + this.textWidth;
  }

  get(layer: number): { k: tf.Tensor3D; v: tf.Tensor3D } | null {
    this.check();
    const k = this.k[layer];
    const v = this.v[layer];
    return k && v ? { k, v } : null;
  }

  /** Store the full keys/values of a layer (the cache takes ownership; the previous ones are freed). */
  set(layer: number, k: tf.Tensor3D, v: tf.Tensor3D): void {
    this.check();
    if (k.shape[0] !== this.rows * this.heads) throw new Error(`cache rows mismatch: ${k.shape[0]} vs ${this.rows * this.heads}`);
    this.k[layer]?.dispose();
    this.v[layer]?.dispose();
    this.k[layer] = tf.keep(k);
    this.v[layer] = tf.keep(v);
  }

  /** Record that `n` real text tokens were appended to every row (after all layers were set). */
  advance(n: number): void {
    const mask = new Uint8Array(this.rows * (this.textWidth + n));
    for (let r = 0; r < this.rows; r++) {
      mask.set(this.keyMask.subarray(r * this.textWidth, (r + 1) * this.textWidth), r * (this.textWidth + n));
      mask.fill(1, r * (this.textWidth + n) + this.textWidth, (r + 1) * (this.textWidth + n));
    }
    this.keyMask = mask;
    this.textWidth += n;
    for (let l = 0; l < this.layers; l++) {
      const k = this.k[l];
      if (!k || k.shape[1] !== this.length) throw new Error(`layer ${l} holds ${k?.shape[1]} positions, expected ${this.length}`);
    }
  }

  /** A new cache with each row repeated `times` times (row r → rows r·times … r·times + times − 1). */
  repeatRows(times: number): KvCache {
    this.check();
    const out = new KvCache(this.layers, this.rows * times, this.heads, this.imageTokens, new Uint8Array(0), this.textWidth);
    const mask = new Uint8Array(this.rows * times * this.textWidth);
    for (let r = 0; r < this.rows; r++) for (let t = 0; t < times; t++) mask.set(this.keyMask.subarray(r * this.textWidth, (r + 1) * this.textWidth), (r * times + t) * this.textWidth);
    out.keyMask = mask;
    const idx: number[] = [];
    for (let r = 0; r < this.rows; r++) for (let t = 0; t < times; t++) for (let h = 0; h < this.heads; h++) idx.push(r * this.heads + h);
    for (let l = 0; l < this.layers; l++) {
      const cur = this.get(l);
      if (!cur) throw new Error(`layer ${l} is empty`);
      const [k, v] = tf.tidy(() => {
        const ix = tf.tensor1d(idx, 'int32');
        return [tf.gather(cur.k, ix) as tf.Tensor3D, tf.gather(cur.v, ix) as tf.Tensor3D];
      });
      out.set(l, k, v);
    }
    const pointer = this.pointer;
    if (pointer) {
      const rowsIdx = Array.from({ length: this.rows * times }, (_, i) => Math.floor(i / times));
      const state = tf.tidy(() => {
        const ix = tf.tensor1d(rowsIdx, 'int32');
        return { keys: tf.gather(pointer.keys, ix) as tf.Tensor3D, boxProbs: tf.gather(pointer.boxProbs, ix) as tf.Tensor3D };
      });
      out.setPointer(state, Int32Array.from(rowsIdx, (r) => this.coordCounts[r]));
    }
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (let l = 0; l < this.layers; l++) {
      this.k[l]?.dispose();
      this.v[l]?.dispose();
      this.k[l] = null;
      this.v[l] = null;
    }
    if (this.pointer) tf.dispose([this.pointer.keys, this.pointer.boxProbs]);
    this.pointer = null;
  }

  private check(): void {
    if (this.disposed) throw new Error('the KV cache was disposed');
  }
}
