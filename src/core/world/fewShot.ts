/**
 * Few-shot training sets of the world (issue 5's experiments): `shots` annotated images per class, and for
 * detection, queries of those images about classes they do not contain.
 *
 * Why the negatives: the held-out detection set asks about an absent class a quarter of the time, and an
 * annotated image answers "where is X?" for every class X, present or not, so a K-shot set gets them for free
 * (few-shot detection benchmarks count them the same way). Trained on present classes only, RFT learned to
 * never answer `No Objects` (measured: on absent held-out queries, 39 % → 11 %), and its false boxes cost the
 * mAP that its better boxes gained.
 */
import { Rng } from '../rng';
import type { Task } from '../rewards/types';
import type { Atlas } from './atlas';
import { seedOf } from './batches';
import { type WorldSample, type WorldSplit, detectionQuery, worldSample } from './tasks';

export interface FewShotSpec {
  task: Task;
  split: WorldSplit;
  /** The classes of the set, `shots` images each; empty: `8 × shots` plain samples (grounding). */
  classes: readonly string[];
  shots: number;
  seed: number;
  /**
   * Detection: the expected share of queries whose class is absent from the image (0 ≤ share < 1). Each shot
   * image is also asked about another class of the set with probability share / (1 − share). Default 0.
   */
  absentShare?: number;
  /** Render size of the scenes (the policy's source resolution); default the world's 64 px. */
  size?: number;
}

export function fewShotSamples(atlas: Atlas, spec: FewShotSpec): WorldSample[] {
  const { task, split, classes, shots, seed } = spec;
  const share = spec.absentShare ?? 0;
  if (!(share >= 0 && share < 1)) throw new Error(`absentShare must be in [0, 1), got ${share}`);
  if (!classes.length) return Array.from({ length: 8 * shots }, (_, j) => worldSample(atlas, task, split, seedOf(seed, 0xf6, j), undefined, undefined, spec.size));
  const positives = classes.flatMap((c, ci) => Array.from({ length: shots }, (_, j) => worldSample(atlas, task, split, seedOf(seed, 0xf5, ci, j), c, undefined, spec.size)));
  if (task !== 'detection' || share === 0) return positives;
  const rng = new Rng(seedOf(seed, 0xf7));
  const p = share / (1 - share);
  const out: WorldSample[] = [];
  for (const s of positives) {
    out.push(s);
    if (!rng.bool(p)) continue;
    const inImage = new Set(s.scene.objects.map((o) => o.label));
    const absent = classes.filter((c) => !inImage.has(c));
    if (absent.length) out.push(detectionQuery(s.scene, rng.pick(absent), split));
  }
  return out;
}
