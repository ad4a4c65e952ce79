import { describe, expect, it } from 'vitest';
import { errorTypes } from './errorTypes';

const det = (boxes: number[][]) => `<think>x</think><answer>${boxes.length ? `[${boxes.map((b) => `{'Position': [${b.join(', ')}], 'Confidence': 0.9}`).join(', ')}]` : 'No Objects'}</answer>`;

describe('error types', () => {
  it('detection: miss, false box, loose box, and none for a tight answer', () => {
    const truth = det([[100, 100, 300, 300], [600, 600, 800, 800]]);
    expect(errorTypes('detection', det([[100, 100, 300, 300], [600, 600, 800, 800]]), truth)).toEqual([]);
    expect(errorTypes('detection', det([[100, 100, 300, 300]]), truth)).toEqual(['miss']);
    expect(errorTypes('detection', det([[100, 100, 300, 300], [600, 600, 800, 800], [0, 900, 50, 1000]]), truth)).toEqual(['false box']);
    // [150, 150, 400, 400] against [100, 100, 300, 300]: IoU 0.27, found but loose.
    expect(errorTypes('detection', det([[150, 150, 400, 400], [600, 600, 800, 800]]), truth)).toEqual(['loose box']);
    expect(errorTypes('detection', det([[10, 10, 20, 20]]), det([]))).toEqual(['false box']);
    expect(errorTypes('detection', det([]), det([]))).toEqual([]);
    expect(errorTypes('detection', 'no answer at all', truth)).toEqual(['miss']);
  });
  it('grounding and classification', () => {
    const g = (b: number[]) => `<answer>(${b[0]},${b[1]}),(${b[2]},${b[3]})</answer>`;
    expect(errorTypes('grounding', g([100, 100, 300, 300]), g([100, 100, 300, 300]))).toEqual([]);
    expect(errorTypes('grounding', g([150, 150, 400, 400]), g([100, 100, 300, 300]))).toEqual(['loose box']);
    expect(errorTypes('grounding', g([700, 700, 900, 900]), g([100, 100, 300, 300]))).toEqual(['miss', 'false box']);
    expect(errorTypes('grounding', 'nothing', g([100, 100, 300, 300]))).toEqual(['miss']);
    expect(errorTypes('classification', '<answer>cat</answer>', '<answer>cat</answer>')).toEqual([]);
    expect(errorTypes('classification', '<answer>dog</answer>', '<answer>cat</answer>')).toEqual(['wrong class']);
  });
});
