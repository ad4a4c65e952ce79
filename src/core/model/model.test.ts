import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { sftStep } from '../train/sftStep';
import { CheckpointError, loadCheckpoint, readCheckpointHeader, saveCheckpoint } from './checkpoint';
import { POLICY_CONFIGS, validatePolicyConfig } from './config';
import { images, prompts, tinyPolicy } from './fixtures.testutil';
import { generate } from './generate';
import { KvCache } from './kvCache';
import { buildTextBatch } from './layout';
import { completionLogprobs } from './logprobs';
import { NODE_BACKENDS, useBackend } from './nodeBackends.testutil';
import type { Policy } from './policy';
import { forward, forwardHidden } from './transformer';

const S = POLICY_CONFIGS.tiny.imageSize;

async function teacherForced(policy: Policy, imgs: tf.Tensor4D, rowPrompts: number[][], completions: number[][], rowImage: number[], temperature: number): Promise<number[][]> {
  const lp = tf.tidy(() => completionLogprobs(policy, { images: tf.gather(imgs, rowImage) as tf.Tensor4D, prompts: rowPrompts, completions }, temperature).logprobs);
  const data = (await lp.array()) as number[][];
  lp.dispose();
  return data.map((row, r) => row.slice(0, completions[r].length));
}

for (const backend of NODE_BACKENDS) {
  describe(`policy on ${backend}`, () => {
    let policy: Policy;
    let imgs: tf.Tensor4D;
    beforeAll(async () => {
      await useBackend(backend);
      policy = tinyPolicy();
      imgs = images(2, S);
    });
    afterAll(() => {
      policy.dispose();
      imgs.dispose();
    });

    it('generates the same tokens and log-probs with the KV cache as with full recompute', async () => {
      for (const temperature of [0, 1.3]) {
        const opts = { images: imgs, prompts: prompts(policy), samplesPerPrompt: 3, maxNewTokens: 12, temperature, topK: temperature ? 20 : 0 };
        const cached = await generate(policy, { ...opts, rng: new Rng(11), useCache: true });
        const full = await generate(policy, { ...opts, rng: new Rng(11), useCache: false });
        expect(cached.tokens).toEqual(full.tokens);
        cached.logprobs.forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(full.logprobs[r][j], 4)));
        expect(cached.tokens).toHaveLength(6);
        expect(cached.promptIndex).toEqual([0, 0, 0, 1, 1, 1]);
      }
    });

    it('returns log-probs equal to teacher forcing', async () => {
      const out = await generate(policy, { images: imgs, prompts: prompts(policy), samplesPerPrompt: 4, maxNewTokens: 10, temperature: 1.5, topK: 0, rng: new Rng(3) });
      const tf_ = await teacherForced(policy, imgs, out.promptIndex.map((i) => prompts(policy)[i]), out.tokens, out.promptIndex, 1.5);
      out.logprobs.forEach((row, r) => row.forEach((v, j) => expect(tf_[r][j]).toBeCloseTo(v, 4)));
    });

    it('writes a forced prefix first, with teacher-forced log-probs, and continues from it as from its own tokens', async () => {
      const free = await generate(policy, { images: imgs, prompts: prompts(policy), maxNewTokens: 10, temperature: 0, topK: 0, rng: new Rng(1) });
      // Prompt 0 is forced to begin with a token the policy would not choose; prompt 1 gets no prefix.
      const own = free.tokens[0][0];
      const forced = [own === 20 ? 21 : 20, own === 30 ? 31 : 30];
      const out = await generate(policy, { images: imgs, prompts: prompts(policy), maxNewTokens: 10, temperature: 0, topK: 0, rng: new Rng(1), prefix: [forced, []] });
      expect(out.tokens[0].slice(0, 2)).toEqual(forced);
      expect(out.tokens[1]).toEqual(free.tokens[1]);
      const tf_ = await teacherForced(policy, imgs, prompts(policy), out.tokens, out.promptIndex, 1);
      out.logprobs.forEach((row, r) => row.forEach((v, j) => expect(tf_[r][j]).toBeCloseTo(v, 4)));
      // A prefix of the policy's own greedy tokens changes nothing.
      const same = await generate(policy, { images: imgs, prompts: prompts(policy), maxNewTokens: 10, temperature: 0, topK: 0, rng: new Rng(1), prefix: [free.tokens[0].slice(0, 3), []] });
      expect(same.tokens).toEqual(free.tokens);
    });

    it('stops at <eos>, at the maximum length, and when interrupted', async () => {
      const eos = policy.tokenizer.id('eos');
      // Make <eos> overwhelmingly likely: its output column gets a large bias through the weights.
      const head = policy.params.get('head.w');
      const saved = head.clone();
      head.assign(tf.tidy(() => tf.add(head, tf.mul(tf.oneHot(tf.fill([head.shape[0] as number], eos, 'int32') as tf.Tensor1D, head.shape[1] as number), 50))));
      // The final LayerNorm output has mean 0; a constant bias makes h · w_eos large for every position.
      const lnfB = policy.params.get('lnf.b');
      const savedB = lnfB.clone();
      lnfB.assign(tf.onesLike(lnfB));
      const out = await generate(policy, { images: imgs, prompts: prompts(policy), maxNewTokens: 5, temperature: 1, topK: 0, rng: new Rng(1) });
      expect(out.tokens.every((t) => t.length === 1 && t[0] === eos)).toBe(true);
      expect(out.finished).toEqual([true, true]);
      head.assign(saved);
      lnfB.assign(savedB);
      tf.dispose([saved, savedB]);
      const long = await generate(policy, { images: imgs, prompts: prompts(policy), maxNewTokens: 7, temperature: 0, topK: 0, rng: new Rng(1) });
      long.tokens.forEach((t, r) => expect(t.length === 7 || long.finished[r]).toBe(true));
      let calls = 0;
      const cut = await generate(policy, { images: imgs, prompts: prompts(policy), maxNewTokens: 20, temperature: 0, topK: 0, rng: new Rng(1), shouldStop: () => ++calls > 3 });
      expect(cut.interrupted).toBe(true);
      expect(cut.tokens.every((t) => t.length <= 3)).toBe(true);
    });

    it('replays exactly from a seed', async () => {
      const a = await generate(policy, { images: imgs, prompts: prompts(policy), samplesPerPrompt: 2, maxNewTokens: 8, temperature: 1, topK: 0, rng: new Rng(99) });
      const b = await generate(policy, { images: imgs, prompts: prompts(policy), samplesPerPrompt: 2, maxNewTokens: 8, temperature: 1, topK: 0, rng: new Rng(99) });
      expect(a.tokens).toEqual(b.tokens);
    });

    it('leaks no tensors over 10 generate + train cycles', async () => {
      const optimizer = tf.train.adam(1e-3);
      const cycle = async () => {
        const out = await generate(policy, { images: imgs, prompts: prompts(policy), samplesPerPrompt: 2, maxNewTokens: 6, temperature: 1, topK: 0, rng: new Rng(5) });
        const rowImages = tf.tidy(() => tf.gather(imgs, out.promptIndex) as tf.Tensor4D);
        const r = await sftStep(policy, optimizer, { images: rowImages, prompts: out.promptIndex.map((i) => prompts(policy)[i]), completions: out.tokens });
        rowImages.dispose();
        expect(r.applied).toBe(true);
      };
      await cycle(); // the optimizer creates its slots on the first step
      const before = tf.memory().numTensors;
      for (let i = 0; i < 10; i++) await cycle();
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
    });

    it('saves and loads a checkpoint with identical outputs', async () => {
      const bytes = await saveCheckpoint(policy, { steps: 3 });
      const { policy: loaded, meta } = loadCheckpoint(bytes);
      expect(meta).toEqual({ steps: 3 });
      const opts = { images: imgs, prompts: prompts(policy), samplesPerPrompt: 2, maxNewTokens: 8, temperature: 1, topK: 0 };
      const a = await generate(policy, { ...opts, rng: new Rng(4) });
      const b = await generate(loaded, { ...opts, rng: new Rng(4) });
      expect(b.tokens).toEqual(a.tokens);
      expect(b.logprobs).toEqual(a.logprobs);
      loaded.dispose();
    });

    it('keeps old tokens\u2019 logits when the vocabulary grows', async () => {
      const p = tinyPolicy(2);
      const batch = buildTextBatch(prompts(p), null, p.tokenizer.id('pad'), p.config.maxTextLength);
      const before = tf.tidy(() => forward(p.params, p.config, imgs, batch));
      const oldSize = p.tokenizer.size;
      expect(p.addWords(['corgi', 'dog', 'tulip'])).toBe(2);
      expect(p.tokenizer.size).toBe(oldSize + 2);
      const after = tf.tidy(() => forward(p.params, p.config, imgs, batch));
      expect(after.shape[2]).toBe(oldSize + 2);
      const oldPart = tf.tidy(() => tf.slice(after, [0, 0, 0], [...before.shape.slice(0, 2), oldSize]));
      expect(Array.from(await oldPart.data())).toEqual(Array.from(await before.data()));
      tf.dispose([before, after, oldPart]);
      p.dispose();
    });
  });
}

describe('image attention', () => {
  beforeAll(() => useBackend('cpu'));
  it("'full' lets every image token see the whole image, keeps text causal, and decodes the same with the cache", async () => {
    const hiddenOfFirstPatch = (p: Policy, imgs: tf.Tensor4D) =>
      tf.tidy(() => {
        const text = buildTextBatch(prompts(p), null, p.tokenizer.id('pad'), p.config.maxTextLength);
        return Array.from(tf.slice(forwardHidden(p.params, p.config, imgs, text), [0, 0, 0], [1, 1, -1]).dataSync());
      });
    const a = images(2, S, 7);
    // The same images with the last patch (bottom right) changed.
    const b = tf.tidy(() => tf.concat([tf.slice(a, [0, 0, 0, 0], [2, S - 8, S, 3]), tf.concat([tf.slice(a, [0, S - 8, 0, 0], [2, 8, S - 8, 3]), tf.zeros([2, 8, 8, 3])], 2)], 1) as tf.Tensor4D);
    for (const [mode, changes] of [['causal', false], ['full', true]] as const) {
      const policy = tinyPolicy(1, { imageAttention: mode });
      const d = hiddenOfFirstPatch(policy, a).map((v, i) => Math.abs(v - hiddenOfFirstPatch(policy, b)[i]));
      expect(Math.max(...d) > 1e-4).toBe(changes);
      const opts = { images: a, prompts: prompts(policy), samplesPerPrompt: 2, maxNewTokens: 10, temperature: 1, topK: 0 };
      const cached = await generate(policy, { ...opts, rng: new Rng(5), useCache: true });
      const full = await generate(policy, { ...opts, rng: new Rng(5), useCache: false });
      expect(cached.tokens).toEqual(full.tokens);
      policy.dispose();
    }
    tf.dispose([a, b]);
  });
});

describe('KV cache invariants', () => {
  it('grows every layer together, repeats rows, and frees its tensors', async () => {
    await useBackend('cpu');
    const p = tinyPolicy();
    const imgs = images(2, S);
    const start = tf.memory().numTensors;
    const batch = buildTextBatch(prompts(p), null, p.tokenizer.id('pad'), p.config.maxTextLength);
    const cache = new KvCache(p.config.nLayers, 2, p.config.nHeads, 16, batch.keyMask, batch.width);
    tf.tidy(() => forward(p.params, p.config, imgs, batch, cache)).dispose();
    expect(cache.length).toBe(16 + batch.width);
    for (let l = 0; l < p.config.nLayers; l++) expect(cache.get(l)!.k.shape).toEqual([2 * p.config.nHeads, cache.length, p.config.dModel / p.config.nHeads]);
    const rep = cache.repeatRows(3);
    expect(rep.rows).toBe(6);
    expect(rep.keyMask.length).toBe(6 * batch.width);
    expect(() => rep.advance(1)).toThrow(/expected/); // layers were not extended: the invariant check refuses
    cache.dispose();
    rep.dispose();
    expect(() => cache.get(0)).toThrow(/disposed/);
    expect(tf.memory().numTensors).toBe(start);
    imgs.dispose();
    p.dispose();
  });
});

describe('configs and checkpoints', () => {
  it('validates configs with every problem named', () => {
    expect(() => validatePolicyConfig({ ...POLICY_CONFIGS.tiny, nHeads: 3 })).toThrow(/nHeads must divide dModel/);
    expect(() => validatePolicyConfig({ ...POLICY_CONFIGS.tiny, imageSize: 'big', seed: -1 })).toThrow(/imageSize.*seed/);
    expect(validatePolicyConfig(POLICY_CONFIGS.base)).toEqual(POLICY_CONFIGS.base);
  });

  it('rejects corrupt or newer checkpoints with a clear message and migrates older headers', async () => {
    await useBackend('cpu');
    const p = tinyPolicy();
    const bytes = await saveCheckpoint(p);
    expect(() => loadCheckpoint(bytes.slice(0, bytes.length - 10))).toThrow(CheckpointError);
    expect(() => loadCheckpoint(new Uint8Array([1, 2, 3]))).toThrow(/bad magic/);
    const { header, dataStart } = readCheckpointHeader(bytes);
    const rewrite = (h: object) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const start = Math.ceil((12 + json.length) / 4) * 4;
      const out = new Uint8Array(start + bytes.length - dataStart);
      out.set(bytes.subarray(0, 8));
      new DataView(out.buffer).setUint32(8, json.length, true);
      out.set(json, 12);
      out.set(bytes.subarray(dataStart), start);
      return out;
    };
    expect(() => loadCheckpoint(rewrite({ ...header, version: 99 }))).toThrow(/newer than this app/);
    // A version-0 header that named the vocabulary "vocab": migrated to version 1 by the registered step.
    const v0 = { ...header, version: 0, vocab: header.tokenizer, tokenizer: undefined };
    expect(() => loadCheckpoint(rewrite(v0))).toThrow(/no migration from version 0/);
    const migrated = loadCheckpoint(rewrite(v0), { migrations: { 0: (h) => ({ ...h, version: 1, tokenizer: h.vocab }) } });
    expect(migrated.policy.tokenizer.size).toBe(p.tokenizer.size);
    migrated.policy.dispose();
    p.dispose();
  });
});
