import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../model/nodeBackends.testutil';
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
  it('flags a difference beyond tolerance', async () => {
    await useBackend('cpu');
    const a = await tinyGenerationProbe();
    const b = { ...a, logprobs: a.logprobs.map((r) => r.map((v) => v + 0.01)) };
    expect(compareProbes(a, b).withinTolerance).toBe(false);
  });
});
