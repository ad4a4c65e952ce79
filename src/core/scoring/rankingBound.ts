/**
 * The ranking bound of a detection result: its mAP if the very same boxes were ranked by their true quality (each
 * box's best IoU with a ground-truth box of its query) instead of by the confidence written.
 *
 * Why: AP is a ranking metric. A policy that writes one confidence for every box (the shipped base policy writes
 * 1.00) is ranked by chance, so two policies with the same mAP can hold very different boxes. The gap between
 * the written mAP and this bound is what a perfect confidence could add; the bound itself compares the boxes
 * alone. It is a diagnostic, not a metric to report as the result: it looks at the ground truth.
 */
import { bbIou } from '../metrics/cocoEval';
import { detectionMetrics } from './scoreSamples';
import { type Prediction, type ScoreSample, idKey } from './types';

export interface RankingBound {
  /** mAP and AP50 with the confidences written (the metric). */
  written: { map: number; ap50: number };
  /** mAP and AP50 with every box scored by its best IoU with the ground truth of its query. */
  rankedByIou: { map: number; ap50: number };
}

export function detectionRankingBound(samples: ScoreSample[], predictions: Prediction[]): RankingBound {
  const det = samples.filter((s) => s.task === 'detection');
  const completions = new Map(predictions.map((p) => [idKey(p.id), p.completion]));
  const written = detectionMetrics(det, completions);
  const ranked = detectionMetrics(det, completions, (d, gts) => Math.max(0, ...gts.map((g) => bbIou(d.bbox, g.bbox))));
  return { written: { map: written.map, ap50: written.ap50 }, rankedByIou: { map: ranked.map, ap50: ranked.ap50 } };
}
