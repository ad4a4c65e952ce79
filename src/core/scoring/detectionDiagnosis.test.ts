import { describe, expect, it } from 'vitest';
import { confidenceSummary, diagnoseDetection } from './detectionDiagnosis';

const ans = (boxes: number[][]) => `<answer>${boxes.length ? `[${boxes.map((b) => `{'Position': [${b.join(', ')}], 'Confidence': 1}`).join(', ')}]` : 'No Objects'}</answer>`;

describe('detection diagnosis', () => {
  it('splits errors into finding, tightness, absent categories and counts', () => {
    const d = diagnoseDetection([
      // Two true boxes: one found exactly, one missed; one prediction short.
      { solution: ans([[0, 0, 100, 100], [500, 500, 600, 600]]), completion: ans([[0, 0, 100, 100]]) },
      // One true box found loosely (IoU 0.4: 40 × 100 of 100 × 100), plus a spurious one.
      { solution: ans([[0, 0, 100, 100]]), completion: ans([[0, 0, 40, 100], [700, 700, 800, 800]]) },
      // Absent category: one answered "No Objects", one hallucinated.
      { solution: ans([]), completion: ans([]) },
      { solution: ans([]), completion: ans([[10, 10, 20, 20]]) },
      // Present, answered "No Objects"; and an unparseable answer counts as no boxes.
      { solution: ans([[200, 200, 300, 300]]), completion: ans([]) },
      { solution: ans([[200, 200, 300, 300]]), completion: '<answer>[{oops' },
    ]);
    expect(d).toMatchObject({ samples: 6, absent: 2, absentAnsweredEmpty: 1, present: 4, presentAnsweredEmpty: 2, countUnder: 3, countRight: 0, countOver: 1, gtBoxes: 5 });
    expect(d.recall['0.3']).toBeCloseTo(2 / 5);
    expect(d.recall['0.5']).toBeCloseTo(1 / 5);
    expect(d.recall['0.75']).toBeCloseTo(1 / 5);
    expect(d.meanBestIou).toBeCloseTo((1 + 0.4) / 5);
    // Every box written, on present and absent samples alike.
    expect(d.confidences).toEqual({ '1.00': 4 });
  });

  it('counts the confidences written, the most frequent first', () => {
    const c = (v: string) => ({ solution: '<answer>No Objects</answer>', completion: `<answer>[{'Position': [0, 0, 10, 10], 'Confidence': ${v}}, {'Position': [5, 5, 20, 20], 'Confidence': 0.9}]</answer>` });
    const d = diagnoseDetection([c('0.9'), c('0.25'), c('1.5')]);
    expect(d.confidences).toEqual({ '0.90': 4, '0.25': 1 });
    expect(confidenceSummary(d.confidences)).toBe('0.90 × 4, 0.25 × 1');
    expect(confidenceSummary({})).toBe('no boxes');
  });

  it('is all zeros for no samples', () => {
    expect(diagnoseDetection([])).toMatchObject({ samples: 0, gtBoxes: 0, meanBestIou: 0, recall: { '0.3': 0, '0.5': 0, '0.75': 0 } });
  });
});
