/**
 * Evaluate a policy on world samples: greedy completions, graded by the scorer of issue 2 (per-sample
 * rewards and the task metrics), so the numbers mean the same as `npm run score` on exported predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng';
import type { RewardMode, Task } from '../rewards/types';
import { sourceResolution, visualShape } from '../model/config';
import { generate } from '../model/generate';
import { concatFloat32 } from './floatArrays';
import type { TrainItem } from './trainer';
import { encodeImages } from '../model/visualInput';
import type { Policy } from '../model/policy';
import { type DetectionDiagnosis, diagnoseDetection } from '../scoring/detectionDiagnosis';
import { type RankingBound, detectionRankingBound } from '../scoring/rankingBound';
import { scoreSamples } from '../scoring/scoreSamples';
import type { ScoreReport, ScoreSample } from '../scoring/types';
import type { Atlas } from '../world/atlas';
import { evalSamples, toPolicyBatch } from '../world/batches';
import type { WorldSample, WorldSplit } from '../world/tasks';
import { type TraceAgreement, traceAgreement } from '../world/traceAgreement';
import { type GroundingDiagnosis, diagnoseGrounding } from '../world/groundingDiagnosis';

export interface EvalResult {
  completions: string[];
  report: ScoreReport;
  /** Mean of each reward over the samples. */
  meanRewards: Record<string, number>;
}

/** Scorer samples for world samples: detection samples are one (image, category) pair each. */
export function scorerSamples(samples: WorldSample[]): ScoreSample[] {
  return samples.map((s, i) => ({ id: i, task: s.task, width: s.scene.size, height: s.scene.size, image_id: i, category: s.category, solution: s.solution }));
}

/**
 * The reference completion's tokens up to and including `<answer>`: given to the policy as the start of its
 * completion, it measures the answer alone (would the policy answer right if it had reasoned right?).
 */
export function referenceTracePrefix(tok: Policy['tokenizer'], completion: string): number[] {
  const ids = tok.tokenize(completion);
  const at = ids.indexOf(tok.id('answerOpen'));
  if (at < 0) throw new Error(`reference completion without <answer>: ${completion.slice(0, 80)}`);
  return ids.slice(0, at + 1);
}

export async function evaluatePolicy(policy: Policy, samples: WorldSample[], opts: { batchSize?: number; maxNewTokens?: number; mode?: RewardMode; shouldStop?: () => boolean; givenTrace?: boolean } = {}): Promise<EvalResult> {
  const completions: string[] = [];
  const bs = opts.batchSize ?? 32;
  for (let i = 0; i < samples.length; i += bs) {
    const chunk = samples.slice(i, i + bs);
    const batch = toPolicyBatch(policy.tokenizer, chunk, sourceResolution(policy.config));
    const images = tf.tensor4d(await encodeImages(policy.config, policy.tower, batch.images, chunk.length), [chunk.length, ...visualShape(policy.config)]);
    try {
      const prefix = opts.givenTrace ? chunk.map((s) => referenceTracePrefix(policy.tokenizer, s.completion)) : undefined;
      const out = await generate(policy, { images, prompts: batch.prompts, maxNewTokens: opts.maxNewTokens ?? 80, temperature: 0, topK: 0, rng: new Rng(0), shouldStop: opts.shouldStop, prefix });
      completions.push(...out.texts);
    } finally {
      images.dispose();
    }
  }
  const report = scoreSamples(scorerSamples(samples), completions.map((completion, id) => ({ id, completion })), opts.mode ?? 'reference');
  const sums: Record<string, number> = {};
  for (const s of report.samples) for (const [k, v] of Object.entries(s.rewards)) sums[k] = (sums[k] ?? 0) + (v as number);
  const meanRewards = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / report.samples.length]));
  return { completions, report: { samples: report.samples, metrics: report.metrics }, meanRewards };
}

/**
 * The held-out metrics of a run (docs/design.md §4: eval/map, eval/ap50, eval/accuracy, eval/miou), from greedy
 * completions of prepared items, graded by the same scorer as `npm run score`.
 */
export async function evaluateItems(policy: Policy, items: TrainItem[], samples: ScoreSample[], opts: { batchSize?: number; maxNewTokens?: number } = {}): Promise<Record<string, number>> {
  if (items.length !== samples.length) throw new Error('one scorer sample per item');
  const completions: string[] = [];
  const bs = opts.batchSize ?? 16;
  const shape = visualShape(policy.config);
  for (let i = 0; i < items.length; i += bs) {
    const chunk = items.slice(i, i + bs);
    const images = tf.tensor4d(concatFloat32(chunk.map((it) => it.image)), [chunk.length, ...shape]);
    try {
      const out = await generate(policy, { images, prompts: chunk.map((it) => it.prompt), maxNewTokens: opts.maxNewTokens ?? 80, temperature: 0, topK: 0, rng: new Rng(0) });
      completions.push(...out.texts);
    } finally {
      images.dispose();
    }
  }
  const m = scoreSamples(samples, completions.map((completion, k) => ({ id: samples[k].id, completion })), 'reference').metrics;
  const out: Record<string, number> = {};
  if (m.detection) Object.assign(out, { 'eval/map': m.detection.map, 'eval/ap50': m.detection.ap50 });
  if (m.classification) out['eval/accuracy'] = m.classification.accuracy;
  if (m.grounding) Object.assign(out, { 'eval/miou': m.grounding.miou, 'eval/acc50': m.grounding.acc50 });
  return out;
}

/** A policy's results on the world's fixed held-out set of one task and split. */
export interface WorldEval {
  task: Task;
  split: WorldSplit;
  count: number;
  meanRewards: Record<string, number>;
  /** The scorer's metrics of the task (map/ap50, accuracy, or miou/acc50/ciou). */
  metrics: Record<string, unknown>;
  examples: { question: string; completion: string; solution: string }[];
  /** Detection only: which kind of error the metrics come from (scoring/detectionDiagnosis.ts). */
  diagnosis?: DetectionDiagnosis;
  /** Detection only: mAP as written and of the same boxes ranked by their true IoU (scoring/rankingBound.ts). */
  rankingBound?: RankingBound;
  /** Detection only: the policy's trace against the scene and its own answer (world/traceAgreement.ts). */
  traceAgreement?: TraceAgreement;
  /** Grounding only: hits, wrong objects, loose boxes and misses by kind of question (world/groundingDiagnosis.ts). */
  groundingDiagnosis?: GroundingDiagnosis;
}

/** Evaluate on the held-out world set (shared by `npm run eval`, the model card and the app's worker). */
export async function evaluateWorldSplit(policy: Policy, atlas: Atlas, task: Task, split: WorldSplit, count: number, examples = 6, opts: { givenTrace?: boolean } = {}): Promise<WorldEval> {
  const samples = evalSamples(atlas, task, split, count, sourceResolution(policy.config));
  const res = await evaluatePolicy(policy, samples, { givenTrace: opts.givenTrace });
  return {
    task,
    split,
    count,
    meanRewards: res.meanRewards,
    metrics: ((res.report.metrics as Record<string, unknown>)[task] ?? {}) as Record<string, unknown>,
    examples: samples.slice(0, examples).map((s, i) => ({ question: s.promptWords.join(' '), completion: res.completions[i], solution: s.solution })),
    ...(task === 'detection'
      ? {
          diagnosis: diagnoseDetection(samples.map((s, i) => ({ completion: res.completions[i], solution: s.solution }))),
          rankingBound: detectionRankingBound(scorerSamples(samples), res.completions.map((completion, id) => ({ id, completion }))),
          traceAgreement: traceAgreement(samples, res.completions),
        }
      : {}),
    ...(task === 'grounding' ? { groundingDiagnosis: diagnoseGrounding(samples, res.completions) } : {}),
  };
}
