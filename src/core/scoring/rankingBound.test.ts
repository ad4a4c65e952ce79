import { describe, expect, it } from 'vitest';
import { detectionRankingBound } from './rankingBound';
import type { ScoreSample } from './types';

const list = (boxes: [number[], number][]) => `<answer>[${boxes.map(([b, c]) => `{'Position': [${b.join(', ')}], 'Confidence': ${c}}`).join(', ')}]</answer>`;
const sample = (id: number, solution: string): ScoreSample => ({ id, task: 'detection', width: 100, height: 100, image_id: id, category: 'cat', solution });

describe('detection ranking bound', () => {
  // One cat in image 2; image 1 has none. The policy hallucinates a cat in image 1 with more confidence than it
  // gives the right box in image 2.
  const samples = [sample(1, '<answer>No Objects</answer>'), sample(2, list([[[0, 0, 500, 500], 1]]))];
  const predictions = [
    { id: 1, completion: list([[[600, 600, 900, 900], 0.9]]) },
    { id: 2, completion: list([[[0, 0, 500, 500], 0.2]]) },
  ];

  it('ranks the same boxes by their true IoU: the wrong box first costs half the AP as written, nothing when ranked', () => {
    const b = detectionRankingBound(samples, predictions);
    // Written: false positive, then the exact box → precision 0.5 at recall 1 at every IoU threshold.
    expect(b.written.map).toBeCloseTo(0.5);
    expect(b.written.ap50).toBeCloseTo(0.5);
    expect(b.rankedByIou.map).toBeCloseTo(1);
    expect(b.rankedByIou.ap50).toBeCloseTo(1);
  });

  it('equals the written mAP when the confidences already rank boxes by their quality', () => {
    const b = detectionRankingBound(samples, [{ ...predictions[0], completion: list([[[600, 600, 900, 900], 0.1]]) }, predictions[1]]);
    expect(b.written.map).toBeCloseTo(1);
    expect(b.rankedByIou.map).toBeCloseTo(b.written.map);
  });

  it('cannot fix boxes that are wrong: a loose box stays below a tight one at strict thresholds', () => {
    // IoU 0.6 (300 × 500 inside 500 × 500): a hit at thresholds 0.5, 0.55 and 0.6 (COCO matches IoU ≥ t), a miss above.
    const loose = [{ id: 1, completion: '<answer>No Objects</answer>' }, { id: 2, completion: list([[[0, 0, 300, 500], 1]]) }];
    const b = detectionRankingBound(samples, loose);
    expect(b.rankedByIou.ap50).toBeCloseTo(1);
    expect(b.rankedByIou.map).toBeCloseTo(0.3);
    expect(b.rankedByIou.map).toBeCloseTo(b.written.map);
  });
});
