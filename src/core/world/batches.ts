/**
 * Training and evaluation batches from the world: token ids for the policy and the samples behind them.
 * Each sample's seed derives from (run seed, step, index), so a batch is the same however a run was resumed.
 */
import type { Task } from '../rewards/types';
import type { Tokenizer } from '../model/tokenizer';
import type { NameOwners } from '../train/namePointer';
import type { Atlas } from './atlas';
import { patchBoxObjects, patchLabelWords } from './patchLabels';
import { toThousandths } from './scene';
import { type WorldSample, type WorldSplit, worldSample } from './tasks';
import { resizeImage } from '../image/resize';

export interface TaskMixture {
  detection: number;
  classification: number;
  grounding: number;
}

/** Pretraining mixture: detection is the hardest output and gets half of the samples. */
export const DEFAULT_MIXTURE: TaskMixture = { detection: 0.5, classification: 0.2, grounding: 0.3 };

export interface PolicyBatch {
  samples: WorldSample[];
  /** [n, size, size, 3] RGB in 0–1. */
  images: Float32Array;
  prompts: number[][];
  /** Target completions with a final <eos>. */
  completions: number[][];
  /** Dense patch labels (token ids, [n × grid²]) when asked for with `patchGrid`. */
  patchTargets?: Int32Array;
  /** Dense patch boxes (coordinate bins x1, y1, x2, y2 per cell, −1 where no object; [n × grid² × 4]) with `patchGrid`. */
  patchBoxes?: Int32Array;
  /** Per row, each label of the scene with the image tokens of its objects (train/namePointer.ts), with `patchGrid`. */
  nameOwners?: NameOwners[][];
}

/** The seed of item `i` of a world few-shot set (the worker's training items, the inspector's and bundles' pictures). */
export const worldItemSeed = (setSeed: number, i: number): number => seedOf(setSeed, 0x7a11, i);

/** A 32-bit hash of integers: independent, reproducible sample seeds. */
export function seedOf(...parts: number[]): number {
  let h = 2166136261;
  for (const p of parts) {
    h ^= p >>> 0;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

export function pickTask(mixture: TaskMixture, u: number): Task {
  const total = mixture.detection + mixture.classification + mixture.grounding;
  const x = u * total;
  return x < mixture.detection ? 'detection' : x < mixture.detection + mixture.classification ? 'classification' : 'grounding';
}

export function promptTokens(tok: Tokenizer, sample: Pick<WorldSample, 'task' | 'promptWords'>): number[] {
  return [tok.taskId(sample.task), ...sample.promptWords.map((w) => tok.wordId(w))];
}

/** Token ids and images (resampled to the policy's `imageSize`) of world samples; patch labels on a `patchGrid`. */
export function toPolicyBatch(tok: Tokenizer, samples: WorldSample[], imageSize = samples[0]?.scene.size ?? 0, patchGrid = 0): PolicyBatch {
  const size = imageSize;
  const images = new Float32Array(samples.length * size * size * 3);
  samples.forEach((s, i) => images.set(resizeImage(s.scene.image, s.scene.size, size), i * size * size * 3));
  return {
    samples,
    images,
    prompts: samples.map((s) => promptTokens(tok, s)),
    completions: samples.map((s) => [...tok.tokenize(s.completion), tok.id('eos')]),
    ...(patchGrid
      ? {
          patchTargets: Int32Array.from(samples.flatMap((s) => patchLabelWords(s.scene, patchGrid).map((w) => tok.wordId(w)))),
          nameOwners: samples.map((s) => sceneNameOwners(tok, s, patchGrid)),
          patchBoxes: Int32Array.from(samples.flatMap((s) => patchBoxObjects(s.scene, patchGrid).flatMap((o) => (o ? toThousandths(o.box, s.scene.size).map((v) => tok.coordId(v) - tok.coordStart) : [-1, -1, -1, -1])))),
        }
      : {}),
  };
}

/** Each label of a sample's scene, as word tokens, with the grid cells its objects own (patchBoxObjects). */
export function sceneNameOwners(tok: Tokenizer, s: WorldSample, patchGrid: number): NameOwners[] {
  const owners = patchBoxObjects(s.scene, patchGrid);
  const labels = [...new Set(s.scene.objects.map((o) => o.label))];
  return labels.map((label) => ({
    tokens: label.split(' ').map((w) => tok.wordId(w)),
    patches: owners.flatMap((o, i) => (o?.label === label ? [i] : [])),
  }));
}

/** A seeded batch of world samples, rendered at `imageSize` (the same scenes at every size: raster.ts). */
export function trainingBatch(atlas: Atlas, tok: Tokenizer, opts: { seed: number; step: number; size: number; imageSize: number; split?: WorldSplit; mixture?: TaskMixture; patchGrid?: number; absentShare?: number }): PolicyBatch {
  const samples: WorldSample[] = [];
  for (let i = 0; i < opts.size; i++) {
    const s = seedOf(opts.seed, opts.step, i);
    samples.push(worldSample(atlas, pickTask(opts.mixture ?? DEFAULT_MIXTURE, (s % 10007) / 10007), opts.split ?? 'base', s, undefined, opts.absentShare, opts.imageSize));
  }
  return toPolicyBatch(tok, samples, opts.imageSize, opts.patchGrid);
}

/** The fixed held-out evaluation set of a task and split (seeds disjoint from training's). */
export function evalSamples(atlas: Atlas, task: Task, split: WorldSplit, n: number, size?: number): WorldSample[] {
  return Array.from({ length: n }, (_, i) => worldSample(atlas, task, split, seedOf(0xe7a1, ['detection', 'classification', 'grounding'].indexOf(task), ['base', 'novel', 'ood'].indexOf(split), i), undefined, undefined, size));
}
