/**
 * Batched sampling of G completions per prompt (transformers.js style: small parts — sampler, stopping,
 * cache, interrupt). With the cache, the image and prompt are prefilled once and each step computes one token
 * per row; without it every step recomputes the whole sequence (kept for tests and the benchmark).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng';
import { imageTokenCount } from './config';
import { KvCache } from './kvCache';
import { buildTextBatch } from './layout';
import type { Policy } from './policy';
import { type SamplerConfig, logSoftmaxRow, sampleToken } from './sampler';
import { forward, forwardStep } from './transformer';

export interface GenerateOptions extends SamplerConfig {
  /** One image per prompt, [prompts, S, S, 3], values in 0–1. The caller keeps ownership. */
  images: tf.Tensor4D;
  /** Prompt token ids, one list per image. */
  prompts: number[][];
  /** Completions sampled per prompt (GRPO's G). Default 1. */
  samplesPerPrompt?: number;
  /** Stop after this many new tokens. */
  maxNewTokens: number;
  rng: Rng;
  /** Use the KV cache (default true). */
  useCache?: boolean;
  /** Checked before each step; returning true interrupts generation (what was generated is returned). */
  shouldStop?: () => boolean;
  /**
   * Completion tokens to write before sampling starts, one list per prompt (empty = none): the policy continues
   * from a given beginning, e.g. a reference reasoning trace, to measure what it answers after it. Forced tokens
   * are part of the returned completion, with their log-probabilities under the policy.
   */
  prefix?: number[][];
}

export interface GenerateResult {
  /** Completion token ids per row (row = prompt · G + sample), including <eos> when it was produced. */
  tokens: number[][];
  /** Log-probability of each completion token under the sampling distribution (temperature-scaled). */
  logprobs: number[][];
  /** Decoded text per row (up to <eos>). */
  texts: string[];
  /** Whether the row ended with <eos> (else it hit maxNewTokens or was interrupted). */
  finished: boolean[];
  /** Prompt index of every row. */
  promptIndex: number[];
  interrupted: boolean;
}

/** Logits of the last prompt column for every row: [rows, V] as JS arrays. */
async function lastColumn(logits: tf.Tensor3D): Promise<Float32Array[]> {
  const [rows, width, vocab] = logits.shape;
  const last = tf.tidy(() => tf.slice(logits, [0, width - 1, 0], [rows, 1, vocab]));
  const data = (await last.data()) as Float32Array;
  last.dispose();
  return Array.from({ length: rows }, (_, r) => data.subarray(r * vocab, (r + 1) * vocab));
}

export async function generate(policy: Policy, opts: GenerateOptions): Promise<GenerateResult> {
  const { config: c, tokenizer: tok, params } = policy;
  const G = opts.samplesPerPrompt ?? 1;
  const B = opts.prompts.length;
  if (opts.images.shape[0] !== B) throw new Error(`${opts.images.shape[0]} images for ${B} prompts`);
  const rows = B * G;
  const promptIndex = Array.from({ length: rows }, (_, r) => Math.floor(r / G));
  const eos = tok.id('eos');
  const tokens: number[][] = Array.from({ length: rows }, () => []);
  const fed: number[][] = Array.from({ length: rows }, () => []); // includes <eos> fillers after a row finished
  const logprobs: number[][] = Array.from({ length: rows }, () => []);
  const finished = new Array<boolean>(rows).fill(false);
  const useCache = opts.useCache ?? true;
  let interrupted = false;
  let cache: KvCache | null = null;

  const rowPrompts = promptIndex.map((i) => opts.prompts[i]);
  let next: Float32Array[];
  try {
    if (useCache) {
      const batch = buildTextBatch(opts.prompts, null, tok.id('pad'), c.maxTextLength);
      const prefill = new KvCache(c.nLayers, B, c.nHeads, imageTokenCount(c), batch.keyMask, batch.width);
      try {
        const logits = tf.tidy(() => forward(params, c, opts.images, batch, prefill));
        const perPrompt = await lastColumn(logits);
        logits.dispose();
        next = promptIndex.map((i) => perPrompt[i]);
        cache = prefill.repeatRows(G);
      } finally {
        prefill.dispose();
      }
    } else {
      next = await uncachedLogits(policy, opts.images, promptIndex, rowPrompts, fed);
    }
    for (let step = 0; step < opts.maxNewTokens; step++) {
      if (opts.shouldStop?.()) {
        interrupted = true;
        break;
      }
      for (let r = 0; r < rows; r++) {
        if (finished[r]) {
          fed[r].push(eos);
          continue;
        }
        const forced = opts.prefix?.[promptIndex[r]];
        const { token, logprob } = forced && step < forced.length ? forcedToken(next[r], forced[step], opts) : sampleToken(next[r], opts, opts.rng);
        tokens[r].push(token);
        fed[r].push(token);
        logprobs[r].push(logprob);
        if (token === eos) finished[r] = true;
      }
      if (finished.every(Boolean) || step === opts.maxNewTokens - 1) break;
      if (cache) {
        const last = Int32Array.from(fed, (f) => f[f.length - 1]);
        const pos = Int32Array.from(fed, (f, r) => Math.min(rowPrompts[r].length + f.length - 1, c.maxTextLength - 1));
        const logits = tf.tidy(() => forwardStep(params, c, cache as KvCache, last, pos));
        const data = (await logits.data()) as Float32Array;
        logits.dispose();
        const vocab = data.length / rows;
        next = Array.from({ length: rows }, (_, r) => data.subarray(r * vocab, (r + 1) * vocab));
      } else {
        next = await uncachedLogits(policy, opts.images, promptIndex, rowPrompts, fed);
      }
    }
  } finally {
    cache?.dispose();
  }
  return { tokens, logprobs, texts: tokens.map((t) => tok.detokenize(t)), finished, promptIndex, interrupted };
}

/** A forced token and its log-probability under the sampling distribution (as sampleToken reports it). */
function forcedToken(logits: Float32Array, token: number, opts: SamplerConfig): { token: number; logprob: number } {
  return { token, logprob: logSoftmaxRow(logits, opts.temperature)[token] };
}

async function uncachedLogits(policy: Policy, images: tf.Tensor4D, promptIndex: number[], prompts: number[][], fed: number[][]): Promise<Float32Array[]> {
  const { config: c, tokenizer: tok, params } = policy;
  const batch = buildTextBatch(prompts, fed, tok.id('pad'), c.maxTextLength);
  const logits = tf.tidy(() => forward(params, c, tf.gather(images, tf.tensor1d(promptIndex, 'int32')) as tf.Tensor4D, batch));
  const out = await lastColumn(logits);
  logits.dispose();
  return out;
}
