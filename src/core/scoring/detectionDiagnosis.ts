/**
 * Where detection fails: mAP alone cannot tell a policy that finds the right object but draws a loose box from
 * one that boxes the wrong object, or one that answers "No Objects" too rarely. This splits the errors:
 *  - recall at IoU 0.3 / 0.5 / 0.75 of the ground-truth boxes (best prediction each): a recall that barely drops
 *    from 0.3 to 0.5 means the boxes that are found are tight, and what is missing is finding them;
 *  - how often a sample without the category is answered `No Objects`, and one with it is not;
 *  - the predicted box count against the true count (too few, right, too many);
 *  - the confidences written: AP ranks boxes by them, so a policy that writes one value for every box cannot
 *    rank its right boxes above its wrong ones, whatever the confidence reward pays.
 */
import { type Box, boxIou, parseStrictDetection } from '../rewards/detectionStrict';

export interface DetectionDiagnosis {
  samples: number;
  /** Samples whose category is absent, and of them those answered with no box. */
  absent: number;
  absentAnsweredEmpty: number;
  /** Samples whose category is present, and of them those answered with no box. */
  present: number;
  presentAnsweredEmpty: number;
  /** Present samples by predicted count vs true count. */
  countUnder: number;
  countRight: number;
  countOver: number;
  /** Ground-truth boxes, and the fraction whose best prediction reaches IoU 0.3, 0.5, 0.75. */
  gtBoxes: number;
  recall: { '0.3': number; '0.5': number; '0.75': number };
  /** Mean over ground-truth boxes of the best prediction's IoU. */
  meanBestIou: number;
  /** Predicted boxes by the confidence written (two decimals), e.g. { '1.00': 58 }. */
  confidences: Record<string, number>;
}

const boxesOf = (text: string): Box[] => (parseStrictDetection(text) ?? []).flatMap((e) => (e ? [e.box] : []));

/** "confidence × boxes" pairs, most frequent first: "1.00 × 58, 0.90 × 3". */
export function confidenceSummary(counts: Record<string, number>): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return rows.length ? rows.map(([c, n]) => `${c} × ${n}`).join(', ') : 'no boxes';
}

export function diagnoseDetection(pairs: { completion: string; solution: string }[]): DetectionDiagnosis {
  const d: DetectionDiagnosis = { samples: pairs.length, absent: 0, absentAnsweredEmpty: 0, present: 0, presentAnsweredEmpty: 0, countUnder: 0, countRight: 0, countOver: 0, gtBoxes: 0, recall: { '0.3': 0, '0.5': 0, '0.75': 0 }, meanBestIou: 0, confidences: {} };
  const best: number[] = [];
  for (const { completion, solution } of pairs) {
    const gt = boxesOf(solution);
    const pred = boxesOf(completion);
    for (const e of parseStrictDetection(completion) ?? []) if (e) d.confidences[e.confidence.toFixed(2)] = (d.confidences[e.confidence.toFixed(2)] ?? 0) + 1;
    if (!gt.length) {
      d.absent++;
      if (!pred.length) d.absentAnsweredEmpty++;
      continue;
    }
    d.present++;
    if (!pred.length) d.presentAnsweredEmpty++;
    if (pred.length < gt.length) d.countUnder++;
    else if (pred.length > gt.length) d.countOver++;
    else d.countRight++;
    for (const g of gt) best.push(Math.max(0, ...pred.map((p) => boxIou(g, p))));
  }
  d.gtBoxes = best.length;
  const frac = (t: number) => (best.length ? best.filter((v) => v >= t).length / best.length : 0);
  d.recall = { '0.3': frac(0.3), '0.5': frac(0.5), '0.75': frac(0.75) };
  d.meanBestIou = best.length ? best.reduce((a, b) => a + b, 0) / best.length : 0;
  return d;
}
