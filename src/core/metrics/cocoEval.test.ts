import { describe, expect, it } from 'vitest';
import { type CocoDet, type CocoGt, IOU_THRESHOLDS, RECALL_THRESHOLDS, cocoEvaluate } from './cocoEval';
import { completionToDetections } from './completionToDetections';
import { groundingMetrics } from './taskMetrics';

const g = (imageId: number, bbox: [number, number, number, number], categoryId = 1): CocoGt => ({ imageId, categoryId, bbox });
const d = (imageId: number, bbox: [number, number, number, number], score: number, categoryId = 1): CocoDet => ({ imageId, categoryId, bbox, score });

describe('COCO thresholds', () => {
  it('are numpy.linspace values, not i/100', () => {
    expect(IOU_THRESHOLDS[8]).toBe(0.8999999999999999);
    expect(IOU_THRESHOLDS[9]).toBe(0.95);
    expect(RECALL_THRESHOLDS[70]).toBe(0.7000000000000001);
    expect(RECALL_THRESHOLDS[100]).toBe(1);
  });
});

describe('cocoEvaluate (hand-computed)', () => {
  it('a perfect detection has AP 1', () => {
    const r = cocoEvaluate([1], [1], [g(1, [0, 0, 10, 10])], [d(1, [0, 0, 10, 10], 0.9)]);
    expect(r.map).toBeCloseTo(1, 12);
    expect(r.ap50).toBeCloseTo(1, 12);
  });

  it('an IoU of 0.72 is a hit at the five thresholds 0.50…0.70 only', () => {
    // [0,0,10,10] vs [0,0,10,7.2]: IoU 0.72.
    const r = cocoEvaluate([1], [1], [g(1, [0, 0, 10, 10])], [d(1, [0, 0, 10, 7.2], 0.9)]);
    expect(r.map).toBeCloseTo(0.5, 12);
    expect(r.ap50).toBeCloseTo(1, 12);
  });

  it('breaks tied scores by detection order (stable sort)', () => {
    const gt = [g(1, [0, 0, 10, 10])];
    const fp = d(1, [50, 50, 10, 10], 0.5);
    const tp = d(1, [0, 0, 10, 10], 0.5);
    // FP first: precision [0, 1/2] → made monotone [1/2, 1/2] → AP 0.5.
    expect(cocoEvaluate([1], [1], gt, [fp, tp]).map).toBeCloseTo(0.5, 12);
    // TP first: precision 1 at recall 1 → AP 1.
    expect(cocoEvaluate([1], [1], gt, [tp, fp]).map).toBeCloseTo(1, 12);
  });

  it('counts detections on an image without ground truth as false positives', () => {
    const r = cocoEvaluate([1, 2], [1], [g(1, [0, 0, 10, 10])], [d(2, [0, 0, 10, 10], 0.9), d(1, [0, 0, 10, 10], 0.8)]);
    expect(r.map).toBeCloseTo(0.5, 12);
  });

  it('gives AP 0 to a category without predictions and excludes a category without ground truth', () => {
    const r = cocoEvaluate([1], [1, 2, 3], [g(1, [0, 0, 10, 10], 1), g(1, [0, 0, 10, 10], 2)], [d(1, [0, 0, 10, 10], 0.9, 1), d(1, [0, 0, 5, 5], 0.9, 3)]);
    expect(r.perCategory.get(1)?.ap).toBeCloseTo(1, 12); // 1 / (1 + eps), as pycocotools gives
    expect(r.perCategory.get(2)).toEqual({ ap: 0, ap50: 0 });
    expect(r.perCategory.get(3)).toEqual({ ap: -1, ap50: -1 });
    expect(r.map).toBeCloseTo(0.5, 12);
  });

  it('keeps only the 100 highest-scoring detections per image and category', () => {
    const gt = [g(1, [0, 0, 10, 10])];
    const fps = Array.from({ length: 100 }, (_, i) => d(1, [100 + i, 100, 5, 5], 0.9));
    expect(cocoEvaluate([1], [1], gt, [...fps, d(1, [0, 0, 10, 10], 0.1)]).map).toBe(0);
    expect(cocoEvaluate([1], [1], gt, [...fps, d(1, [0, 0, 10, 10], 0.95)]).map).toBeCloseTo(1, 12);
  });

  it('reads precision at recall thresholds with a left-side search', () => {
    // Two GT, one found: recall 0.5 → thresholds 0.00…0.50 (51 of 101) get precision 1.
    const r = cocoEvaluate([1], [1], [g(1, [0, 0, 10, 10]), g(1, [50, 50, 10, 10])], [d(1, [0, 0, 10, 10], 0.9)]);
    expect(r.ap50).toBeCloseTo(51 / 101, 12);
  });

  it('ignores an unmatched detection with negative area instead of counting a false positive', () => {
    const gt = [g(1, [0, 0, 10, 10])];
    const inverted = d(1, [60, 60, -10, 10], 0.99);
    expect(cocoEvaluate([1], [1], gt, [inverted, d(1, [0, 0, 10, 10], 0.5)]).map).toBeCloseTo(1, 12);
  });
});

describe('completionToDetections', () => {
  it('converts 0–1000 corners to pixel [x, y, w, h] and keeps Confidence as given', () => {
    const dets = completionToDetections("<answer>[{'Position': [100, 200, 300, 600], 'Confidence': 1.5}]</answer>", 640, 480);
    expect(dets).toEqual([{ bbox: [64, 96, 128, 192], score: 1.5 }]);
  });
  it('removes ", ..." and newlines everywhere, and stops at the first bad box', () => {
    const text = "<answer>[{'Position': [0, 0, 10, 10], 'Confidence': 0.5},\n {'Position': [0, 0, 10], 'Confidence': 0.5}, {'Position': [5, 5, 9, 9], 'Confidence': 0.5}, ...]</answer>";
    expect(completionToDetections(text, 1000, 1000)).toEqual([{ bbox: [0, 0, 10, 10], score: 0.5 }]);
  });
  it('yields nothing for No Objects or a list of strings', () => {
    expect(completionToDetections('<answer>No Objects</answer>', 100, 100)).toEqual([]);
    expect(completionToDetections("<answer>['cat']</answer>", 100, 100)).toEqual([]);
  });
});

describe('groundingMetrics', () => {
  it('computes mIoU, Acc@0.5 and cIoU in pixels, with an unparsable answer counting as IoU 0', () => {
    const gt: [number, number, number, number] = [0, 0, 0.5, 0.5];
    const m = groundingMetrics([
      { gt, pred: [0, 0, 0.5, 0.5], width: 100, height: 100 },
      { gt, pred: [0, 0, 0.25, 0.5], width: 100, height: 100 },
      { gt, pred: null, width: 100, height: 100 },
    ]);
    expect(m.miou).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(m.acc50).toBeCloseTo(2 / 3, 12);
    expect(m.ciou).toBeCloseTo((2500 + 1250) / (2500 + 2500 + 2500), 12);
  });
});
