import { describe, expect, it } from 'vitest';
import { squareRgbFromRgba } from './resize';

describe('squareRgbFromRgba', () => {
  it('averages the area each output pixel covers, with fractional edges, and stretches to a square', () => {
    // 3×2 RGBA: red, green, blue / white, black, white.
    const px = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255];
    const one = squareRgbFromRgba(px, 3, 2, 1);
    expect(Array.from(one).map((v) => +v.toFixed(4))).toEqual([(255 + 255 + 255) / 6 / 255, (255 + 255 + 255) / 6 / 255, (255 + 255 + 255) / 6 / 255].map((v) => +v.toFixed(4)));
    const two = squareRgbFromRgba(px, 3, 2, 2);
    // Top-left output pixel: red and half of green (1.5 source pixels wide, one row).
    expect(two[0]).toBeCloseTo(255 / 1.5 / 255, 6);
    expect(two[1]).toBeCloseTo((0.5 * 255) / 1.5 / 255, 6);
    expect(two[2]).toBeCloseTo(0, 6);
    // An upscale repeats pixels.
    const up = squareRgbFromRgba([10, 20, 30, 255], 1, 1, 3);
    expect(Array.from(up).every((v, i) => Math.abs(v - [10, 20, 30][i % 3] / 255) < 1e-6)).toBe(true);
  });

  it('refuses an image without pixels or with too few values', () => {
    expect(() => squareRgbFromRgba([], 0, 4, 8)).toThrow(/no pixels/);
    expect(() => squareRgbFromRgba([1, 2, 3], 1, 1, 8)).toThrow(/RGBA/);
  });
});
