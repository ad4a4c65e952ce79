/**
 * Training step times of the base-size policy on Node's WASM backend: a GRPO step with the default config
 * (4 prompts × G = 8, at most 48 completion tokens), broken into rollout, reward, reference log-probs and
 * update, and an SFT step on the same 32 sequences.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { POLICY_CONFIGS } from '../../src/core/model/config';
import { Policy } from '../../src/core/model/policy';
import { Rng } from '../../src/core/rng';
import { REFERENCE_REWARD_SET } from '../../src/core/rewards/types';
import { Adam } from '../../src/core/train/adam';
import { DEFAULT_GRPO } from '../../src/core/train/grpoConfig';
import { grpoStep } from '../../src/core/train/grpoStep';
import { DEFAULT_SFT, runTraining } from '../../src/core/train/trainer';
import { decodeAtlas } from '../../src/core/world/atlas';
import { seedOf } from '../../src/core/world/batches';
import { sourceResolution } from '../../src/core/model/config';
import { toTrainItems, worldExample } from '../../src/core/train/trainItems';
import { worldSample, worldVocabulary } from '../../src/core/world/tasks';
import type { BenchFigure } from '../bench';
import { useNodeBackend } from '../tfNode';

export async function benchTraining(): Promise<BenchFigure[]> {
  await useNodeBackend('wasm');
  const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
  let policy: Policy;
  let source = 'shipped base checkpoint';
  try {
    const { loadCheckpoint } = await import('../../src/core/model/checkpoint');
    policy = loadCheckpoint(new Uint8Array(readFileSync('public/models/base/model.vrft'))).policy;
  } catch {
    policy = Policy.create(POLICY_CONFIGS.base, { coordBins: POLICY_CONFIGS.base.coordBins, words: worldVocabulary() });
    source = 'untrained base';
  }
  const reference = policy.frozenCopy();
  const items = await toTrainItems(policy, Array.from({ length: 32 }, (_, i) => worldExample(worldSample(atlas, 'detection', 'base', seedOf(77, i), undefined, undefined, sourceResolution(policy.config)))));
  const cfg = { ...DEFAULT_GRPO, rewardFunctions: [...REFERENCE_REWARD_SET.detection] };
  const adam = new Adam();
  const rng = new Rng(1);
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < 3; i++) runs.push((await grpoStep(policy, reference, adam, cfg, items.slice(4 * i, 4 * i + 4), 1e-5, rng)).metrics);
  const timed = runs.slice(1); // the first step compiles kernels and creates Adam's moments
  const avg = (k: string) => timed.reduce((a, m) => a + m[k], 0) / timed.length;
  const suite = `training (base, ${source}, node wasm)`;
  const figures: BenchFigure[] = [
    { suite, name: 'GRPO step (4 prompts × G=8, ≤48 tokens)', value: avg('step_time'), unit: 's', note: `mean completion ${avg('completions/mean_length').toFixed(0)} tokens` },
    { suite, name: 'GRPO: rollout', value: avg('time/rollout'), unit: 's' },
    { suite, name: 'GRPO: reward', value: avg('time/reward'), unit: 's' },
    { suite, name: 'GRPO: reference log-probs', value: avg('time/ref_logprob'), unit: 's' },
    { suite, name: 'GRPO: update (fwd+bwd+Adam)', value: avg('time/update'), unit: 's' },
  ];
  // Peak tensor memory of one more step, under tf.profile (kept out of the timed steps: profiling slows them).
  const profile = await tf.profile(async () => void (await grpoStep(policy, reference, adam, cfg, items.slice(12, 16), 1e-5, rng)));
  figures.push({ suite: 'memory', name: 'grpo-step-peak-mb', value: profile.peakBytes / 2 ** 20, unit: 'MB', note: `base policy, 4 prompts × G=8, ≤48 tokens, micro-batches of ${cfg.microBatchSize} (target ≤ 600)` });
  const whole = await tf.profile(async () => void (await grpoStep(policy, reference, adam, { ...cfg, microBatchSize: 0 }, items.slice(16, 20), 1e-5, rng)));
  figures.push({ suite: 'memory', name: 'grpo-step-peak-mb-whole-batch', value: whole.peakBytes / 2 ** 20, unit: 'MB', note: 'the same step in one pass (microBatchSize 0)' });
  const sftTimes: number[] = [];
  await runTraining(policy, null, items, { method: 'sft', config: { ...DEFAULT_SFT, batchSize: 32, steps: 3 } }, { onStep: (_, m) => void sftTimes.push(m.step_time) });
  figures.push({ suite, name: 'SFT step (32 sequences)', value: (sftTimes[1] + sftTimes[2]) / 2, unit: 's' });
  adam.dispose();
  reference.dispose();
  policy.dispose();
  return figures;
}
