import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAtlas } from './atlas';
import { worldSample } from './tasks';
import { traceAgreement, tracedLabels } from './traceAgreement';

const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));

describe('traceAgreement', () => {
  it('reads the labels of an "I see" list', () => {
    expect(tracedLabels('<think> I see a yellow heart, a mouse and an apple. There is one mouse. </think>')).toEqual(['yellow heart', 'mouse', 'apple']);
    expect(tracedLabels('<think> I see a cow. There are no dogs. </think>')).toEqual(['cow']);
    expect(tracedLabels('<answer>No Objects</answer>')).toBeNull();
  });

  it('finds the world’s own traces in agreement with their scenes and answers', () => {
    const samples = Array.from({ length: 60 }, (_, i) => worldSample(atlas, 'detection', 'base', 300 + i));
    const a = traceAgreement(samples, samples.map((s) => s.completion));
    expect(a.traced).toBe(60);
    expect(a.namedObjects).toBe(a.sceneObjects);
    expect(a.hallucinated).toBe(0);
    expect(a.absent).toBeGreaterThan(5);
    expect(a.absentNamed).toBe(0);
    expect(a.absentBoxed).toBe(0);
  });

  it('separates a false box the trace announced from one that contradicts the trace', () => {
    const s = Array.from({ length: 80 }, (_, i) => worldSample(atlas, 'detection', 'base', 900 + i)).find((x) => x.targets!.length === 0 && x.scene.objects.length >= 1)!;
    const seen = s.scene.objects.map((o) => `a ${o.label}`).join(' and ');
    const box = "<answer>[{'Position': [10, 10, 200, 200], 'Confidence': 1.00}]</answer>";
    const contradicts = `<think> I see ${seen}. There is one ${s.category}. </think> ${box}`;
    const announced = `<think> I see ${seen} and a ${s.category}. There is one ${s.category}. </think> ${box}`;
    const a = traceAgreement([s, s], [contradicts, announced]);
    expect(a).toMatchObject({ traced: 2, absent: 2, absentNamed: 1, absentBoxed: 2, absentBoxedUnnamed: 1, hallucinated: 1 });
  });
});
