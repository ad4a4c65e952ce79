import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAtlas } from './atlas';
import { fewShotSamples } from './fewShot';
import { splitCategories } from './tasks';

const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
const classes = splitCategories('detection', 'novel');

describe('few-shot sets', () => {
  it('holds `shots` images per class, each asking about its own class, which it contains', () => {
    const set = fewShotSamples(atlas, { task: 'detection', split: 'novel', classes, shots: 2, seed: 1 });
    expect(set).toHaveLength(2 * classes.length);
    for (const [i, s] of set.entries()) {
      expect(s.category).toBe(classes[Math.floor(i / 2)]);
      expect(s.targets.length).toBeGreaterThan(0);
    }
  });

  it('adds queries about absent classes of the set on the same images, answered No Objects, in the asked share', () => {
    const plain = fewShotSamples(atlas, { task: 'detection', split: 'novel', classes, shots: 8, seed: 3 });
    const set = fewShotSamples(atlas, { task: 'detection', split: 'novel', classes, shots: 8, seed: 3, absentShare: 0.25 });
    const negatives = set.filter((s) => s.targets.length === 0);
    expect(set.length - negatives.length).toBe(plain.length);
    expect(negatives.length / set.length).toBeGreaterThan(0.18);
    expect(negatives.length / set.length).toBeLessThan(0.32);
    for (const n of negatives) {
      expect(classes).toContain(n.category);
      expect(n.scene.objects.some((o) => o.label === n.category)).toBe(false);
      expect(n.solution).toBe('<answer>No Objects</answer>');
      expect(n.completion).toMatch(/There are no .*<answer>No Objects<\/answer>$/);
      // The negative reuses a shot image: no image outside the K-shot set.
      expect(set.some((s) => s !== n && s.scene === n.scene && s.targets.length > 0)).toBe(true);
    }
  });

  it('is the same set from the same seed and rejects a share outside [0, 1)', () => {
    const a = fewShotSamples(atlas, { task: 'detection', split: 'novel', classes, shots: 1, seed: 7, absentShare: 0.25 });
    const b = fewShotSamples(atlas, { task: 'detection', split: 'novel', classes, shots: 1, seed: 7, absentShare: 0.25 });
    expect(a.map((s) => s.solution + s.category)).toEqual(b.map((s) => s.solution + s.category));
    expect(() => fewShotSamples(atlas, { task: 'detection', split: 'novel', classes, shots: 1, seed: 7, absentShare: 1 })).toThrow(/absentShare/);
  });
});
