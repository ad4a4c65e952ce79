import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracyCls } from './classification';
import { referenceDetectionScores } from './detectionReference';
import { strictDetectionScores } from './detectionStrict';
import { FORMAT_REGEX_LITERAL, formatReward } from './format';
import { groundingScores } from './grounding';
import { REWARD_RANGES, rewardFunction, taskRewards, totalReward } from './registry';
import { REWARD_MODES, REWARD_NAMES } from './types';

const box = (p: (number | string)[], c: number | string) => `{'Position': [${p.join(', ')}], 'Confidence': ${c}}`;
const answer = (...boxes: string[]) => `<think>t</think><answer>[${boxes.join(', ')}]</answer>`;
const gt = (...boxes: number[][]) => `<answer>[${boxes.map((b) => box(b, 1)).join(', ')}]</answer>`;
const ref = referenceDetectionScores;

describe('format reward', () => {
  it('accepts the think/answer form with any whitespace between, and nothing around it', () => {
    expect(formatReward('<think>a</think><answer>b</answer>')).toBe(1);
    expect(formatReward('<think>a\nb</think> \n\u2003<answer>x\ny</answer>')).toBe(1);
    expect(formatReward('<think></think>\u0085<answer></answer>')).toBe(1); // U+0085 is Python whitespace
    expect(formatReward('<think></think>\ufeff<answer></answer>')).toBe(0); // U+FEFF is not
    expect(formatReward(' <think>a</think><answer>b</answer>')).toBe(0);
    expect(formatReward('<think>a</think><answer>b</answer>\n')).toBe(0);
    expect(formatReward('<think>a</think>x<answer>b</answer>')).toBe(0);
    expect(formatReward('<answer>b</answer>')).toBe(0);
  });

  it('equals the literal fullmatch regex on arbitrary tag soup', () => {
    const piece = fc.constantFrom('<think>', '</think>', '<answer>', '</answer>', ' ', '\n', 'a', '\u0085', '<');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const s = parts.join('');
        expect(formatReward(s)).toBe(FORMAT_REGEX_LITERAL.test(s) ? 1 : 0);
      }),
      { numRuns: 3000, seed: 1 },
    );
  });
});

describe('reference detection rewards', () => {
  const one = gt([100, 100, 200, 200]);

  it('scores a perfect single box 1 and 1', () => {
    expect(ref(answer(box([100, 100, 200, 200], 1.0)), one)).toEqual({ accuracy_iou: 1, accuracy_confidence: 1 });
  });

  it('normalises by max(n_pred, n_gt) and rewards 1 − c for unmatched boxes', () => {
    const r = ref(answer(box([100, 100, 200, 200], 0.8), box([500, 500, 600, 600], 0.4)), one);
    expect(r.accuracy_iou).toBeCloseTo(1 / 2, 12);
    expect(r.accuracy_confidence).toBeCloseTo((0.8 + 0.6) / 2, 12);
  });

  it('matches greedily in confidence order at IoU > 0.5 (exactly 0.5 is a miss)', () => {
    // IoU of [0,0,100,100] and [0,0,100,50] is exactly 0.5.
    expect(ref(answer(box([0, 0, 100, 50], 0.9)), gt([0, 0, 100, 100])).accuracy_iou).toBe(0);
    // The higher-confidence box claims the GT first, even though the other fits better.
    const r = ref(answer(box([0, 0, 100, 90], 0.3), box([0, 0, 100, 70], 0.9)), gt([0, 0, 100, 100]));
    expect(r.accuracy_iou).toBeCloseTo(0.7 / 2, 12);
  });

  it('folds [[ and ]], repairs a truncated list and accepts single quotes', () => {
    expect(ref(`<answer>[[{'Position': [100, 100, 200, 200], 'Confidence': 1}]]</answer>`, one).accuracy_iou).toBe(1);
    const truncated = `<answer>[{'Position': [100, 100, 200, 200], 'Confidence': 1}, {'Position': [5, 5</answer>`;
    expect(ref(truncated, one).accuracy_iou).toBe(1);
    // Without a closing tag the whole completion is wrapped again, so "<answer>" lands inside the JSON: 0.
    expect(ref(truncated.replace('</answer>', ''), one).accuracy_iou).toBe(0);
  });

  it('reads the answer without DOTALL: a newline inside the tags hides the answer', () => {
    // No match → the whole completion is wrapped, so the JSON starts with "<think>": 0 (CPython agrees).
    const multi = `<think>x</think><answer>[{'Position': [100, 100, 200, 200],\n 'Confidence': 1}]</answer>`;
    expect(ref(multi, one).accuracy_iou).toBe(0);
    // Without the think part the wrapped text still parses once the newline is removed.
    expect(ref(multi.replace('<think>x</think>', ''), one).accuracy_iou).toBe(0);
    // \r is not a line break to Python's '.': the answer is still found.
    expect(ref(`<answer>[{'Position': [100, 100, 200, 200],\r 'Confidence': 1}]</answer>`, one).accuracy_iou).toBe(1);
  });

  it('drops duplicate Positions with Python equality (1 == 1.0 == true)', () => {
    const r = ref(answer(box([1, 100, 200, 200], 0.9), box(['1.0', 100, 200, 200], 0.9), box(['true', 100, 200, 200], 0.9)), gt([1, 100, 200, 200]));
    expect(r).toEqual({ accuracy_iou: 1, accuracy_confidence: 0.9 });
  });

  it('gives 0 for No Objects, empty lists, non-dict first elements and string confidences', () => {
    expect(ref('<answer>No Objects</answer>', '<answer>No Objects</answer>')).toEqual({ accuracy_iou: 0, accuracy_confidence: 0 });
    expect(ref('<answer>[]</answer>', one).accuracy_iou).toBe(0);
    expect(ref('<answer>[[1, 2, 3, 4]]</answer>', one).accuracy_iou).toBe(0);
    expect(ref(answer(box([100, 100, 200, 200], "'0.9'")), one).accuracy_iou).toBe(0);
    expect(ref(answer(box([100, 100, 200, 200], 0.9), '[1, 2]'), one).accuracy_iou).toBe(0);
  });

  it('turns NaN into 0 and clamps confidences outside [0, 1]', () => {
    expect(ref(answer(box([100, 100, 200, 200], 'NaN')), one).accuracy_confidence).toBe(0);
    expect(ref(answer(box([100, 100, 200, 200], 'NaN')), one).accuracy_iou).toBe(1);
    expect(ref(answer(box([100, 100, 200, 200], 7)), one).accuracy_confidence).toBe(1);
    expect(ref(answer(box([500, 500, 600, 600], 7)), one).accuracy_confidence).toBe(0);
  });

  it('raises (→ 0) on str/number comparisons but not on str-only comparisons that end early', () => {
    expect(ref(`<answer>[{'Position': '1234', 'Confidence': 1}]</answer>`, one).accuracy_iou).toBe(0);
  });
});

describe('strict detection rewards', () => {
  const one = gt([100, 100, 200, 200]);
  it('rewards No Objects on an empty sample and punishes any box there', () => {
    expect(strictDetectionScores('<think>t</think><answer>No Objects</answer>', '<answer>No Objects</answer>')).toEqual({ accuracy_iou: 1, accuracy_confidence: 1 });
    expect(strictDetectionScores(answer(box([1, 1, 5, 5], 0.9)), '<answer>No Objects</answer>').accuracy_iou).toBe(0);
    expect(strictDetectionScores('<answer>No Objects</answer>', one)).toEqual({ accuracy_iou: 0, accuracy_confidence: 0 });
  });

  it('counts invalid boxes as wrong predictions that earn nothing', () => {
    const r = strictDetectionScores(answer(box([100, 100, 200, 200], 0.9), box([100, 100, 200, 2000], 0.9), box([300, 300, 400, 400], 'NaN')), one);
    expect(r.accuracy_iou).toBeCloseTo(1 / 3, 12);
    expect(r.accuracy_confidence).toBeCloseTo(0.9 / 3, 12);
    expect(strictDetectionScores(answer(box([200, 100, 100, 200], 0.9)), one).accuracy_iou).toBe(0);
  });

  it('reads answers across newlines', () => {
    expect(strictDetectionScores(`<answer>[{'Position': [100, 100, 200, 200],\n 'Confidence': 1}]</answer>`, one).accuracy_iou).toBe(1);
  });
});

describe('classification reward', () => {
  it('reference: substring either way after removing spaces/_ and lowercasing; empty answer scores 1', () => {
    expect(accuracyCls('<answer>Stop Sign</answer>', '<answer>stop_sign</answer>', 'reference')).toBe(1);
    expect(accuracyCls('<answer>a caterpillar</answer>', '<answer>cat</answer>', 'reference')).toBe(1);
    expect(accuracyCls('<answer></answer>', '<answer>cat</answer>', 'reference')).toBe(1);
    expect(accuracyCls('<answer>dog</answer>', '<answer>cat</answer>', 'reference')).toBe(0);
  });
  it('strict: exact after normalisation, tags required, empty is wrong', () => {
    expect(accuracyCls('<answer>Stop Sign</answer>', '<answer>stop_sign</answer>', 'strict')).toBe(1);
    expect(accuracyCls('<answer>caterpillar</answer>', '<answer>cat</answer>', 'strict')).toBe(0);
    expect(accuracyCls('<answer> </answer>', '<answer>cat</answer>', 'strict')).toBe(0);
    expect(accuracyCls('cat', '<answer>cat</answer>', 'strict')).toBe(0);
  });
});

describe('grounding rewards', () => {
  const sol = '<answer>(100,100),(300,300)</answer>';
  it('scores GIoU + 1 and IoU of the first corners', () => {
    expect(groundingScores('<answer>(100,100),(300,300)</answer>', sol, 'reference')).toEqual({ grounding_giou: 2, grounding_iou: 1 });
    const r = groundingScores('<answer>(200, 100) , (400,300)</answer>', sol, 'reference');
    expect(r.grounding_iou).toBeCloseTo(1 / 3, 12);
    expect(r.grounding_giou).toBeCloseTo(1 + 1 / 3 - (0.06 - 0.06) / 0.06, 12);
  });
  it('pairs the first corners of two boxes, as the reference does', () => {
    // points = (100,100), (500,500), (300,300), (600,600) → box (100,100)-(500,500)
    const r = groundingScores('<answer>(100,100),(300,300) (500,500),(600,600)</answer>', sol, 'reference');
    expect(r.grounding_iou).toBeCloseTo(0.04 / 0.16, 12);
  });
  it('parses Unicode digits as Python int() does, and returns 2 on an exact string match', () => {
    expect(groundingScores('<answer>(١٠٠,100),(300,300)</answer>', sol, 'reference').grounding_iou).toBe(1);
    expect(groundingScores('<answer>no box</answer>', '<answer>no box</answer>', 'reference').grounding_giou).toBe(2);
    expect(groundingScores('<answer>no box</answer>', sol, 'reference').grounding_giou).toBe(0);
  });
  it('strict mode rejects inverted and out-of-range boxes', () => {
    expect(groundingScores('<answer>(300,300),(100,100)</answer>', sol, 'strict').grounding_giou).toBe(0);
    expect(groundingScores('<answer>(100,100),(3000,300)</answer>', sol, 'strict').grounding_giou).toBe(0);
    expect(groundingScores('<answer>(100,100),(300,300)</answer>', sol, 'strict')).toEqual({ grounding_giou: 2, grounding_iou: 1 });
  });
});

describe('every reward is total', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.array(fc.constantFrom('<think>', '</think>', '<answer>', '</answer>', '[', ']', '[[', '{', '}', "'Position'", "'Confidence'", ':', ',', '1', '0.5', 'NaN', '-Infinity', 'true', 'null', '"', "'", '(', ')', '\n', ' ', '1000', '١', 'No Objects'), { maxLength: 40 }).map((a) => a.join('')),
  );
  for (const mode of REWARD_MODES) {
    for (const name of REWARD_NAMES) {
      it(`${name} (${mode}) returns a finite number in range for any strings`, () => {
        const fn = rewardFunction(name, mode);
        const [lo, hi] = REWARD_RANGES[name];
        fc.assert(
          fc.property(text, text, (c, s) => {
            const v = fn(c, s);
            expect(Number.isFinite(v)).toBe(true);
            expect(v).toBeLessThanOrEqual(hi);
            if (!(name === 'grounding_giou' && mode === 'reference')) expect(v).toBeGreaterThanOrEqual(lo);
          }),
          { numRuns: 1500, seed: 42 },
        );
      });
    }
  }

  it('sums weighted rewards', () => {
    const r = taskRewards('classification', '<think>a</think><answer>cat</answer>', '<answer>cat</answer>', 'reference');
    expect(totalReward(r, ['accuracy_cls', 'format'])).toBe(2);
    expect(totalReward(r, ['accuracy_cls', 'format'], { format: 0.5 })).toBe(1.5);
  });
});
