import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAtlas } from './atlas';
import { diagnoseGrounding, questionKind } from './groundingDiagnosis';
import { worldSample } from './tasks';

const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
const samples = Array.from({ length: 60 }, (_, i) => worldSample(atlas, 'grounding', 'base', 400 + i));
const boxText = (b: number[], size: number) => {
  const [x1, y1, x2, y2] = b.map((v) => Math.round((Math.min(Math.max(v, 0), size) / size) * 1000));
  return `<answer>(${x1},${y1}),(${x2},${y2})</answer>`;
};
const total = (d: ReturnType<typeof diagnoseGrounding>, k: 'hit' | 'other' | 'loose' | 'miss') => Object.values(d).reduce((s, r) => s + r[k], 0);

describe('diagnoseGrounding', () => {
  it('names the kinds of question', () => {
    expect(questionKind(['the', 'largest', 'red', 'object'])).toBe('largest of a colour');
    expect(questionKind(['the', 'object', 'left', 'of', 'the', 'blue', 'star'])).toBe('left of');
    expect(questionKind(['something', 'you', 'can', 'eat'])).toBe('can eat');
    expect(questionKind(['the', 'cat'])).toBe('by name');
  });

  it('counts the world’s own answers as hits, and sorts wrong answers by what went wrong', () => {
    expect(total(diagnoseGrounding(samples, samples.map((s) => s.completion)), 'hit')).toBe(60);
    const multi = samples.filter((s) => s.scene.objects.some((o) => o !== s.targets![0] && iouApart(o.box, s.targets![0].box)));
    expect(multi.length).toBeGreaterThan(10);
    const other = multi.map((s) => boxText(s.scene.objects.find((o) => o !== s.targets![0] && iouApart(o.box, s.targets![0].box))!.box, s.scene.size));
    expect(total(diagnoseGrounding(multi, other), 'other')).toBe(multi.length);
    const loose = samples.map((s) => {
      const [x1, y1, x2, y2] = s.targets![0].box;
      return boxText([x1, y1, x2 + (x2 - x1), y2 + (y2 - y1)], s.scene.size);
    });
    const d = diagnoseGrounding(samples, loose);
    expect(total(d, 'loose') + total(d, 'miss') + total(d, 'other')).toBe(60);
    expect(total(d, 'loose')).toBeGreaterThan(40);
    expect(total(diagnoseGrounding(samples, samples.map(() => '<answer>none</answer>')), 'miss')).toBe(60);
  });
});

/** Two boxes that barely overlap, so one's box is not a hit on the other. */
function iouApart(a: number[], b: number[]): boolean {
  const inter = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  return inter < 0.2 * Math.min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]));
}
