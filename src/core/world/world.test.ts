import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../model/tokenizer';
import { taskRewards } from '../rewards/registry';
import { TASKS } from '../rewards/types';
import { decodeAtlas, encodeAtlas } from './atlas';
import { evalSamples, trainingBatch } from './batches';
import { CATEGORIES } from './catalog';
import { WORLD_SPLITS, isNovelCombo, worldSample, worldVocabulary } from './tasks';

const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
const tok = new Tokenizer({ coordBins: 1001, words: worldVocabulary() });

describe('the world', () => {
  it('ships an atlas with one sprite per catalogue category', () => {
    expect(atlas.names).toEqual(CATEGORIES.map((c) => c.name));
    expect(decodeAtlas(encodeAtlas(atlas)).pixels).toEqual(atlas.pixels);
    expect(() => decodeAtlas(new Uint8Array(20))).toThrow(/bad magic/);
  });

  it('renders the same sample from the same seed, and another from another seed', () => {
    const a = worldSample(atlas, 'detection', 'base', 42);
    const b = worldSample(atlas, 'detection', 'base', 42);
    const c = worldSample(atlas, 'detection', 'base', 43);
    expect(b.scene.image).toEqual(a.scene.image);
    expect(b.completion).toBe(a.completion);
    expect(c.scene.image).not.toEqual(a.scene.image);
  });

  it('asks about an absent category at the requested share, and the default replays the held-out sets', () => {
    const absentOf = (share?: number) => Array.from({ length: 400 }, (_, i) => worldSample(atlas, 'detection', 'base', 5000 + i, undefined, share)).filter((s) => s.targets!.length === 0).length / 400;
    expect(absentOf()).toBeGreaterThan(0.18);
    expect(absentOf()).toBeLessThan(0.32);
    expect(absentOf(0.5)).toBeGreaterThan(0.42);
    expect(absentOf(0.5)).toBeLessThan(0.58);
    expect(absentOf(0)).toBe(0);
    expect(worldSample(atlas, 'detection', 'base', 7, undefined, 0.25).completion).toBe(worldSample(atlas, 'detection', 'base', 7).completion);
    expect(() => worldSample(atlas, 'detection', 'base', 7, undefined, 1)).toThrow(/absentShare/);
  });

  for (const task of TASKS) {
    for (const split of WORLD_SPLITS) {
      it(`${task}/${split}: boxes inside the image, words in the vocabulary, completions graded perfect`, () => {
        for (let i = 0; i < 40; i++) {
          const s = worldSample(atlas, task, split, 1000 + i);
          for (const o of s.scene.objects) {
            expect(o.box[0]).toBeGreaterThanOrEqual(0);
            expect(o.box[2]).toBeLessThanOrEqual(s.scene.size);
            expect(o.box[2]).toBeGreaterThan(o.box[0]);
          }
          const ids = tok.tokenize(s.completion);
          expect(ids, s.completion).not.toContain(tok.id('unk'));
          expect(s.promptWords.every((w) => tok.hasWord(w)), s.promptWords.join(' ')).toBe(true);
          expect(tok.detokenize(ids)).toBe(s.completion);
          const r = taskRewards(task, s.completion, s.solution, 'strict');
          expect(r.format).toBe(1);
          if (task === 'detection') expect(r.accuracy_iou).toBe(1);
          if (task === 'classification') expect(r.accuracy_cls).toBe(1);
          if (task === 'grounding') expect(r.grounding_iou).toBe(1);
        }
      });
    }
  }

  it('keeps novel categories and colour×shape combinations out of the base split', () => {
    const novel = new Set(CATEGORIES.filter((c) => c.split === 'novel').map((c) => c.name));
    for (let i = 0; i < 200; i++) {
      const s = worldSample(atlas, i % 2 ? 'detection' : 'grounding', 'base', i);
      for (const o of s.scene.objects) {
        if (o.category) expect(novel.has(o.category.name)).toBe(false);
        if (o.shape && o.color) expect(isNovelCombo(o.color, o.shape)).toBe(false);
      }
    }
    const d = worldSample(atlas, 'detection', 'novel', 5);
    expect(novel.has(d.category as string)).toBe(true);
  });

  it('builds deterministic batches and disjoint eval sets', () => {
    const a = trainingBatch(atlas, tok, { seed: 1, step: 7, size: 8, imageSize: 64 });
    const b = trainingBatch(atlas, tok, { seed: 1, step: 7, size: 8, imageSize: 64 });
    expect(a.completions).toEqual(b.completions);
    expect(a.completions.every((c) => c[c.length - 1] === tok.id('eos'))).toBe(true);
    const e = evalSamples(atlas, 'grounding', 'base', 4);
    expect(e.map((s) => s.completion)).toEqual(evalSamples(atlas, 'grounding', 'base', 4).map((s) => s.completion));
  });

  it('renders the same scene at 128 px as at 64 px, twice the size: same objects, boxes, answers', () => {
    let sameText = 0;
    const diffs: number[] = [];
    for (let i = 0; i < 60; i++) {
      const task = (['detection', 'classification', 'grounding'] as const)[i % 3];
      const small = worldSample(atlas, task, i % 2 ? 'base' : 'ood', 500 + i);
      const large = worldSample(atlas, task, i % 2 ? 'base' : 'ood', 500 + i, undefined, undefined, 128);
      expect(large.scene.size).toBe(128);
      expect(large.scene.objects.map((o) => o.label)).toEqual(small.scene.objects.map((o) => o.label));
      large.scene.objects.forEach((o, k) => o.box.forEach((v, j) => diffs.push(Math.abs(v - 2 * small.scene.objects[k].box[j]))));
      if (large.completion === small.completion) sameText++;
    }
    // Tight boxes of anti-aliased sprites move by a pixel or two with the resolution; the layout does not.
    expect(Math.max(...diffs)).toBeLessThanOrEqual(6);
    expect(diffs.reduce((a, b) => a + b, 0) / diffs.length).toBeLessThan(1.5);
    // Coordinates are rounded to 0–1000 from pixel boxes of either size, so some answers differ by a bin.
    expect(sameText).toBeGreaterThan(15);
  });
});
