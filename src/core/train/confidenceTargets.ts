/**
 * Confidence targets from the policy's own detection answers: the confidence phase of pretraining
 * (`npm run pretrain -- --confidence-phase`).
 *
 * Why: every pretraining target writes `'Confidence': 1.00`, so the policy writes 1.00 on every box. AP ranks
 * boxes by confidence, so its right boxes cannot come before its wrong ones (on the held-out novel set the same
 * boxes ranked by their true IoU would score mAP 0.176 instead of 0.098: scoring/rankingBound.ts), and the
 * confidence reward of RFT has no spread to work on. Here each box the policy wrote gets a target confidence from
 * its IoU with the closest true box of the query (0 where the class is absent; `confidenceBand`), and only those
 * confidence tokens carry a loss weight, so the boxes and the rest of the answer stay the policy's own.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Policy } from '../model/policy';
import type { Tokenizer } from '../model/tokenizer';
import { type Box, boxIou, parseStrictDetection } from '../rewards/detectionStrict';

export interface ConfidenceTargets {
  /** The completion with each box's confidence token replaced by its target. */
  tokens: number[];
  /** Loss weight per token: 1 on the replaced confidence tokens, 0 elsewhere. */
  weights: number[];
  /** Each box's IoU with its closest true box (two decimals), in the order written. */
  ious: number[];
}

/**
 * The confidence a box is trained to write, by its IoU band: below 0.3 (another object, or nothing) 0.10; 0.3–0.5
 * (the object, loosely: a miss at every COCO threshold) 0.40; 0.5–0.75 0.65; from 0.75 0.90. Why bands and not
 * the IoU itself: the policy is decoded greedily, so it writes the single most probable confidence token. Trained
 * towards exact IoUs, a box that is right 40 % of the time spreads that 40 % over dozens of tokens while its
 * misses all share 0.00, and a first run wrote 0.00 on every box. Four bands keep the mass together, so the
 * written value orders boxes by their likely quality, which is what AP ranks by.
 */
export function confidenceBand(iou: number): number {
  return iou < 0.3 ? 0.1 : iou < 0.5 ? 0.4 : iou < 0.75 ? 0.65 : 0.9;
}

/** True boxes (0–1000) of a detection solution; none for `No Objects` or an unreadable one. */
export function solutionBoxes(solution: string): Box[] {
  return (parseStrictDetection(solution) ?? []).flatMap((e) => (e ? [e.box] : []));
}

/**
 * Walk the completion's tokens: a box is `{'Position': [` coordinates `], 'Confidence': ` and one confidence
 * token. Its target is the band of its best IoU with a true box (IoU 0 for a box that is not four increasing
 * coordinates).
 */
export function confidenceTargets(tok: Tokenizer, completion: readonly number[], truth: Box[]): ConfidenceTargets {
  const tokens = [...completion];
  const weights = tokens.map(() => 0);
  const ious: number[] = [];
  const open = tok.id('boxOpen');
  const close = tok.id('positionClose');
  let start = -1;
  for (let j = 0; j < tokens.length; j++) {
    if (tokens[j] === open) start = j;
    if (tokens[j] !== close || j + 1 >= tokens.length || tok.kind(tokens[j + 1]) !== 'conf') continue;
    const coords = start >= 0 ? tokens.slice(start + 1, j).filter((t) => tok.kind(t) === 'coord').map((t) => tok.coordValue(t)) : [];
    const box = coords.length === 4 && coords[2] > coords[0] && coords[3] > coords[1] ? (coords as Box) : null;
    const iou = box ? Math.max(0, ...truth.map((g) => boxIou(box, g))) : 0;
    tokens[j + 1] = tok.confId(confidenceBand(iou));
    weights[j + 1] = 1;
    ious.push(Math.round(iou * 100) / 100);
    start = -1;
  }
  return { tokens, weights, ious };
}

/**
 * Give every confidence token the input embedding of `1.00`. Pretraining only ever fed `1.00` back in, so the
 * other confidence rows are still their random initial vectors; once the policy writes other confidences, what
 * it writes after them would be conditioned on noise (a first run of the confidence phase went from one box per
 * query to five within 100 steps). Tied, the answer after a box goes on as it did after `1.00`. Returns how many
 * rows changed; idempotent.
 */
export async function tieConfidenceInputs(policy: Policy): Promise<number> {
  const emb = policy.params.get('tok.emb');
  const [vocab, d] = emb.shape;
  const data = Float32Array.from((await emb.data()) as Float32Array);
  const tok = policy.tokenizer;
  const one = tok.confId(1);
  let changed = 0;
  for (let id = tok.confId(0); id < one; id++) {
    if (data.subarray(id * d, (id + 1) * d).every((v, i) => v === data[one * d + i])) continue;
    data.copyWithin(id * d, one * d, (one + 1) * d);
    changed++;
  }
  const next = tf.tensor2d(data, [vocab, d]);
  emb.assign(next);
  next.dispose();
  return changed;
}
