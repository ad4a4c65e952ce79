import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { classificationItems, detectionPrompts } from './fixtures.testutil';
import { Rng } from '../rng';
import { tinyPolicy } from '../model/fixtures.testutil';
import { useBackend } from '../model/nodeBackends.testutil';
import type { Policy } from '../model/policy';
import { Adam } from './adam';
import { DEFAULT_GRPO } from './grpoConfig';
import { grpoStep } from './grpoStep';
import { partsGradientStep } from './gradients';
import { type GradientHelper, type LossPart, computeParts, localShare } from './lossParts';
import { DEFAULT_SFT, runTraining } from './trainer';



/** Another worker, in this process: its own copy of the policy, reached only through computeParts. */
function inProcessHelper(copy: Policy, fail = false): GradientHelper & { calls: number } {
  return {
    workers: 1,
    calls: 0,
    async gradients(weights, parts) {
      this.calls++;
      if (fail) throw new Error('helper worker died');
      return computeParts(copy, weights, parts);
    },
  };
}

async function allWeights(p: Policy): Promise<Float32Array[]> {
  return Promise.all(p.params.trainable.map(async (v) => (await v.data()) as Float32Array));
}

describe('updates computed in parts by another worker', () => {
  it('splits parts by equal shares, ours first', () => {
    expect(localShare(4, 0)).toBe(4);
    expect(localShare(4, 1)).toBe(2);
    expect(localShare(5, 1)).toBe(3);
    expect(localShare(1, 3)).toBe(1);
    expect(localShare(8, 3)).toBe(2);
  });

  it('reports how long this worker waited for the helper after its own parts (0 without one)', async () => {
    await useBackend('cpu');
    const policy = tinyPolicy(4);
    const copy = tinyPolicy(5);
    const tok = policy.tokenizer;
    const S = policy.config.imageSize;
    const parts: LossPart[] = [0, 1].map((k) => ({
      kind: 'sft',
      images: Float32Array.from({ length: S * S * 3 }, (_, i) => ((i + k) % 7) / 7),
      prompts: [[tok.taskId('detection'), tok.wordId('cat')]],
      completions: [[tok.id('eos')]],
      wholeTokens: 2,
    }));
    const slow = inProcessHelper(copy);
    const delayed: GradientHelper = { workers: 1, gradients: async (w, p) => (await new Promise((r) => setTimeout(r, 600)), slow.gradients(w, p)) };
    const alone = await partsGradientStep(policy, parts, 1, () => {});
    expect(alone.waitedMs).toBe(0);
    const shared = await partsGradientStep(policy, parts, 1, () => {}, delayed);
    expect(shared.elsewhere).toBe(1);
    // Its own part takes a tiny policy milliseconds; the helper answers 600 ms after it was asked.
    expect(shared.waitedMs).toBeGreaterThan(100);
    policy.dispose();
    copy.dispose();
  });

  it('sft: a run with a helper equals the run without one, in every weight and metric', async () => {
    await useBackend('cpu');
    const how = { method: 'sft', config: { ...DEFAULT_SFT, batchSize: 6, microBatchSize: 2, learningRate: 3e-3, steps: 3, seed: 3 } } as const;
    const run = async (helper: GradientHelper | null) => {
      const policy = tinyPolicy(5);
      const metrics: Record<string, number>[] = [];
      const before = tf.memory().numTensors;
      const res = await runTraining(policy, null, classificationItems(policy, 6), how, { gradientHelper: helper, onStep: (_, m) => void metrics.push(m) });
      const leaked = tf.memory().numTensors - before;
      const w = await allWeights(res.policy);
      for (const p of new Set([policy, res.policy])) p.dispose();
      return { metrics, w, leaked };
    };
    await same(run, how.config.steps);
  });

  it('grpo: steps with a helper equal the steps without one, in every weight and metric', async () => {
    await useBackend('cpu');
    const cfg = { ...DEFAULT_GRPO, numGenerations: 4, microBatchSize: 3, maxCompletionLength: 6, learningRate: 3e-3, beta: 0.04 };
    // A dense toy reward (the share of digits), so that groups differ and the update is not zero.
    const digits = (text: string) => (text.match(/\d/g)?.length ?? 0) / Math.max(1, text.replace(/\s/g, '').length);
    const run = async (helper: GradientHelper | null) => {
      const policy = tinyPolicy(5);
      const reference = policy.frozenCopy();
      const adam = new Adam();
      const rng = new Rng(1);
      const metrics: Record<string, number>[] = [];
      const before = tf.memory().numTensors;
      for (let step = 0; step < 2; step++) metrics.push((await grpoStep(policy, reference, adam, cfg, detectionPrompts(policy, 2), cfg.learningRate, rng, digits, helper)).metrics);
      const leaked = tf.memory().numTensors - before;
      const w = await allWeights(policy);
      [policy, reference].forEach((p) => p.dispose());
      adam.dispose();
      return { metrics, w, leaked };
    };
    await same(run, 2);
  });
});

/** Runs alone, with a helper and with a helper that fails, and asserts all three are the same run. */
async function same(run: (h: GradientHelper | null) => Promise<{ metrics: Record<string, number>[]; w: Float32Array[]; leaked: number }>, steps: number): Promise<void> {
  const alone = await run(null);
  const copy = tinyPolicy(5);
  const helper = inProcessHelper(copy);
  const shared = await run(helper);
  const broken = await run(inProcessHelper(copy, true));
  copy.dispose();
  expect(helper.calls).toBe(steps);
  expect(shared.metrics.every((m) => m['parallel/parts_elsewhere'] > 0)).toBe(true);
  expect(broken.metrics.every((m) => m['parallel/parts_elsewhere'] === 0)).toBe(true);
  for (const other of [shared, broken]) {
    other.w.forEach((arr, i) => expect(Array.from(arr)).toEqual(Array.from(alone.w[i])));
    other.metrics.forEach((m, s) => {
      for (const [k, v] of Object.entries(m)) if (!k.startsWith('time/') && !k.startsWith('parallel/') && k !== 'step_time') expect([k, v]).toEqual([k, alone.metrics[s][k]]);
    });
  }
  expect(shared.leaked).toBe(alone.leaked);
  // The comparison means something only if the steps moved the weights.
  expect(alone.metrics.every((m) => m.grad_norm > 0), JSON.stringify(alone.metrics.map((m) => m.grad_norm))).toBe(true);
}
