import { describe, expect, it } from 'vitest';
import { readCompletion } from './readCompletion';

describe('readCompletion', () => {
  it('reads a detection answer into boxes with confidences, counting invalid entries', () => {
    const c = "<think> I see a cat and a dog. </think> <answer>[{'Position': [10, 20, 300, 400], 'Confidence': 0.9}, {'Position': [500, 500, 400, 600], 'Confidence': 1.00}, {'Position': [600, 100, 900, 300], 'Confidence': 1.00}]</answer>";
    const r = readCompletion('detection', c);
    expect(r.think).toBe('I see a cat and a dog.');
    expect(r.boxes).toEqual([{ box: [10, 20, 300, 400], confidence: 0.9 }, { box: [600, 100, 900, 300], confidence: 1 }]);
    expect([r.invalid, r.problem]).toEqual([1, null]);
  });

  it('reads No Objects as no boxes, and says why an unreadable answer is unreadable', () => {
    expect(readCompletion('detection', '<think> none </think> <answer>No Objects</answer>')).toMatchObject({ boxes: [], problem: null, answer: 'No Objects' });
    expect(readCompletion('detection', '<think> x </think> <answer>three cats</answer>').problem).toMatch(/neither `No Objects`/);
    expect(readCompletion('grounding', '<think> x </think>')).toMatchObject({ think: 'x', answer: null, problem: 'no <answer>…</answer> in the completion' });
  });

  it('reads a grounding box in 0–1000 and rejects an inverted one', () => {
    expect(readCompletion('grounding', '<think> left </think> <answer>(0,563),(313,859)</answer>').boxes).toEqual([{ box: [0, 563, 313, 859] }]);
    expect(readCompletion('grounding', '<think> left </think> <answer>(300,563),(100,859)</answer>').problem).toMatch(/no box/);
  });

  it('reads a classification label', () => {
    expect(readCompletion('classification', '<think> a flower </think> <answer> cherry blossom </answer>')).toMatchObject({ label: 'cherry blossom', boxes: [], problem: null });
    expect(readCompletion('classification', '<think> a flower </think> <answer> </answer>').problem).toBe('the answer is empty');
  });
});
