import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tinyPolicy } from '../model/fixtures.testutil';
import { useBackend } from '../model/nodeBackends.testutil';
import type { Policy } from '../model/policy';
import { Adam } from './adam';
import { DEFAULT_GRPO, type GrpoConfig } from './grpoConfig';
import { type GrpoPrompt, grpoStep } from './grpoStep';

function prompts(policy: Policy, n: number): GrpoPrompt[] {
  const rng = new Rng(9);
  const s = policy.config.imageSize;
  const t = policy.tokenizer;
  return Array.from({ length: n }, (_, i) => ({
    image: Float32Array.from({ length: s * s * 3 }, () => rng.next()),
    prompt: [t.taskId('detection'), t.wordId(i % 2 ? 'dog' : 'cat')],
    task: 'detection' as const,
    solution: "<answer>[{'Position': [0, 0, 500, 500], 'Confidence': 1}]</answer>",
  }));
}

describe('grpoStep', () => {
  it('raises the reward of a toy task and logs the TRL metrics', async () => {
    await useBackend('wasm');
    const policy = tinyPolicy(3);
    const reference = policy.frozenCopy();
    const adam = new Adam();
    const cfg: GrpoConfig = { ...DEFAULT_GRPO, numGenerations: 8, maxCompletionLength: 8, learningRate: 3e-3 };
    // Dense toy reward: the share of digits among the completion's visible characters, which grows with the
    // number of coordinate and confidence tokens the policy writes (about 0.35 untrained).
    const coordShare = (text: string) => {
      const chars = text.replace(/\s/g, '');
      return chars.length ? (chars.match(/\d/g)?.length ?? 0) / chars.length : 0;
    };
    const ps = prompts(policy, 2);
    const rng = new Rng(1);
    const rewards: number[] = [];
    const before = tf.memory().numTensors;
    let last: Record<string, number> = {};
    for (let step = 0; step < 25; step++) {
      const r = await grpoStep(policy, reference, adam, cfg, ps, cfg.learningRate, rng, (c) => coordShare(c));
      rewards.push(r.metrics.reward);
      last = r.metrics;
      if (step === 0) expect(r.rollouts).toHaveLength(16);
    }
    // Seeded and deterministic: measured 0.70 over the first five steps and 0.80 over the last five.
    const first = rewards.slice(0, 5).reduce((a, b) => a + b) / 5;
    const end = rewards.slice(-5).reduce((a, b) => a + b) / 5;
    expect(end).toBeGreaterThan(first + 0.07);
    for (const k of ['reward', 'reward_std', 'frac_reward_zero_std', 'kl', 'entropy', 'clip_ratio/region_mean', 'completions/mean_length', 'completions/max_length', 'completions/clipped_ratio', 'learning_rate', 'grad_norm', 'step_time']) {
      expect(Number.isFinite(last[k]), k).toBe(true);
    }
    expect(last.kl).toBeGreaterThan(0); // the policy moved away from the frozen reference
    // Adam's moments are created on the first step; after that no step leaves tensors behind.
    expect(tf.memory().numTensors - before).toBe(adam_tensors(policy));
    policy.dispose();
    reference.dispose();
    adam.dispose();
  });

  it('scores with the configured verifiable rewards by default', async () => {
    await useBackend('cpu');
    const policy = tinyPolicy(4);
    const adam = new Adam();
    const r = await grpoStep(policy, null, adam, { ...DEFAULT_GRPO, numGenerations: 2, maxCompletionLength: 4, beta: 0 }, prompts(policy, 1), 1e-4, new Rng(2));
    expect(Object.keys(r.metrics)).toEqual(expect.arrayContaining(['rewards/accuracy_iou/mean', 'rewards/format/std', 'iou/mean']));
    expect(r.rollouts[0].rewards).toHaveProperty('format');
    policy.dispose();
    adam.dispose();
  });
});

/** Adam keeps two moment tensors per trainable parameter. */
function adam_tensors(policy: Policy): number {
  return 2 * policy.params.trainable.length;
}
