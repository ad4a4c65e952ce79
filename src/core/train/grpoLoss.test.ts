import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../model/nodeBackends.testutil';
import { DEFAULT_GRPO, LOSS_TYPES, type LossType, type ScaleRewards, validateGrpoConfig } from './grpoConfig';
import { aggregateLoss, fracZeroStd, groupAdvantages, perTokenLoss, unbiasedStd } from './grpoLoss';

beforeAll(() => useBackend('cpu'));

const arr = async (t: tf.Tensor) => Array.from(await t.data());

describe('advantages', () => {
  it('normalise rewards inside each group with the unbiased std plus 1e-4', () => {
    // Group [1, 0, 0, 1]: mean 0.5, unbiased std sqrt(1/3).
    const s = Math.sqrt(1 / 3);
    const a = groupAdvantages([1, 0, 0, 1, 2, 2, 2, 2], 4, 'group');
    expect(a.slice(0, 4)).toEqual([0.5 / (s + 1e-4), -0.5 / (s + 1e-4), -0.5 / (s + 1e-4), 0.5 / (s + 1e-4)]);
    expect(a.slice(4)).toEqual([0, 0, 0, 0]); // a constant group carries no signal
    expect(unbiasedStd([1, 2, 3])).toBe(1);
    expect(fracZeroStd([1, 0, 0, 1, 2, 2, 2, 2], 4)).toBe(0.5);
  });
  it('scale by the batch std or not at all', () => {
    const r = [3, 1, 10, 10];
    const bs = unbiasedStd(r);
    expect(groupAdvantages(r, 2, 'batch')).toEqual([1 / (bs + 1e-4), -1 / (bs + 1e-4), 0, 0]);
    expect(groupAdvantages(r, 2, 'none')).toEqual([1, -1, 0, 0]);
    expect(() => groupAdvantages([1, 2, 3], 2, 'group')).toThrow(/groups of 2/);
  });
});

describe('per-token loss', () => {
  const cfg = { beta: 0.04, epsilonLow: 0.2, epsilonHigh: 0.2 };
  it('is −A with ratio 1 and no KL when the policy equals old and reference', async () => {
    const lp = tf.tensor2d([[-1, -2]]);
    const { loss, kl, clipped } = perTokenLoss({ logp: lp, oldLogp: lp, refLogp: lp, advantages: tf.tensor1d([1.5]) }, cfg);
    expect(await arr(loss)).toEqual([-1.5, -1.5]);
    expect(await arr(kl!)).toEqual([0, 0]);
    expect(await arr(clipped)).toEqual([0, 0]);
  });
  it('clips the ratio on the side of the advantage, and adds β·k3', async () => {
    // Token 1: ratio e^0.5 ≈ 1.6487 > 1.2 with A = 1 → clipped objective 1.2. Token 2: ratio e^−0.5 ≈ 0.6065 with
    // A = 1 → min(0.6065, 0.8) = 0.6065, not clipped. Row 2: A = −1, ratio 0.6065 < 0.8 → min(−0.6065, −0.8) = −0.8, clipped.
    const logp = tf.tensor2d([[0.5, -0.5], [-0.5, 0]]);
    const old = tf.zeros([2, 2]) as tf.Tensor2D;
    const ref = tf.tensor2d([[0, 0], [0, 0]]);
    const { loss, kl, clipped } = perTokenLoss({ logp, oldLogp: old, refLogp: ref, advantages: tf.tensor1d([1, -1]) }, cfg);
    const k3 = (d: number) => Math.exp(d) - d - 1;
    const want = [-1.2 + 0.04 * k3(-0.5), -Math.exp(-0.5) + 0.04 * k3(0.5), 0.8 + 0.04 * k3(0.5), 1 + 0.04 * k3(0)];
    (await arr(loss)).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    (await arr(kl!)).forEach((v, i) => expect(v).toBeCloseTo([k3(-0.5), k3(0.5), k3(0.5), 0][i], 6));
    expect(await arr(clipped)).toEqual([1, 0, 1, 0]);
  });
  it('skips the KL term when β = 0', () => {
    const lp = tf.tensor2d([[0.1]]);
    expect(perTokenLoss({ logp: lp, oldLogp: lp, refLogp: null, advantages: tf.tensor1d([1]) }, { ...cfg, beta: 0 }).kl).toBeNull();
  });
});

describe('loss aggregation', () => {
  // Two sequences: lengths 1 and 3 (mask), per-token losses below.
  const agg = async (type: Parameters<typeof aggregateLoss>[2], stepTokens?: number) =>
    (await arr(aggregateLoss(tf.tensor2d([[4, 100, 100], [1, 2, 3]]), tf.tensor2d([[1, 0, 0], [1, 1, 1]]), type, 5, stepTokens === undefined ? undefined : { rows: 2, tokens: stepTokens })))[0];
  it('grpo: mean of per-sequence means', async () => expect(await agg('grpo')).toBeCloseTo((4 + 2) / 2, 6));
  it('bnpo: masked sum over masked count', async () => expect(await agg('bnpo')).toBeCloseTo(10 / 4, 6));
  it('dr_grpo: masked sum over B × max completion length', async () => expect(await agg('dr_grpo')).toBeCloseTo(10 / 10, 6));
  it('dapo: masked sum over the tokens of the whole step', async () => {
    expect(await agg('dapo', 8)).toBeCloseTo(10 / 8, 6);
    expect(await agg('dapo')).toBeCloseTo(10 / 4, 6);
  });
  it('the shares of micro-batches sum to the whole batch\'s loss, for every aggregation', async () => {
    const loss = [[4, 100, 100], [1, 2, 3], [0.5, 7, 0], [2, 2, 2]];
    const mask = [[1, 0, 0], [1, 1, 1], [1, 1, 0], [1, 1, 1]];
    const whole = { rows: 4, tokens: 9 };
    for (const type of LOSS_TYPES) {
      const full = (await arr(aggregateLoss(tf.tensor2d(loss), tf.tensor2d(mask), type, 5)))[0];
      // Parts of 1 and 3 rows, each padded to its own width as a micro-batch is.
      const a = (await arr(aggregateLoss(tf.tensor2d([loss[0].slice(0, 1)]), tf.tensor2d([mask[0].slice(0, 1)]), type, 5, whole)))[0];
      const b = (await arr(aggregateLoss(tf.tensor2d(loss.slice(1)), tf.tensor2d(mask.slice(1)), type, 5, whole)))[0];
      expect(a + b).toBeCloseTo(full, 5);
    }
  });
});

describe('GrpoConfig', () => {
  it('accepts the defaults and names every problem', () => {
    expect(validateGrpoConfig({ ...DEFAULT_GRPO })).toBeTruthy();
    expect(() => validateGrpoConfig({ ...DEFAULT_GRPO, numGenerations: 1, beta: -1, rewardFunctions: [] })).toThrow(/numGenerations.*beta.*reward function/);
    expect(() => validateGrpoConfig({ ...DEFAULT_GRPO, lossType: 'ppo' as LossType, scaleRewards: 'std' as ScaleRewards })).toThrow(/lossType must be one of grpo, bnpo, dr_grpo, dapo; scaleRewards must be one of group, batch, none/);
  });
});
