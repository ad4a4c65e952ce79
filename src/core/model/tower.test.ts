import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { POLICY_CONFIGS, type PolicyConfig, sourceResolution, validatePolicyConfig, visualShape } from './config';
import { TEST_WORDS } from './fixtures.testutil';
import { useBackend } from './nodeBackends.testutil';
import { Policy } from './policy';
import { VisionTower } from './tower';
import { towerMismatch, validateTowerSpec } from './towerSpec';
import { buildTextBatch } from './layout';
import { forward, imagePatches } from './transformer';
import { encodeImages } from './visualInput';

// The shipped backbone at a small input (64 px → a 4×4 stride-16 grid, the tiny config's token grid).
const json = readFileSync('public/models/tower/nanodet-backbone.json', 'utf8');
const bin = new Uint8Array(readFileSync('public/models/tower/nanodet-backbone.bin'));
const pixels = (n: number, size: number, seed = 3) => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * size * size * 3 }, () => rng.next());
};

describe('vision tower', () => {
  let tower: VisionTower;
  let towerConfig: PolicyConfig;
  beforeAll(async () => {
    await useBackend('wasm');
    tower = await VisionTower.load(json, bin, { resolution: 64, layer: 'stride16' });
    towerConfig = validatePolicyConfig({ ...POLICY_CONFIGS.tiny, stem: 'tower', tower: tower.spec });
  });
  afterAll(() => tower.dispose());

  it('reads the backbone at a flexible resolution, one cell per 16 pixels, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(pixels(2, 64), [2, 64, 64, 3]);
    const f = tower.features(x);
    expect(f.shape).toEqual([2, 4, 4, 128]);
    const v = await f.data();
    expect(v.every(Number.isFinite)).toBe(true);
    // Different images give different features (the backbone sees the input).
    expect(Math.max(...Array.from(v.subarray(0, 2048), (a, i) => Math.abs(a - v[2048 + i])))).toBeGreaterThan(1e-3);
    tf.dispose([x, f]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tower.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a resolution that is not a multiple of the stride, and images of the wrong size', async () => {
    await expect(VisionTower.load(json, bin, { resolution: 100, layer: 'stride32' })).rejects.toThrow(/multiple of stride32's stride 32/);
    const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    expect(() => tower.features(x)).toThrow(/\[batch, 64, 64, 3\]/);
    x.dispose();
  });

  it('config: a tower policy reads features, the hybrid also its pixel patches; grids must agree', () => {
    expect(sourceResolution(towerConfig)).toBe(64);
    expect(visualShape(towerConfig)).toEqual([4, 4, 128]);
    expect(visualShape({ ...towerConfig, stem: 'hybrid' })).toEqual([4, 4, 128 + 8 * 8 * 3]);
    expect(() => validatePolicyConfig({ ...POLICY_CONFIGS.tiny, stem: 'tower', tower: { ...tower.spec, resolution: 128 } })).toThrow(/grid must equal imageSize \/ patchSize/);
    expect(() => validatePolicyConfig({ ...POLICY_CONFIGS.tiny, stem: 'tower' })).toThrow(/invalid tower/);
    expect(() => validateTowerSpec({ ...tower.spec, layer: 'stride8' })).toThrow(/layer must be one of/);
  });

  it("feeds NanoDet its own training normalisation by default; 'rgb-unit' feeds RGB in 0–1 as given", async () => {
    expect(tower.spec.input).toBe('nanodet-bgr');
    const unit = await VisionTower.load(json, bin, { resolution: 64, layer: 'stride16', input: 'rgb-unit' });
    const px = pixels(1, 64);
    // The same image normalised by hand (BGR, 0–255, minus NanoDet's mean, over its std) through the 'rgb-unit' tower.
    const mean = [103.53, 116.28, 123.675], std = [57.375, 57.12, 58.395];
    const byHand = px.map((_, i) => {
      const c = i % 3, rgb = i - c;
      return (px[rgb + 2 - c] * 255 - mean[c]) / std[c];
    });
    const before = tf.memory().numTensors;
    const [a, b, c] = tf.tidy(() => [tower.features(tf.tensor4d(px, [1, 64, 64, 3])), unit.features(tf.tensor4d(byHand, [1, 64, 64, 3])), unit.features(tf.tensor4d(px, [1, 64, 64, 3]))].map((t) => t.dataSync()));
    expect(tf.memory().numTensors).toBe(before);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 3));
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - c[i])))).toBeGreaterThan(0.1);
    // A record written before the field existed read RGB in 0–1; the two inputs are told apart on load.
    const { input: _, ...legacy } = tower.spec;
    expect(validateTowerSpec(legacy).input).toBe('rgb-unit');
    expect(() => validateTowerSpec({ ...tower.spec, input: 'bgr' })).toThrow(/input must be one of nanodet-bgr, rgb-unit/);
    expect(towerMismatch(tower.spec, unit.spec).join('; ')).toMatch(/input normalisation rgb-unit, the checkpoint was trained on nanodet-bgr/);
    unit.dispose();
  });

  it('says what differs between two towers', () => {
    expect(towerMismatch(tower.spec, tower.spec)).toEqual([]);
    const other = { ...tower.spec, resolution: 128, sha256: 'f'.repeat(64) };
    const diff = towerMismatch(tower.spec, other).join('; ');
    expect(diff).toMatch(/resolution 128 px, the checkpoint needs 64 px/);
    expect(diff).toMatch(/weights sha256 ffffffffffff/);
  });

  it('hybrid visual inputs are the features followed by each cell’s pixel patch', async () => {
    const hybrid = validatePolicyConfig({ ...towerConfig, stem: 'hybrid' });
    const px = pixels(2, 64);
    const visual = await encodeImages(hybrid, tower, px, 2);
    const features = await encodeImages(towerConfig, tower, px, 2);
    expect(visual.length).toBe(2 * 16 * (128 + 192));
    // Pixels at the stem's 32 px (box-filtered from 64), in the order imagePatches lays a patch out.
    const small = new Float32Array(2 * 32 * 32 * 3);
    for (let i = 0; i < 2 * 32 * 32; i++)
      for (let c = 0; c < 3; c++) {
        const n = Math.floor(i / 1024), y = Math.floor((i % 1024) / 32), x = i % 32;
        let s = 0;
        for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) s += px[((n * 64 + 2 * y + dy) * 64 + 2 * x + dx) * 3 + c];
        small[i * 3 + c] = s / 4;
      }
    const t = tf.tensor4d(small, [2, 32, 32, 3]);
    const patches = imagePatches(t, { ...POLICY_CONFIGS.tiny, stem: 'linear' } as PolicyConfig);
    const p = await patches.data();
    tf.dispose([t, patches]);
    for (const cell of [0, 5, 31]) {
      const row = visual.subarray(cell * 320, (cell + 1) * 320);
      expect(Array.from(row.subarray(0, 128))).toEqual(Array.from(features.subarray(cell * 128, (cell + 1) * 128)));
      Array.from(row.subarray(128)).forEach((v, j) => expect(v).toBeCloseTo(p[cell * 192 + j], 6));
    }
  });

  for (const stem of ['tower', 'hybrid'] as const) {
    it(`a ${stem} policy runs forward, trains its projector, and round-trips its checkpoint only beside the same tower`, async () => {
      const policy = Policy.create({ ...towerConfig, stem }, { coordBins: POLICY_CONFIGS.tiny.coordBins, words: TEST_WORDS }, tower);
      const names = [...policy.params.vars.keys()];
      expect(names).toContain('proj.w1');
      expect(names.includes('stem.w')).toBe(stem === 'hybrid');
      const visual = tf.tensor4d(await encodeImages(policy.config, tower, pixels(2, 64), 2), [2, ...visualShape(policy.config)]);
      const batch = buildTextBatch([[1, 2], [3, 4]], [[5, 6], [7]], policy.tokenizer.id('pad'), policy.config.maxTextLength);
      const logits = tf.tidy(() => forward(policy.params, policy.config, visual, batch));
      expect(logits.shape).toEqual([2, batch.width, policy.tokenizer.size]);
      logits.dispose();
      // Counted after one forward: the hybrid keeps one small index tensor for the life of the page (by design).
      const before = tf.memory().numTensors;
      const w1 = policy.params.get('proj.w1');
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(forward(policy.params, policy.config, visual, batch))) as tf.Scalar, [w1]);
      const gradSize = tf.tidy(() => tf.sum(tf.abs(grads[w1.name])));
      expect((await gradSize.data())[0]).toBeGreaterThan(0);
      tf.dispose([value, gradSize, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);

      const bytes = await saveCheckpoint(policy);
      const back = loadCheckpoint(bytes, { tower });
      expect(back.policy.config.tower).toEqual(tower.spec);
      back.policy.dispose();
      expect(() => loadCheckpoint(bytes)).toThrow(CheckpointError);
      expect(() => loadCheckpoint(bytes)).toThrow(/reads the vision tower \(nanodet-backbone, 64 px, stride16\); none is loaded/);
      const other = await VisionTower.load(json, bin, { resolution: 128, layer: 'stride16' });
      expect(() => loadCheckpoint(bytes, { tower: other })).toThrow(/resolution 128 px, the checkpoint needs 64 px/);
      other.dispose();
      visual.dispose();
      policy.dispose();
    });
  }
});
