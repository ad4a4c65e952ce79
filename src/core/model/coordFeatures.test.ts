import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { POLICY_CONFIGS, validatePolicyConfig } from './config';
import { coordReadout, imageCoordCode } from './coordFeatures';
import { images, prompts, tinyPolicy } from './fixtures.testutil';
import { buildTextBatch } from './layout';
import { useBackend } from './nodeBackends.testutil';
import { forward } from './transformer';

describe('coordinate-aligned position code', () => {
  beforeAll(() => useBackend('cpu'));

  it('maps a patch centre onto the coordinate tokens of its position', async () => {
    const c = { ...POLICY_CONFIGS.tiny, coordFeatures: 3 };
    const tok = tinyPolicy().tokenizer;
    const img = (await imageCoordCode(c).array()) as number[][];
    const out = (await coordReadout(c, tok.size, tok.coordStart).array()) as number[][];
    // Logit of coordinate bin b for patch p's code in the x channels: peaks at the patch's x centre.
    const g = c.imageSize / c.patchSize;
    for (const [p, gx] of [[0, 0], [g + 2, 2], [g * g - 1, g - 1]]) {
      const logits = Array.from({ length: c.coordBins }, (_, b) => img[p].slice(0, 6).reduce((s, v, i) => s + v * out[i][tok.coordStart + b], 0));
      const best = logits.indexOf(Math.max(...logits));
      expect(Math.abs(tok.coordValue(tok.coordStart + best) - ((gx + 0.5) / g) * 1000)).toBeLessThanOrEqual(10);
    }
    // Only coordinate columns and the first 4K channels are used.
    expect(out.slice(12).every((row) => row.every((v) => v === 0))).toBe(true);
    expect(out[0].slice(0, tok.coordStart).every((v) => v === 0)).toBe(true);
  });

  it('switching it on keeps a trained policy’s outputs (gates start closed)', async () => {
    const policy = tinyPolicy(4);
    const on = await policy.upgraded({ coordFeatures: 2 });
    expect(on.config.coordFeatures).toBe(2);
    const imgs = images(2, policy.config.imageSize);
    const text = buildTextBatch(prompts(policy), null, policy.tokenizer.id('pad'), policy.config.maxTextLength);
    const a = (await tf.tidy(() => forward(policy.params, policy.config, imgs, text)).data()) as Float32Array;
    const b = (await tf.tidy(() => forward(on.params, on.config, imgs, text)).data()) as Float32Array;
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
    on.params.get('coord.in').assign(tf.tensor1d([0.1]));
    const c = (await tf.tidy(() => forward(on.params, on.config, imgs, text)).data()) as Float32Array;
    expect(c.some((v, i) => Math.abs(v - a[i]) > 1e-4)).toBe(true);
    expect(() => validatePolicyConfig({ ...POLICY_CONFIGS.tiny, coordFeatures: 9 })).toThrow(/at most dModel \/ 4/);
    policy.dispose();
    on.dispose();
    imgs.dispose();
  });
});
