import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { gradientStep } from '../train/gradients';
import { pretrainLosses } from '../train/patchLabelLoss';
import { Adam } from '../train/adam';
import { BOX_SLOTS, coordinateSlots, imageHiddenOf, offsetCount, offsetTargets, offsetsToBins, pointerImageState, tokenCentres } from './boxPointer';
import { POLICY_CONFIGS } from './config';
import { images, prompts, tinyPolicy } from './fixtures.testutil';
import { generate } from './generate';
import { buildTextBatch } from './layout';
import { completionLogprobs } from './logprobs';
import { NODE_BACKENDS, useBackend } from './nodeBackends.testutil';
import { forward, forwardHidden } from './transformer';

const S = POLICY_CONFIGS.tiny.imageSize;

describe('box pointer', () => {
  beforeAll(() => useBackend('cpu'));

  it('counts coordinate slots x1, y1, x2, y2 from the tokens so far, continuing across calls', () => {
    const isCoord = (id: number) => id >= 100;
    // Row: word, x1, y1, x2, y2, word, x1 → slot after each column.
    const { slots, counts } = coordinateSlots(Int32Array.from([1, 100, 101, 102, 103, 2, 104]), 1, 7, isCoord);
    const slotOf = (j: number) => Array.from(slots.subarray(j * BOX_SLOTS, (j + 1) * BOX_SLOTS)).indexOf(1);
    expect([0, 1, 2, 3, 4, 5, 6].map(slotOf)).toEqual([0, 1, 2, 3, 0, 0, 1]);
    expect(counts[0]).toBe(5);
    const next = coordinateSlots(Int32Array.from([105]), 1, 1, isCoord, counts);
    expect(Array.from(next.slots).indexOf(1)).toBe(2);
    expect(next.counts[0]).toBe(6);
  });

  it("predicts offsets from each token's centre and turns them into absolute bins (x slots by x, y slots by y)", () => {
    const policy = tinyPolicy(2, { boxPointer: true });
    const c = policy.config;
    const R = offsetCount(c);
    const half = (R - 1) / 2;
    // Every token says: x1 = centre − 10, y1 = centre − 5, x2 = centre + 7, y2 = centre + 3 (bins).
    const deltas = [-10, -5, 7, 3];
    const bias = new Float32Array(BOX_SLOTS * R);
    deltas.forEach((d, k) => (bias[k * R + half + d] = 50));
    policy.params.get('box.b').assign(tf.tensor1d(bias));
    const imgs = images(1, S, 1);
    const probs = tf.tidy(() => {
      const text = buildTextBatch([prompts(policy)[0]], null, policy.tokenizer.id('pad'), c.maxTextLength);
      return pointerImageState(policy.params, c, imageHiddenOf(c, forwardHidden(policy.params, c, imgs, text))).boxProbs.arraySync() as number[][][];
    });
    tokenCentres(c).forEach(([cx, cy], p) => {
      const want = [cx - 10, cy - 5, cx + 7, cy + 3];
      want.forEach((bin, k) => {
        const row = probs[0][p].slice(k * c.coordBins, (k + 1) * c.coordBins);
        expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 4);
        // A box edge off the image has no bin; the renormalised rest is what is left (uniform here).
        if (bin >= 0 && bin < c.coordBins) expect(row[bin]).toBeGreaterThan(0.99);
      });
    });
    // Targets go the other way: absolute bins → offsets, −1 kept, clamped to the range.
    const [cx, cy] = tokenCentres(c)[1];
    const t = offsetTargets(c, Int32Array.from([-1, -1, -1, -1, cx - 10, cy - 5, cx + 7, 100]));
    expect(Array.from(t)).toEqual([-1, -1, -1, -1, half - 10, half - 5, half + 7, 100 - cy + half]);
    imgs.dispose();
    policy.dispose();
  });

  it.each(NODE_BACKENDS)('places offsets on bins by row copies on the host and by gathers on a device, the same values and gradients (%s)', async (backend) => {
    await useBackend(backend);
    const policy = tinyPolicy(2, { boxPointer: true });
    const c = policy.config;
    policy.dispose();
    const batch = 2;
    const rows = batch * tokenCentres(c).length * BOX_SLOTS;
    const R = offsetCount(c);
    const x = tf.randomUniform([rows, R], 0, 1, 'float32', 3) as tf.Tensor2D;
    const w = tf.randomNormal([rows, c.coordBins], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const run = (onHost: boolean) =>
      tf.tidy(() => {
        const value = offsetsToBins(x, c, batch, onHost);
        const [grad] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(offsetsToBins(t as tf.Tensor2D, c, batch, onHost), w)) as tf.Scalar)([x]);
        return [Array.from(value.dataSync()), Array.from(grad.dataSync())];
      });
    const [hostValue, hostGrad] = run(true);
    const [deviceValue, deviceGrad] = run(false);
    expect(hostValue).toEqual(deviceValue);
    expect(hostGrad).toEqual(deviceGrad);
    // By hand: bin j of row r is offset j − centre + half; every offset off the window has no gradient.
    const [cx] = tokenCentres(c)[0];
    const half = (R - 1) / 2;
    const xs = x.dataSync();
    expect(hostValue[3]).toBe(xs[3 - cx + half]);
    expect(hostGrad.filter((g) => g === 0).length).toBe(rows * (R - c.coordBins));
    expect(() => offsetsToBins(x, c, batch + 1)).toThrow(/rows for a batch of 3/);
    // The device path keeps its two index tensors once; nothing else stays.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2);
    tf.dispose([x, w]);
  });

  it('starts neutral when added to a trained policy, and decodes the same with the cache as without', async () => {
    const plain = tinyPolicy(3);
    const withPtr = await plain.upgraded({ boxPointer: true });
    const imgs = images(2, S, 4);
    const batch = buildTextBatch(prompts(plain), null, plain.tokenizer.id('pad'), plain.config.maxTextLength);
    const [a, b] = tf.tidy(() => [forward(plain.params, plain.config, imgs, batch), forward(withPtr.params, withPtr.config, imgs, batch)].map((t) => Array.from(t.dataSync())));
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 4));
    // Give the pointer something to say, then compare cached decoding, recompute and teacher forcing.
    const rng = new Rng(9);
    for (const name of ['box.w', 'ptr.q', 'ptr.k']) {
      const v = withPtr.params.get(name);
      v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => (rng.next() - 0.5) * 2), v.shape));
    }
    // Prompts that make coordinates likely: force them by sampling at a high temperature over many tokens.
    const opts = { images: imgs, prompts: prompts(withPtr), samplesPerPrompt: 3, maxNewTokens: 16, temperature: 2, topK: 0 };
    const cached = await generate(withPtr, { ...opts, rng: new Rng(2), useCache: true });
    const full = await generate(withPtr, { ...opts, rng: new Rng(2), useCache: false });
    expect(cached.tokens).toEqual(full.tokens);
    const coords = cached.tokens.flat().filter((id) => withPtr.tokenizer.kind(id) === 'coord').length;
    expect(coords).toBeGreaterThan(3);
    cached.logprobs.forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(full.logprobs[r][j], 4)));
    const lp = tf.tidy(() => completionLogprobs(withPtr, { images: tf.gather(imgs, cached.promptIndex) as tf.Tensor4D, prompts: cached.promptIndex.map((i) => prompts(withPtr)[i]), completions: cached.tokens }, 2).logprobs);
    const tfl = (await lp.array()) as number[][];
    lp.dispose();
    cached.logprobs.forEach((row, r) => row.forEach((v, j) => expect(tfl[r][j]).toBeCloseTo(v, 4)));
    tf.dispose(imgs);
    plain.dispose();
    withPtr.dispose();
  });

  it.each(NODE_BACKENDS)('trains its dense box loss from log(bins) down, leaking no tensors (%s)', async (backend) => {
    await useBackend(backend);
    const policy = tinyPolicy(5, { boxPointer: true, imageAttention: 'full' });
    const tok = policy.tokenizer;
    const imgs = images(2, S, 6);
    const n = (S / 8) ** 2;
    const boxes = Int32Array.from({ length: 2 * n * BOX_SLOTS }, (_, i) => (Math.floor(i / BOX_SLOTS) % 3 === 0 ? -1 : (i * 7) % 101));
    const batch = { images: imgs, prompts: prompts(policy), completions: [[tok.coordStart + 10, tok.coordStart + 20, tok.id('eos')], [tok.wordId('dog'), tok.id('eos')]] };
    const targets = new Int32Array(2 * n).fill(tok.wordId('dog'));
    const adam = new Adam({ beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0 });
    const boxLoss = () => tf.tidy(() => pretrainLosses(policy, batch, targets, { patchWeight: 1, patchBoxes: boxes }).box.dataSync()[0]);
    const first = boxLoss();
    expect(first).toBeCloseTo(Math.log(offsetCount(policy.config)), 3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 15; i++) await gradientStep(() => pretrainLosses(policy, batch, targets, { patchWeight: 1, patchBoxes: boxes }).total, policy.params.trainable, 1, (g) => adam.applyVariableGrads(policy.params, g, 1e-2));
    // Adam's moments are created on the first step; after that nothing grows.
    await gradientStep(() => pretrainLosses(policy, batch, targets, { patchWeight: 1, patchBoxes: boxes }).total, policy.params.trainable, 1, (g) => adam.applyVariableGrads(policy.params, g, 1e-2));
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2 * policy.params.trainable.length + 1);
    expect(boxLoss()).toBeLessThan(first - 0.5);
    expect(() => tf.tidy(() => pretrainLosses(policy, batch, targets, { patchWeight: 1, patchBoxes: boxes.subarray(4) }).total)).toThrow(/patch boxes/);
    adam.dispose();
    policy.dispose();
    imgs.dispose();
  });
});
