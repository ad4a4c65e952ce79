import { describe, expect, it } from 'vitest';
import { scoreSamples } from './scoreSamples';
import type { ScoreSample } from './types';

const sol = "<answer>[{'Position': [0, 0, 100, 100], 'Confidence': 1}]</answer>";
const hit = "<answer>[{'Position': [0, 0, 100, 100], 'Confidence': 0.5}]</answer>";
const miss = "<answer>[{'Position': [500, 500, 600, 600], 'Confidence': 0.5}]</answer>";

function twoImages(ids: [string | number, string | number]): ScoreSample[] {
  return ids.map((image_id, i) => ({ id: `s${i}`, task: 'detection', width: 100, height: 100, image_id, category: 'cat', solution: i === 0 ? '<answer>No Objects</answer>' : sol }));
}

describe('scoreSamples', () => {
  it('breaks score ties between images in sorted image-id order, as COCOeval does', () => {
    // Image "b" (the false positive) sorts after "a" (the hit) by code point although it comes first in the file.
    const samples = twoImages(['b', 'a']);
    const preds = [
      { id: 's0', completion: miss },
      { id: 's1', completion: hit },
    ];
    expect(scoreSamples(samples, preds, 'reference').metrics.detection!.ap50).toBeCloseTo(1, 12);
    // Numeric ids sort numerically: 10 after 9, so the false positive (image 10) comes second as well.
    expect(scoreSamples(twoImages([10, 9]), preds, 'reference').metrics.detection!.ap50).toBeCloseTo(1, 12);
    expect(scoreSamples(twoImages([1, 2]), preds, 'reference').metrics.detection!.ap50).toBeCloseTo(0.5, 12);
  });

  it('reports only the tasks present and scores a missing prediction as empty', () => {
    const r = scoreSamples([{ id: 1, task: 'grounding', width: 10, height: 10, solution: '<answer>(0,0),(500,500)</answer>' }], [], 'strict');
    expect(Object.keys(r.metrics)).toEqual(['grounding']);
    expect(r.missing).toEqual([1]);
    expect(r.samples[0].rewards).toEqual({ format: 0, grounding_iou: 0, grounding_giou: 0 });
    expect(r.metrics.grounding).toEqual({ miou: 0, acc50: 0, ciou: 0 });
  });
});
