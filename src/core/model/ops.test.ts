import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FlatIndex, batchMatMul, embed, layerNorm, layerNormReference, matMul, takeColumns } from './ops';
import { pickTargets } from './logprobs';
import { copyWasmIdentity, shareWasmIdentity } from './wasmIdentity';
import { NODE_BACKENDS, useBackend } from './nodeBackends.testutil';

async function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-4) {
  const [x, y] = [await a.data(), await b.data()];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(tol));
}

describe('custom-gradient ops agree with autodiff', () => {
  it('layerNorm: values and gradients for x, γ, β', async () => {
    await useBackend('cpu');
    const x = tf.randomNormal([2, 3, 8], 0, 2, 'float32', 1);
    const g = tf.randomNormal([8], 1, 0.3, 'float32', 2);
    const b = tf.randomNormal([8], 0, 0.3, 'float32', 3);
    const w = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 4); // makes the loss depend on every output differently
    const loss = (f: typeof layerNorm) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx, gg, bb), w)) as tf.Scalar;
    await close(layerNorm(x, g, b), layerNormReference(x, g, b));
    const fast = tf.grads(loss(layerNorm))([x, g, b]);
    const ref = tf.grads(loss(layerNormReference))([x, g, b]);
    for (let i = 0; i < 3; i++) await close(fast[i], ref[i]);
  });

  it('matMul and embed gradients match tfjs built-ins', async () => {
    await useBackend('cpu');
    const a = tf.randomNormal([4, 5], 0, 1, 'float32', 5) as tf.Tensor2D;
    const m = tf.randomNormal([5, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
    const [ga, gm] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(matMul(p as tf.Tensor2D, q as tf.Tensor2D))) as tf.Scalar)([a, m]);
    const [ra, rm] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D))) as tf.Scalar)([a, m]);
    await close(ga, ra);
    await close(gm, rm);
    const table = tf.randomNormal([6, 3], 0, 1, 'float32', 7) as tf.Tensor2D;
    const ids = tf.tensor2d([[1, 4], [4, 0]], [2, 2], 'int32');
    const [ge] = tf.grads((t: tf.Tensor) => tf.sum(tf.square(embed(t as tf.Tensor2D, ids))) as tf.Scalar)([table]);
    const [re] = tf.grads((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.reshape(ids, [-1])))) as tf.Scalar)([table]);
    await close(ge, re);
  });

  it('batchMatMul (depthwise-convolution form on WASM): values and gradients match tfjs matMul', async () => {
    await useBackend('wasm');
    for (const [batch, n, k, m] of [[6, 5, 3, 7], [4, 1, 8, 9]]) {
      const a = tf.randomNormal([batch, n, k], 0, 1, 'float32', 8) as tf.Tensor3D;
      const b = tf.randomNormal([batch, k, m], 0, 1, 'float32', 9) as tf.Tensor3D;
      const w = tf.randomNormal([batch, n, m], 0, 1, 'float32', 10);
      await close(batchMatMul(a, b), tf.matMul(a, b));
      const loss = (f: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor3D, y as tf.Tensor3D), w)) as tf.Scalar;
      const fast = tf.grads(loss(batchMatMul))([a, b]);
      const ref = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
      await close(fast[0], ref[0]);
      await close(fast[1], ref[1]);
    }
  });

  it.each(NODE_BACKENDS)('takeColumns (%s): the host loop and the device gather give the same columns', async (backend) => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const order = new FlatIndex(Int32Array.from([2, 0, 2, 1]), 3);
    for (const onHost of [true, false]) {
      const out = takeColumns(x, order, onHost);
      expect(out.shape).toEqual([2, 4]);
      expect(Array.from(await out.data())).toEqual([3, 1, 3, 2, 6, 4, 6, 5]);
      out.dispose();
    }
    const wide = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => takeColumns(wide, order)).toThrow(/rows of 3/);
    tf.dispose([x, wide]);
    // The device path keeps its index tensor once; nothing else stays.
    expect(tf.memory().numTensors).toBe(before + 1);
  });
});

describe('pickTargets', () => {
  it.each(NODE_BACKENDS)('picks each position’s target log-prob with the same values and gradients on the host as the one-hot product (%s)', async (backend) => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const logp = tf.randomNormal([2, 3, 5], 0, 1, 'float32', 11) as tf.Tensor3D;
    const w = tf.randomNormal([2, 3], 0, 1, 'float32', 12);
    const targets = Int32Array.from([4, 0, 2, 1, 1, 3]);
    const run = (onHost: boolean) =>
      tf.tidy(() => {
        const [g] = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(pickTargets(x as tf.Tensor3D, targets, onHost), w)) as tf.Scalar)([logp]);
        return [Array.from(pickTargets(logp, targets, onHost).dataSync()), Array.from(g.dataSync())];
      });
    const [hostValue, hostGrad] = run(true);
    const [deviceValue, deviceGrad] = run(false);
    const src = logp.dataSync();
    expect(hostValue).toEqual(Array.from(targets, (t, i) => src[i * 5 + t]));
    expect(hostValue).toEqual(deviceValue);
    expect(hostGrad).toEqual(deviceGrad);
    expect(() => pickTargets(logp, targets.subarray(1))).toThrow(/5 targets for 2 × 3/);
    tf.dispose([logp, w]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('WASM Identity', () => {
  it('shares its input’s memory (a clone outlives its source, and nothing leaks), and can go back to copying', async () => {
    await useBackend('wasm');
    const before = tf.memory();
    for (const mode of ['shared', 'copying'] as const) {
      if (mode === 'copying') copyWasmIdentity();
      const x = tf.tensor1d([1, 2, 3]);
      const y = tf.clone(x);
      x.dispose();
      expect(Array.from(await y.data())).toEqual([1, 2, 3]);
      y.dispose();
      const [first, second] = [tf.tensor1d([4, 5]), tf.tensor1d([6, 7])];
      const v = tf.variable(first);
      const saved = tf.clone(v);
      v.assign(second);
      // Assigning swaps the variable's data; a clone taken before keeps the old values.
      expect(Array.from(await saved.data())).toEqual([4, 5]);
      tf.dispose([v, saved, first, second]);
    }
    shareWasmIdentity();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
