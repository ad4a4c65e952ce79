import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pretrainLosses } from '../train/patchLabelLoss';
import { sftLoss } from '../train/sftStep';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { POLICY_CONFIGS, type PolicyConfig, validatePolicyConfig } from './config';
import { TEST_WORDS, images, prompts } from './fixtures.testutil';
import { useBackend } from './nodeBackends.testutil';
import { Policy } from './policy';
import { imageEmbeddings } from './transformer';

const conv: PolicyConfig = { ...POLICY_CONFIGS.tiny, imageSize: 16, patchSize: 8, stem: 'conv', stemChannels: 3 };

describe('conv stem', () => {
  beforeAll(() => useBackend('cpu'));

  it('applies one filter bank to each 2×2 sub-patch, with GELU, then merges them (checked by hand)', async () => {
    const policy = Policy.create(conv, { coordBins: conv.coordBins, words: TEST_WORDS });
    const img = images(1, 16, 3);
    const got = (await tf.tidy(() => imageEmbeddings(policy.params, conv, img)).array()) as number[][][];
    const px = (await img.array())[0];
    const [sw, sb, pw, pb] = (await Promise.all(['stem.w', 'stem.b', 'patch.w', 'patch.b'].map((n) => policy.params.get(n).array()))) as [number[][], number[], number[][], number[]];
    const gelu = (x: number) => x / (1 + Math.exp(-1.702 * x));
    for (const [p, py, pxx] of [[0, 0, 0], [3, 1, 1], [1, 0, 1]]) {
      const merged: number[] = [];
      for (const [sy, sx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        const input: number[] = [];
        for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 3; c++) input.push(px[py * 8 + sy * 4 + y][pxx * 8 + sx * 4 + x][c]);
        for (let k = 0; k < 3; k++) merged.push(gelu(input.reduce((s, v, i) => s + v * sw[i][k], sb[k])));
      }
      for (let j = 0; j < conv.dModel; j++) expect(got[0][p][j]).toBeCloseTo(merged.reduce((s, v, i) => s + v * pw[i][j], pb[j]), 4);
    }
    policy.dispose();
    img.dispose();
  });

  it('round-trips through a checkpoint; checkpoints from before the stem existed load as linear', async () => {
    const policy = Policy.create(conv, { coordBins: conv.coordBins, words: TEST_WORDS });
    const back = loadCheckpoint(await saveCheckpoint(policy)).policy;
    expect(back.config.stem).toBe('conv');
    back.dispose();
    policy.dispose();
    const { stem: _s, stemChannels: _c, ...old } = POLICY_CONFIGS.tiny;
    expect(validatePolicyConfig(old)).toMatchObject({ stem: 'linear' });
    expect(() => validatePolicyConfig({ ...conv, patchSize: 3, imageSize: 15 })).toThrow(/even patchSize/);
  });

  it('pretraining loss = completion cross-entropy + weight × patch cross-entropy, with no leaked tensors', async () => {
    const policy = Policy.create(conv, { coordBins: conv.coordBins, words: TEST_WORDS });
    const tok = policy.tokenizer;
    const img = images(2, 16, 5);
    const batch = { images: img, prompts: prompts(policy), completions: [[tok.wordId('dog'), tok.id('eos')], [tok.wordId('cat'), tok.wordId('red'), tok.id('eos')]] };
    const targets = Int32Array.from({ length: 2 * 4 }, (_, i) => tok.wordId(TEST_WORDS[i % TEST_WORDS.length]));
    const before = tf.memory().numTensors;
    const [total, completion, patch, sft] = tf.tidy(() => {
      const l = pretrainLosses(policy, batch, targets, { patchWeight: 0.7 });
      return [l.total, l.completion, l.patch, sftLoss(policy, batch)].map((t) => t.dataSync()[0]);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(completion).toBeCloseTo(sft, 5);
    expect(total).toBeCloseTo(completion + 0.7 * patch, 5);
    // Untrained: the patch loss is near log(vocabulary).
    expect(Math.abs(patch - Math.log(tok.size))).toBeLessThan(0.5);
    expect(() => pretrainLosses(policy, batch, targets.subarray(1), { patchWeight: 1 })).toThrow(/patch targets/);
    policy.dispose();
    img.dispose();
  });
});
