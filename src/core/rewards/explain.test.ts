import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { explainRewards } from './explain';
import { classificationCase, detectionCompletion, detectionSolution, groundingCase } from './fuzzCases.testutil';
import { taskRewards } from './registry';

describe('reward debugger', () => {
  it('on the seeded adversarial cases of the differential tests, gives the scorer’s rewards in both modes and never throws', () => {
    const rng = new Rng(20261201);
    for (let i = 0; i < 1500; i++) {
      const kind = rng.int(0, 5);
      const c = kind <= 3 ? (() => { const { solution, boxes } = detectionSolution(rng); return { task: 'detection' as const, completion: detectionCompletion(rng, boxes), solution }; })() : kind === 4 ? { task: 'classification' as const, ...classificationCase(rng) } : { task: 'grounding' as const, ...groundingCase(rng) };
      for (const mode of ['reference', 'strict'] as const) {
        const e = explainRewards(c.task, c.completion, c.solution, mode, { width: 640, height: 480 });
        expect(e.rewards).toEqual(taskRewards(c.task, c.completion, c.solution, mode));
        expect(e.steps.length).toBeGreaterThan(0);
      }
    }
  });

  it('shows the greedy matching in confidence order with the arithmetic', () => {
    const solution = "<answer>[{'Position': [100, 100, 400, 400], 'Confidence': 1}]</answer>";
    const completion = "<think>.</think> <answer>[{'Position': [600, 600, 700, 700], 'Confidence': 0.2}, {'Position': [110, 100, 400, 410], 'Confidence': 0.9}]</answer>";
    const e = explainRewards('detection', completion, solution, 'reference');
    expect(e.matches.map((m) => [m.confidence, m.matched])).toEqual([[0.9, true], [0.2, false]]);
    expect(e.arithmetic.accuracy_iou).toMatch(/^\(0\.9\d* \+ 0\) \/ max\(1 true, 2 predicted\) = 0\.4\d*$/);
    expect(e.arithmetic.accuracy_confidence).toBe('mean of 0.9, (1 − 0.2) = 0.85');
  });

  it('warns about pixel coordinates, whole-image boxes, empty answers, No Objects and bad confidences', () => {
    const solution = "<answer>[{'Position': [250, 250, 500, 500], 'Confidence': 1}]</answer>";
    // The same box written in the pixels of a 640×480 image.
    const pixels = explainRewards('detection', "<think>.</think> <answer>[{'Position': [160, 120, 320, 240], 'Confidence': 0.9}]</answer>", solution, 'reference', { width: 640, height: 480 });
    expect(pixels.warnings.join(' ')).toMatch(/fit 640×480 pixel coordinates/);
    const above = explainRewards('detection', "<think>.</think> <answer>[{'Position': [100, 100, 1800, 900], 'Confidence': 0.9}]</answer>", solution, 'reference');
    expect(above.warnings.join(' ')).toMatch(/coordinates above 1000/);
    const whole = explainRewards('detection', "<think>.</think> <answer>[{'Position': [0, 0, 1000, 1000], 'Confidence': 0.9}]</answer>", solution, 'reference');
    expect(whole.warnings.join(' ')).toMatch(/nearly the whole image/);
    const nan = explainRewards('detection', "<think>.</think> <answer>[{'Position': [250, 250, 500, 500], 'Confidence': NaN}]</answer>", solution, 'reference');
    expect(nan.warnings.join(' ')).toMatch(/confidence is NaN/);
    const none = explainRewards('detection', '<think>.</think> <answer>No Objects</answer>', '<answer>No Objects</answer>', 'reference');
    expect(none.rewards.accuracy_iou).toBe(0);
    expect(none.warnings.join(' ')).toMatch(/reference scores it 0/);
    const empty = explainRewards('classification', '<think>.</think> <answer></answer>', '<answer>daisy</answer>', 'reference');
    expect(empty.rewards.accuracy_cls).toBe(1);
    expect(empty.warnings.join(' ')).toMatch(/empty answer scores 1/);
    expect(explainRewards('classification', '<think>.</think> <answer></answer>', '<answer>daisy</answer>', 'strict').warnings).toEqual([]);
    // A clean right answer has no warning.
    expect(explainRewards('detection', "<think>.</think> <answer>[{'Position': [250, 250, 500, 500], 'Confidence': 0.9}]</answer>", solution, 'reference', { width: 640, height: 480 }).warnings).toEqual([]);
  });
});
