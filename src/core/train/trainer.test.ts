import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { classificationItems } from './fixtures.testutil';
import { tinyPolicy } from '../model/fixtures.testutil';
import { useBackend } from '../model/nodeBackends.testutil';
import type { Policy } from '../model/policy';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import { DEFAULT_GRPO } from './grpoConfig';
import type { RunSnapshot } from './runState';
import { DEFAULT_SFT, runTraining, stepItems } from './trainer';


async function weights(p: Policy): Promise<number[]> {
  return Array.from(await p.params.get('b0.attn.wqkv').data()).slice(0, 50);
}

describe('runTraining', () => {
  it('orders data by a seeded per-epoch permutation', () => {
    const xs = [0, 1, 2, 3, 4];
    const epoch0 = stepItems(xs, 5, 0, 1);
    expect([...epoch0].sort()).toEqual(xs);
    expect(stepItems(xs, 5, 0, 1)).toEqual(epoch0);
    expect(stepItems(xs, 2, 1, 1)).toEqual([epoch0[2], epoch0[3]]);
  });

  it('lowers the SFT loss and resumes from a snapshot exactly', async () => {
    await useBackend('cpu');
    const cfg = { ...DEFAULT_SFT, batchSize: 4, learningRate: 3e-3, steps: 6, seed: 3 };
    const straight = tinyPolicy(5);
    const losses: number[] = [];
    const a = await runTraining(straight, null, classificationItems(straight, 8), { method: 'sft', config: cfg }, { onStep: (_, m) => void losses.push(m.loss) });
    expect(losses[5]).toBeLessThan(losses[0]);

    const first = tinyPolicy(5);
    let snap: RunSnapshot | undefined;
    await runTraining(first, null, classificationItems(first, 8), { method: 'sft', config: cfg }, { snapshotEvery: 3, onSnapshot: (s) => void (snap ??= s), shouldStop: () => snap !== undefined });
    expect(snap?.step).toBe(3);
    const base = tinyPolicy(5);
    const resumed = await runTraining(base, null, classificationItems(base, 8), { method: 'sft', config: cfg }, {}, snap);
    expect(resumed.steps).toBe(6);
    const wa = await weights(a.policy);
    (await weights(resumed.policy)).forEach((v, i) => expect(v).toBeCloseTo(wa[i], 5));
    [straight, first, base, resumed.policy].forEach((p) => p.dispose());
  });

  it('SFT in micro-batches takes the same step as in one pass (loss and gradient norm to 1e-5)', async () => {
    await useBackend('cpu');
    const run = async (microBatchSize: number) => {
      const p = tinyPolicy(7);
      const logged: Record<string, number>[] = [];
      await runTraining(p, null, classificationItems(p, 8), { method: 'sft', config: { ...DEFAULT_SFT, batchSize: 7, steps: 2, microBatchSize } }, { onStep: (_, m) => void logged.push(m) });
      p.dispose();
      return logged;
    };
    const whole = await run(0);
    const parts = await run(3); // 7 rows: 3 + 3 + 1
    for (let i = 0; i < 2; i++) {
      expect(parts[i].loss).toBeCloseTo(whole[i].loss, 5);
      expect(parts[i].grad_norm).toBeCloseTo(whole[i].grad_norm, 5);
    }
    expect(whole[0].grad_norm).toBeGreaterThan(0);
  });

  it('skips a non-finite update and leaves the weights unchanged', async () => {
    await useBackend('cpu');
    const p = tinyPolicy(6);
    const bad = classificationItems(p, 4).map((it) => ({ ...it, image: new Float32Array(it.image.length).fill(NaN) }));
    const before = await weights(p);
    const r = await runTraining(p, null, bad, { method: 'sft', config: { ...DEFAULT_SFT, batchSize: 2, steps: 2 } });
    expect(r.skipped).toBe(2);
    expect(await weights(r.policy)).toEqual(before);
    p.dispose();
  });

  it('runs GRPO steps and streams rollouts', async () => {
    await useBackend('cpu');
    const p = tinyPolicy(7);
    const ref = p.frozenCopy();
    const seen: number[] = [];
    const start = tf.memory().numTensors;
    await runTraining(p, ref, classificationItems(p, 4), { method: 'grpo', config: { ...DEFAULT_GRPO, numGenerations: 2, promptsPerStep: 2, maxCompletionLength: 6, steps: 2, rewardFunctions: ['accuracy_cls', 'format'] } }, { onRollouts: (step, r) => void seen.push(step, r.length) });
    expect(seen).toEqual([1, 4, 2, 4]);
    expect(tf.memory().numTensors).toBe(start);
    p.dispose();
    ref.dispose();
  });

  it('a GRPO run stopped at step k and resumed with the KL reference from its parent checkpoint equals an uninterrupted run, in weights and every metric', async () => {
    await useBackend('cpu');
    const cfg = { ...DEFAULT_GRPO, numGenerations: 2, promptsPerStep: 2, maxCompletionLength: 6, steps: 4, learningRate: 1e-3, seed: 9, rewardFunctions: ['accuracy_cls', 'format'] as const };
    const how = { method: 'grpo' as const, config: { ...cfg, rewardFunctions: [...cfg.rewardFunctions] } };
    const parent = tinyPolicy(11);
    const parentBytes = await saveCheckpoint(parent);
    // Uninterrupted: the worker trains a copy, its reference a frozen copy of the parent.
    const straightLog: Record<string, number>[] = [];
    const trainee = parent.copy();
    const ref1 = parent.frozenCopy();
    const straight = await runTraining(trainee, ref1, classificationItems(parent, 4), how, { onStep: (_, m) => void straightLog.push(m) });
    // Interrupted at step 2 (a reload), resumed in a fresh "page": the reference comes from the parent's bytes.
    const firstLog: Record<string, number>[] = [];
    let snap: RunSnapshot | undefined;
    const t2 = parent.copy();
    const ref2 = parent.frozenCopy();
    await runTraining(t2, ref2, classificationItems(parent, 4), how, { snapshotEvery: 2, onStep: (_, m) => void firstLog.push(m), onSnapshot: (s) => void (snap ??= s), shouldStop: () => snap !== undefined });
    expect(snap?.step).toBe(2);
    const reloaded = loadCheckpoint(parentBytes, { trainable: false }).policy;
    const t3 = reloaded.copy();
    const resumedLog: Record<string, number>[] = [];
    const resumed = await runTraining(t3, reloaded, classificationItems(parent, 4), how, { onStep: (_, m) => void resumedLog.push(m) }, snap);
    const log = [...firstLog.slice(0, 2), ...resumedLog];
    expect(log).toHaveLength(4);
    straightLog.forEach((m, i) => {
      for (const [k, v] of Object.entries(m)) if (k !== 'step_time' && !k.endsWith('_ms') && !k.startsWith('time/')) expect(Math.abs(log[i][k] - v), `${k} at step ${i + 1}`).toBeLessThanOrEqual(1e-6);
    });
    const wa = await straight.policy.params.toArrays();
    const wb = await resumed.policy.params.toArrays();
    for (const [name, a] of wa) {
      const b = wb.get(name)!;
      let d = 0;
      for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
      expect(d, name).toBeLessThanOrEqual(1e-6);
    }
    // The parent itself never changed.
    const again = loadCheckpoint(parentBytes).policy;
    expect(await weights(again)).toEqual(await weights(parent));
    new Set([parent, trainee, ref1, straight.policy, t2, ref2, reloaded, t3, resumed.policy, again]).forEach((p) => p.dispose());
  });
});
