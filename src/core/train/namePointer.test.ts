import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { images, prompts, tinyPolicy } from '../model/fixtures.testutil';
import { POLICY_CONFIGS } from '../model/config';
import { useBackend } from '../model/nodeBackends.testutil';
import { Tokenizer } from '../model/tokenizer';
import { decodeAtlas } from '../world/atlas';
import { sceneNameOwners } from '../world/batches';
import { patchBoxObjects } from '../world/patchLabels';
import { worldSample, worldVocabulary } from '../world/tasks';
import { Adam } from './adam';
import { gradientStep } from './gradients';
import { namePointerTargets } from './namePointer';
import { pretrainLosses } from './patchLabelLoss';

describe('name pointer', () => {
  beforeAll(() => useBackend('cpu'));

  it('targets the last word of each scene label, the longer label first, at the tokens of its objects', () => {
    // Labels: "orange square" = [5, 6] on tokens 0 and 2; "square" = [6] on token 3; "cow" = [9] on none.
    const names = [[{ tokens: [6], patches: [3] }, { tokens: [5, 6], patches: [0, 2] }, { tokens: [9], patches: [] }]];
    const tokens = Int32Array.from([1, 5, 6, 2, 6, 9, 5]);
    const t = namePointerTargets(tokens, 1, tokens.length, 4, names);
    expect(Array.from(t.weight)).toEqual([0, 0, 1, 0, 1, 0, 0]);
    expect(t.count).toBe(2);
    expect(Array.from(t.mask.subarray(2 * 4, 3 * 4))).toEqual([1, 0, 1, 0]);
    expect(Array.from(t.mask.subarray(4 * 4, 5 * 4))).toEqual([0, 0, 0, 1]);
    expect(() => namePointerTargets(tokens, 1, tokens.length, 4, [])).toThrow(/label lists/);
    expect(() => namePointerTargets(tokens, 1, tokens.length, 2, names)).toThrow(/outside/);
  });

  it("gives every label of a world scene the grid cells of its objects, and the trace's names targets", () => {
    const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
    const tok = new Tokenizer({ coordBins: 101, words: worldVocabulary() });
    const s = worldSample(atlas, 'detection', 'base', 12);
    const owners = sceneNameOwners(tok, s, 8);
    expect(owners.map((o) => o.tokens.map((t) => tok.detokenize([t])).join(' '))).toEqual([...new Set(s.scene.objects.map((o) => o.label))]);
    const cells = patchBoxObjects(s.scene, 8);
    for (const o of owners) expect(o.patches.length).toBeGreaterThan(0);
    expect(owners.flatMap((o) => o.patches).sort((a, b) => a - b)).toEqual(cells.flatMap((c, i) => (c ? [i] : [])));
    const ids = Int32Array.from(tok.tokenize(s.completion));
    const t = namePointerTargets(ids, 1, ids.length, 64, [owners]);
    // The trace lists every object, so every label is named at least once.
    expect(t.count).toBeGreaterThanOrEqual(owners.length);
  });

  it('trains the pointer to look at a named object, leaking no tensors, and weight 0 changes nothing', async () => {
    const policy = tinyPolicy(7, { boxPointer: true, imageAttention: 'full' });
    const tok = policy.tokenizer;
    const n = (POLICY_CONFIGS.tiny.imageSize / 8) ** 2;
    const imgs = images(2, POLICY_CONFIGS.tiny.imageSize, 3);
    const dog = tok.wordId('dog');
    const batch = { images: imgs, prompts: prompts(policy), completions: [[dog, tok.id('eos')], [dog, tok.id('eos')]] };
    const nameOwners = [[{ tokens: [dog], patches: [0, 1] }], [{ tokens: [dog], patches: [n - 1] }]];
    const labels = new Int32Array(2 * n).fill(dog);
    const opts = { patchWeight: 0, nameOwners, namePointerWeight: 1 };
    const loss = () => tf.tidy(() => pretrainLosses(policy, batch, labels, opts).namePointer.dataSync()[0]);
    const first = loss();
    expect(first).toBeGreaterThan(1);
    const adam = new Adam({ beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0 });
    const step = () => gradientStep(() => pretrainLosses(policy, batch, labels, opts).total, policy.params.trainable, 1, (g) => adam.applyVariableGrads(policy.params, g, 1e-2));
    await step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await step();
    expect(tf.memory().numTensors).toBe(before);
    expect(loss()).toBeLessThan(first / 2);
    const total = (w: number) => tf.tidy(() => pretrainLosses(policy, batch, labels, { ...opts, namePointerWeight: w }).total.dataSync()[0]);
    expect(total(1) - total(0)).toBeCloseTo(loss(), 4);
    adam.dispose();
    policy.dispose();
    imgs.dispose();
  });
});
