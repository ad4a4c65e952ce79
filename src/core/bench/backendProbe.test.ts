import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { useBackend } from '../model/nodeBackends.testutil';
import { VisionTower } from '../model/tower';
import { BACKEND_LOGPROB_TOLERANCE, compareProbes, tinyGenerationProbe } from './backendProbe';

describe('backend probe', () => {
  it('gives the same greedy tokens and log-probs on wasm as on cpu, within tolerance', async () => {
    await useBackend('cpu');
    const cpu = await tinyGenerationProbe();
    await useBackend('wasm');
    const wasm = await tinyGenerationProbe();
    const cmp = compareProbes(cpu, wasm);
    expect(cmp.tokensMatch).toBe(true);
    expect(cmp.maxAbsDiff).toBeLessThan(BACKEND_LOGPROB_TOLERANCE);
    expect(cpu.tokens.flat().length).toBe(48);
    expect(tf.getBackend()).toBe('wasm');
  });
  it('with the vision tower, the hybrid probe (the tower graph included) agrees on wasm and cpu', async () => {
    await useBackend('cpu');
    const tower = await VisionTower.load(readFileSync('public/models/tower/nanodet-backbone.json', 'utf8'), new Uint8Array(readFileSync('public/models/tower/nanodet-backbone.bin')), { resolution: 64, layer: 'stride16' });
    const cpu = await tinyGenerationProbe(tower);
    await useBackend('wasm');
    const wasm = await tinyGenerationProbe(tower);
    const cmp = compareProbes(cpu, wasm);
    expect(cmp.tokensMatch).toBe(true);
    expect(cmp.maxAbsDiff).toBeLessThan(BACKEND_LOGPROB_TOLERANCE);
    // The tower's features move the answer: the hybrid probe differs from the pixel-only one.
    expect(JSON.stringify(cpu.logprobs)).not.toBe(JSON.stringify((await tinyGenerationProbe()).logprobs));
    tower.dispose();
  });
  it('flags a difference beyond tolerance', async () => {
    await useBackend('cpu');
    const a = await tinyGenerationProbe();
    const b = { ...a, logprobs: a.logprobs.map((r) => r.map((v) => v + 0.01)) };
    expect(compareProbes(a, b).withinTolerance).toBe(false);
  });
});
