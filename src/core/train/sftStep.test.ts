import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { images, prompts, tinyPolicy } from '../model/fixtures.testutil';
import { completionLogprobs } from '../model/logprobs';
import { useBackend } from '../model/nodeBackends.testutil';
import { sftLoss, weightedSftLoss } from './sftStep';

describe('weighted SFT loss', () => {
  beforeAll(() => useBackend('cpu'));

  it('equals the SFT loss with weight 1 on every real token, trains only weighted tokens, and is 0 with none', () => {
    const policy = tinyPolicy();
    const t = policy.tokenizer;
    const img = images(2, policy.config.imageSize);
    const completions = [[t.id('answerOpen'), t.confId(1), t.id('eos')], [t.id('answerOpen'), t.id('noObjects'), t.id('answerClose'), t.id('eos')]];
    const batch = { images: img, prompts: prompts(policy), completions };
    const before = tf.memory().numTensors;
    const [plain, allOnes, none, second] = tf.tidy(() => [
      sftLoss(policy, batch),
      weightedSftLoss(policy, batch, completions.map((c) => c.map(() => 1))),
      weightedSftLoss(policy, batch, []),
      weightedSftLoss(policy, batch, [[0, 1, 0], []]),
    ].map((x) => x.dataSync()[0]));
    expect(tf.memory().numTensors).toBe(before);
    expect(allOnes).toBeCloseTo(plain, 6);
    expect(Math.abs(none)).toBe(0);
    // One weighted token: its own −log p, read from the per-token log-probs.
    const byHand = tf.tidy(() => -(completionLogprobs(policy, batch).logprobs.arraySync() as number[][])[0][1]);
    expect(second).toBeCloseTo(byHand, 5);
    expect(second).toBeGreaterThan(0);
    img.dispose();
    policy.dispose();
  });
});
