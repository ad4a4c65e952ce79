import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { POLICY_CONFIGS, visualShape } from '../model/config';
import { completionLogprobs } from '../model/logprobs';
import { useBackend } from '../model/nodeBackends.testutil';
import { Policy } from '../model/policy';
import { Rng } from '../rng';
import { worldVocabulary } from '../world/tasks';
import { DEFAULT_GRPO } from './grpoConfig';
import { MEMORY_BUDGET_MB, grpoStepMemory, memoryProblem, stepMemory } from './memoryEstimate';

describe('memory estimate', () => {
  it('is within 25 % of the measured peak of a forward/backward pass', async () => {
    await useBackend('wasm');
    // A shape the formula was not fitted on: base width, 3 layers, 3 rows of 2 + 30 text tokens.
    const config = { ...POLICY_CONFIGS.base, nLayers: 3 };
    const policy = Policy.create(config, { coordBins: config.coordBins, words: worldVocabulary() });
    const tok = policy.tokenizer;
    const rng = new Rng(3);
    const rows = 3;
    const images = tf.randomUniform([rows, ...visualShape(config)]) as tf.Tensor4D;
    const batch = { images, prompts: Array.from({ length: rows }, () => [tok.taskId('detection'), tok.wordId('cat')]), completions: Array.from({ length: rows }, () => Array.from({ length: 30 }, () => rng.int(tok.coordStart, tok.size - 1))) };
    const start = tf.memory().numBytes;
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(completionLogprobs(policy, batch).logprobs) as tf.Scalar, policy.params.trainable);
      tf.dispose([value, ...Object.values(grads)]);
    });
    const measuredMB = (info.peakBytes - start) / 2 ** 20;
    const e = stepMemory(config, tok.size, policy.parameterCount(), rows, 32, false);
    const passMB = e.peakMB - e.residentMB;
    expect(passMB / measuredMB).toBeGreaterThan(0.75);
    expect(passMB / measuredMB).toBeLessThan(1.25);
    images.dispose();
    policy.dispose();
  });

  it('refuses a step above the budget and says which micro-batch size fits', () => {
    const c = POLICY_CONFIGS.base;
    const fits = grpoStepMemory(c, 541, 1.1e6, { ...DEFAULT_GRPO });
    expect(fits.rowsPerPass).toBe(8);
    expect(fits.peakMB).toBeLessThan(700);
    expect(memoryProblem(fits)).toBeNull();
    const whole = grpoStepMemory(c, 541, 1.1e6, { ...DEFAULT_GRPO, promptsPerStep: 8, microBatchSize: 0 });
    expect(whole.rowsPerPass).toBe(64);
    expect(whole.peakMB).toBeGreaterThan(MEMORY_BUDGET_MB);
    const why = memoryProblem(whole) ?? '';
    const n = Number(/micro-batch size to (\d+)/.exec(why)?.[1]);
    expect(n).toBeGreaterThan(8);
    expect(memoryProblem(grpoStepMemory(c, 541, 1.1e6, { ...DEFAULT_GRPO, promptsPerStep: 8, microBatchSize: n }))).toBeNull();
    expect(memoryProblem(grpoStepMemory(c, 541, 1.1e6, { ...DEFAULT_GRPO, promptsPerStep: 8, microBatchSize: n + 1 }))).not.toBeNull();
  });
});
