/**
 * The scorer: per-sample rewards and per-task metrics for a set of samples and model completions.
 * Pure; the CLI (scripts/score.ts) and the app both call it.
 */
import { type CocoDet, type CocoGt, cocoEvaluate } from '../metrics/cocoEval';
import { type PixelBox, completionToDetections } from '../metrics/completionToDetections';
import { type GroundingPair, accuracy, classificationCorrect, groundingBox, groundingMetrics } from '../metrics/taskMetrics';
import { taskRewards } from '../rewards/registry';
import type { RewardMode } from '../rewards/types';
import { type Prediction, type SampleId, type ScoreMetrics, type ScoreReport, type ScoreSample, idKey } from './types';

/**
 * COCO image ids. COCOeval visits images in `sorted(imgIds)` order, which decides ties in score between images,
 * so ids are ranked as Python would sort them: numerically when all are numbers, by code point when all are
 * strings. A mix (which Python cannot sort) falls back to file order.
 */
function cocoImageIds(samples: ScoreSample[]): (id: SampleId) => number {
  const unique = new Map<string, SampleId>();
  for (const s of samples) unique.set(idKey(s.image_id as SampleId), s.image_id as SampleId);
  const ids = [...unique.values()];
  if (ids.every((id) => typeof id === 'number')) ids.sort((a, b) => (a as number) - (b as number));
  else if (ids.every((id) => typeof id === 'string')) ids.sort((a, b) => compareCodePoints(a as string, b as string));
  const rank = new Map(ids.map((id, i) => [idKey(id), i + 1]));
  return (id) => rank.get(idKey(id)) as number;
}

function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0) as number);
  const cb = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i] - cb[i];
  return ca.length - cb.length;
}

/**
 * The score COCO ranks a detection by: as written (the metric), or a replacement computed from the detection and
 * the ground truth of its sample (scoring/rankingBound.ts).
 */
export type DetectionScore = (det: PixelBox, gts: PixelBox[]) => number;

/** COCO mAP and AP50 of detection samples, each an (image, category) query; per category AP too. */
export function detectionMetrics(samples: ScoreSample[], completions: Map<string, string>, scoreOf: DetectionScore = (d) => d.score): NonNullable<ScoreMetrics['detection']> {
  const imageIdOf = cocoImageIds(samples);
  const categories = [...new Set(samples.map((s) => s.category as string))];
  const categoryId = new Map(categories.map((c, i) => [c, i + 1]));
  const gts: CocoGt[] = [];
  const dets: CocoDet[] = [];
  for (const s of samples) {
    const imageId = imageIdOf(s.image_id as SampleId);
    const cat = categoryId.get(s.category as string) as number;
    const sampleGts = completionToDetections(s.solution, s.width, s.height, false);
    for (const g of sampleGts) gts.push({ imageId, categoryId: cat, bbox: g.bbox });
    const completion = completions.get(idKey(s.id));
    if (completion === undefined) continue;
    for (const d of completionToDetections(completion, s.width, s.height, true)) dets.push({ imageId, categoryId: cat, bbox: d.bbox, score: scoreOf(d, sampleGts) });
  }
  const result = cocoEvaluate(samples.map((s) => imageIdOf(s.image_id as SampleId)), [...categoryId.values()], gts, dets);
  const per_category: Record<string, { ap: number; ap50: number }> = {};
  for (const c of categories) per_category[c] = result.perCategory.get(categoryId.get(c) as number) as { ap: number; ap50: number };
  return { map: result.map, ap50: result.ap50, per_category };
}

/**
 * Score every sample. A sample without a prediction is scored as the empty completion (and so earns 0);
 * `missing` lists those ids so callers can warn.
 */
export function scoreSamples(samples: ScoreSample[], predictions: Prediction[], mode: RewardMode): ScoreReport & { missing: SampleId[] } {
  const completions = new Map(predictions.map((p) => [idKey(p.id), p.completion]));
  const missing: SampleId[] = [];
  const scored = samples.map((s) => {
    const completion = completions.get(idKey(s.id));
    if (completion === undefined) missing.push(s.id);
    return { id: s.id, rewards: taskRewards(s.task, completion ?? '', s.solution, mode) };
  });
  const metrics: ScoreMetrics = {};
  const byTask = (t: ScoreSample['task']) => samples.filter((s) => s.task === t);
  const det = byTask('detection');
  if (det.length) metrics.detection = detectionMetrics(det, completions);
  const cls = byTask('classification');
  if (cls.length) metrics.classification = { accuracy: accuracy(cls.map((s) => classificationCorrect(completions.get(idKey(s.id)) ?? '', s.solution))) };
  const grd = byTask('grounding');
  if (grd.length) {
    const pairs: GroundingPair[] = [];
    for (const s of grd) {
      const gt = groundingBox(s.solution, mode, false);
      if (gt === null) continue; // a solution without a box cannot be scored for IoU; its rewards are still reported
      pairs.push({ gt, pred: groundingBox(completions.get(idKey(s.id)) ?? '', mode, true), width: s.width, height: s.height });
    }
    metrics.grounding = groundingMetrics(pairs);
  }
  return { samples: scored, metrics, missing };
}
