import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOX_SLOTS } from '../model/boxPointer';
import { images, prompts, tinyPolicy } from '../model/fixtures.testutil';
import { POLICY_CONFIGS } from '../model/config';
import { useBackend } from '../model/nodeBackends.testutil';
import { Adam } from './adam';
import { gradientStep } from './gradients';
import { pretrainLosses } from './patchLabelLoss';
import { pointerLoss, pointerTargets } from './pointerLoss';

const C0 = 100;
const BINS = 11;

describe('pointer loss', () => {
  beforeAll(() => useBackend('cpu'));

  it("targets the positions before each coordinate of a box at the tokens whose patch box is that box", () => {
    // Row: word, box [1, 2, 3, 4], word, box [5, 5, 6, 6] (no token owns it), two stray coordinates.
    const tokens = Int32Array.from([7, C0 + 1, C0 + 2, C0 + 3, C0 + 4, 8, C0 + 5, C0 + 5, C0 + 6, C0 + 6, C0 + 1, C0 + 2]);
    const width = tokens.length;
    // Four patches: 1 and 3 belong to [1, 2, 3, 4], 0 to another box, 2 to none.
    const patchBoxes = Int32Array.from([0, 0, 9, 9, 1, 2, 3, 4, -1, -1, -1, -1, 1, 2, 3, 4]);
    const t = pointerTargets(tokens, 1, width, 4, C0, BINS, patchBoxes);
    expect(t.count).toBe(4);
    expect(Array.from(t.weight)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (let j = 0; j < 4; j++) expect(Array.from(t.mask.subarray(j * 4, j * 4 + 4))).toEqual([0, 1, 0, 1]);
    expect(t.mask.subarray(16).every((v) => v === 0)).toBe(true);
    expect(() => pointerTargets(tokens, 1, width, 4, C0, BINS, patchBoxes.subarray(4))).toThrow(/patch-box values/);
  });

  it('is −mean log of the attention on the target tokens', () => {
    const targets = { mask: Float32Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]), weight: Float32Array.from([1, 0, 1]), count: 2 };
    const attention = tf.tensor3d([0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0.7, 0.1, 0.1, 0.1], [1, 3, 4]);
    const v = tf.tidy(() => pointerLoss(attention, targets).dataSync()[0]);
    expect(v).toBeCloseTo(-(Math.log(0.6) + Math.log(0.7)) / 2, 5);
    expect(tf.tidy(() => pointerLoss(attention, { ...targets, count: 0 }).dataSync()[0])).toBe(0);
    attention.dispose();
  });

  it('trains the pointer to look at the object being boxed, leaking no tensors', async () => {
    const policy = tinyPolicy(7, { boxPointer: true, imageAttention: 'full' });
    const tok = policy.tokenizer;
    const S = POLICY_CONFIGS.tiny.imageSize;
    const n = (S / 8) ** 2;
    const imgs = images(2, S, 3);
    // Image 0: tokens 0–1 belong to box [10, 20, 30, 40]; image 1: token n − 1 to box [50, 50, 60, 60].
    const boxes = new Int32Array(2 * n * BOX_SLOTS).fill(-1);
    for (const i of [0, 1]) boxes.set([10, 20, 30, 40], i * BOX_SLOTS);
    boxes.set([50, 50, 60, 60], (2 * n - 1) * BOX_SLOTS);
    const box = (b: number[]) => b.map((v) => tok.coordStart + v);
    const batch = { images: imgs, prompts: prompts(policy), completions: [[...box([10, 20, 30, 40]), tok.id('eos')], [...box([50, 50, 60, 60]), tok.id('eos')]] };
    const labels = new Int32Array(2 * n).fill(tok.wordId('dog'));
    const opts = { patchWeight: 0, patchBoxes: boxes, pointerWeight: 1 };
    const loss = () => tf.tidy(() => pretrainLosses(policy, batch, labels, opts).pointer.dataSync()[0]);
    const first = loss();
    // A fresh pointer spreads its attention: about log(patches / target tokens).
    expect(first).toBeGreaterThan(1);
    const adam = new Adam({ beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0 });
    await gradientStep(() => pretrainLosses(policy, batch, labels, opts).total, policy.params.trainable, 1, (g) => adam.applyVariableGrads(policy.params, g, 1e-2));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await gradientStep(() => pretrainLosses(policy, batch, labels, opts).total, policy.params.trainable, 1, (g) => adam.applyVariableGrads(policy.params, g, 1e-2));
    expect(tf.memory().numTensors).toBe(before);
    expect(loss()).toBeLessThan(first / 2);
    // Weight 0 leaves the total as it was.
    const total = (w: number) => tf.tidy(() => pretrainLosses(policy, batch, labels, { ...opts, pointerWeight: w }).total.dataSync()[0]);
    expect(total(1) - total(0)).toBeCloseTo(loss(), 4);
    adam.dispose();
    policy.dispose();
    imgs.dispose();
  });
});
