/**
 * Model benchmark (issue 3): rollout throughput with and without the KV cache, the teacher-forced
 * training step, its effective GFLOP/s against a plain matMul measured in the same run, and peak tensor
 * memory. Pure tfjs-core: the same code runs in Node (scripts/bench.ts) and in the browser worker.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng';
import { POLICY_CONFIGS, type PolicyConfigName, imageTokenCount } from '../model/config';
import { trainStepFlops } from '../model/flops';
import { generate } from '../model/generate';
import { Policy } from '../model/policy';
import { microBatches, partsGradientStep } from '../train/gradients';
import type { GradientHelper, LossPart } from '../train/lossParts';
import { DEFAULT_SFT } from '../train/sftConfig';

export interface ModelBenchOptions {
  config: PolicyConfigName;
  /** Completions per prompt in the rollout. Default 8. */
  group?: number;
  /** New tokens per completion. Default 48. */
  newTokens?: number;
  /** Sequences in the training step batch. Default 32. */
  trainBatch?: number;
  /** Completion tokens per training sequence. Default 40. */
  trainCompletion?: number;
  /** Timed repetitions of each measurement (after one warm-up). Default 2. */
  repeats?: number;
  /** Also time the rollout without the cache (slow on the CPU backend). Default true. */
  uncached?: boolean;
  /**
   * Other workers for the training step's micro-batches (the browser's gradient workers, gradientPool.ts), started
   * for the bench's policy and closed after it. Default none.
   */
  gradientWorkers?: (policy: Policy) => Promise<(GradientHelper & { close(): void }) | null>;
}

export interface ModelBenchResult {
  backend: string;
  config: PolicyConfigName;
  parameters: number;
  vocab: number;
  rolloutTokensPerSecCached: number;
  rolloutTokensPerSecUncached: number | null;
  cacheSpeedup: number | null;
  /** The app's SFT step: micro-batches of DEFAULT_SFT.microBatchSize, gradients summed, one Adam update. */
  trainStepMs: number;
  trainStepGflops: number;
  /** Workers that computed the step (1 = this one alone). */
  trainWorkers: number;
  /** With gradient workers: ms per step this worker waited for theirs after its own parts (imbalance, transfer). */
  trainWaitMs: number | null;
  matMulGflops: number;
  trainEfficiency: number;
  /** Peak of tfjs's own tensor accounting during a step (counts a buffer once per tensor that shares it). */
  peakTensorMB: number | null;
  /** Size of the WASM backend's heap after the run (its real high-water mark), or null on other backends. */
  wasmHeapMB: number | null;
}

/** A policy of the named size with a vocabulary like the shipped one (1,500 words for base). */
export function benchPolicy(name: PolicyConfigName): Policy {
  const words = Array.from({ length: name === 'base' ? 1500 : 40 }, (_, i) => `w${i}`);
  return Policy.create(POLICY_CONFIGS[name], { coordBins: POLICY_CONFIGS[name].coordBins, words });
}

async function time(fn: () => Promise<unknown> | unknown, repeats: number): Promise<number> {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) await fn();
  return (performance.now() - t0) / repeats;
}

function randomImages(n: number, size: number, rng: Rng): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: n * size * size * 3 }, () => rng.next()), [n, size, size, 3]);
}

/**
 * GFLOP/s of a plain [m, k]·[k, n] matMul at the policy's MLP shape: the best of `repeats` timed runs. The best,
 * not the mean, so that a busy moment of the machine cannot lower the reference and flatter the step's ratio.
 */
async function matMulRate(m: number, k: number, n: number, repeats: number): Promise<number> {
  const a = tf.randomNormal([m, k]) as tf.Tensor2D;
  const b = tf.randomNormal([k, n]) as tf.Tensor2D;
  let best = Infinity;
  for (let i = 0; i <= repeats; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (i > 0) best = Math.min(best, performance.now() - t0);
  }
  tf.dispose([a, b]);
  return (2 * m * k * n) / best / 1e6;
}

/** Bytes of the WASM backend's heap (0 on other backends): what the tab really holds, it grows and never shrinks. */
export function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.byteLength ?? 0;
}

export async function runModelBench(opts: ModelBenchOptions): Promise<ModelBenchResult> {
  const G = opts.group ?? 8;
  const newTokens = opts.newTokens ?? 48;
  const B = opts.trainBatch ?? 32;
  const L = opts.trainCompletion ?? 40;
  const repeats = opts.repeats ?? 2;
  const policy = benchPolicy(opts.config);
  const c = policy.config;
  const tok = policy.tokenizer;
  const rng = new Rng(1);
  const image = randomImages(1, c.imageSize, rng);
  const prompt = [[tok.taskId('detection'), tok.wordId('w1'), tok.wordId('w2')]];
  const rollout = (useCache: boolean) =>
    generate(policy, { images: image, prompts: prompt, samplesPerPrompt: G, maxNewTokens: newTokens, temperature: 1, topK: 0, rng: new Rng(2), useCache, suppressTokens: [tok.id('eos'), tok.id('pad')] });
  const cachedMs = await time(() => rollout(true), repeats);
  const uncachedMs = opts.uncached === false ? null : await time(() => rollout(false), 1);

  const rows = B * (imageTokenCount(c) + prompt[0].length + L);
  // The reference rate, before and after the training steps (the heap grows during them): the higher counts.
  const mmBefore = await matMulRate(rows, c.dModel, c.dModel * c.mlpRatio, 10);
  const pixels = Float32Array.from({ length: B * c.imageSize * c.imageSize * 3 }, () => rng.next());
  const prompts = Array.from({ length: B }, () => [tok.taskId('detection'), tok.wordId(`w${rng.int(0, 30)}`), tok.wordId(`w${rng.int(0, 30)}`)]);
  const completions = Array.from({ length: B }, () => Array.from({ length: L }, () => rng.int(tok.coordStart, tok.size - 1)));
  const optimizer = tf.train.adam(1e-4);
  let peakBytes = 0;
  // tf.profile's buffer reads race with disposal on WebGPU ("Buffer was destroyed before mapping was
  // resolved"); there the peak is not measured.
  const profiled = tf.getBackend() !== 'webgpu';
  const rowPixels = c.imageSize * c.imageSize * 3;
  const parts: LossPart[] = microBatches(B, DEFAULT_SFT.microBatchSize).map(([from, to]) => ({ kind: 'sft', images: pixels.slice(from * rowPixels, to * rowPixels), prompts: prompts.slice(from, to), completions: completions.slice(from, to), wholeTokens: B * L }));
  const helper = (await opts.gradientWorkers?.(policy)) ?? null;
  const trainWorkers = 1 + (helper?.workers ?? 0);
  const waits: number[] = [];
  const step = async () => waits.push((await partsGradientStep(policy, parts, 1.0, (g) => (optimizer as tf.Optimizer).applyGradients(g), helper)).waitedMs);
  let stepMs: number;
  try {
    // Timed without tf.profile (its per-kernel records slowed the step it timed); one more step, profiled, gives
    // the peak memory.
    stepMs = await time(step, repeats);
    if (profiled) peakBytes = (await tf.profile(async () => void (await step()))).peakBytes;
  } finally {
    helper?.close();
  }
  const stepFlops = trainStepFlops(c, tok.size, B, prompts[0].length + L);
  const mm = Math.max(mmBefore, await matMulRate(rows, c.dModel, c.dModel * c.mlpRatio, 10));
  const result: ModelBenchResult = {
    backend: tf.getBackend(),
    config: opts.config,
    parameters: policy.parameterCount(),
    vocab: tok.size,
    rolloutTokensPerSecCached: (G * newTokens) / (cachedMs / 1000),
    rolloutTokensPerSecUncached: uncachedMs === null ? null : (G * newTokens) / (uncachedMs / 1000),
    cacheSpeedup: uncachedMs === null ? null : uncachedMs / cachedMs,
    trainStepMs: stepMs,
    trainWorkers,
    // The timed steps' waits: `time` runs one untimed step first, tf.profile one after.
    trainWaitMs: helper ? waits.slice(1, 1 + repeats).reduce((a, b) => a + b, 0) / repeats : null,
    trainStepGflops: stepFlops / stepMs / 1e6,
    matMulGflops: mm,
    trainEfficiency: stepFlops / stepMs / 1e6 / mm,
    peakTensorMB: profiled ? peakBytes / 2 ** 20 : null,
    wasmHeapMB: wasmHeapBytes() / 2 ** 20 || null,
  };
  optimizer.dispose();
  image.dispose();
  policy.dispose();
  return result;
}
