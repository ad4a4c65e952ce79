import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../core/bundle/runBundle';
import type { Dataset } from '../core/dataset/types';
import { findPython } from '../core/pythonOracle.testutil';
import { taskRewards } from '../core/rewards/registry';
import { DEFAULT_GRPO } from '../core/train/grpoConfig';
import { launchKit } from './launchKit';

/**
 * The engines' documented keys, transcribed from their config classes (hiyouga/EasyR1 verl/trainer/config.py,
 * verl/workers/actor/config.py, verl/workers/rollout/config.py, examples/config.yaml's worker.reward) and from
 * VLM-R1's grpo_jsonl.py GRPOScriptArguments with TRL's GRPOConfig / TrainingArguments / ModelConfig.
 */
const EASYR1_KEYS = new Set([
  ...['train_files', 'val_files', 'prompt_key', 'answer_key', 'image_key', 'max_prompt_length', 'max_response_length', 'rollout_batch_size', 'val_batch_size', 'format_prompt', 'shuffle', 'seed', 'max_pixels', 'min_pixels'].map((k) => `data.${k}`),
  ...['gamma', 'lam', 'adv_estimator', 'disable_kl', 'use_kl_loss', 'kl_penalty', 'kl_coef', 'kl_type'].map((k) => `algorithm.${k}`),
  ...['strategy', 'global_batch_size', 'micro_batch_size_per_device_for_update', 'micro_batch_size_per_device_for_experience', 'max_grad_norm', 'clip_ratio_low', 'clip_ratio_high', 'clip_ratio_dual', 'loss_avg_mode', 'ppo_epochs', 'padding_free'].map((k) => `worker.actor.${k}`),
  ...['model_path', 'tokenizer_path', 'enable_gradient_checkpointing', 'trust_remote_code', 'freeze_vision_tower'].map((k) => `worker.actor.model.${k}`),
  ...['lr', 'betas', 'weight_decay', 'strategy', 'lr_warmup_ratio', 'lr_warmup_steps', 'min_lr_ratio', 'lr_scheduler_type'].map((k) => `worker.actor.optim.${k}`),
  ...['name', 'n', 'temperature', 'top_p', 'top_k', 'seed', 'limit_images', 'gpu_memory_utilization', 'tensor_parallel_size'].map((k) => `worker.rollout.${k}`),
  'worker.reward.reward_type',
  'worker.reward.score_function',
  ...['total_episodes', 'max_steps', 'project_name', 'experiment_name', 'logger', 'nnodes', 'n_gpus_per_node', 'val_freq', 'val_before_train', 'val_only', 'save_freq', 'save_limit'].map((k) => `trainer.${k}`),
]);
const VLMR1_FLAGS = new Set(
  [
    'data_file_paths', 'image_folders', 'reward_funcs', 'reward_method', 'max_pixels', 'min_pixels', // GRPOScriptArguments
    'model_name_or_path', 'attn_implementation', // ModelConfig
    'num_generations', 'max_completion_length', 'max_prompt_length', 'temperature', 'top_k', 'top_p', 'beta', 'epsilon', 'epsilon_high', 'num_iterations', 'loss_type', 'scale_rewards', 'reward_weights', 'sync_ref_model', 'ref_model_sync_steps', // GRPOConfig
    'output_dir', 'bf16', 'gradient_checkpointing', 'logging_steps', 'per_device_train_batch_size', 'gradient_accumulation_steps', 'learning_rate', 'lr_scheduler_type', 'warmup_steps', 'max_grad_norm', 'max_steps', 'seed', 'report_to', // TrainingArguments
  ].map((f) => `--${f}`),
);

/** Key paths of a YAML mapping written with two-space indents (what easyR1Config writes). */
function yamlKeys(text: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^( *)([\w]+):(.*)$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    const depth = m[1].length / 2;
    stack.length = depth;
    stack.push(m[2]);
    if (m[3].trim()) out.push(stack.join('.'));
  }
  return out;
}

const dataset: Dataset = {
  name: 'cats',
  task: 'detection',
  classes: [{ id: 0, name: 'cat', color: '#000' }],
  images: [
    { id: 'a', fileName: 'a.jpg', width: 200, height: 100, split: 'train', annotations: [{ id: 'x', classId: 0, box: [20, 10, 100, 90] }] },
    { id: 'b', fileName: 'b.jpg', width: 200, height: 100, split: 'eval', annotations: [] },
  ],
};
const manifest = (config: Record<string, unknown>, method: 'grpo' | 'sft' = 'grpo'): BundleManifest => ({
  format: 'vrft-run-bundle',
  version: 1,
  createdAt: '2026-12-01T00:00:00Z',
  code: { app: '0.1.0' },
  run: { id: 'r', name: 'cats · RFT · 20', method, data: { kind: 'dataset', datasetName: 'cats', task: 'detection', split: 'train' }, config, steps: 20, wallSeconds: 9 },
  start: { name: 'base policy', sha256: 'a'.repeat(64) },
  final: null,
  finalMetrics: {},
  contents: { dataset: true, startWeights: false, finalWeights: false },
});
const rewardsPy = readFileSync('tools/reference_rewards.py', 'utf8');

describe('launch kits', () => {
  const config = { ...DEFAULT_GRPO, numGenerations: 4, promptsPerStep: 2, beta: 0.02, epsilonHigh: 0.28, lossType: 'bnpo', lrSchedule: 'cosine', steps: 20, rewardWeights: { format: 0.5 } };
  const files = launchKit({ manifest: manifest(config), dataset, images: new Map([['a.jpg', new Uint8Array([1])], ['b.jpg', new Uint8Array([2])]]), rewardsPy });

  it('write the dataset in both exports, EasyR1 keys of its config classes, VLM-R1 flags of its arguments', () => {
    expect(Object.keys(files).sort()).toEqual(['README.md', 'data/images/a.jpg', 'data/images/b.jpg', 'data/visual-rft/eval.json', 'data/visual-rft/train.json', 'data/vlm-r1/eval.jsonl', 'data/vlm-r1/train.jsonl', 'easyr1/config.yaml', 'easyr1/reward_function/reference_rewards.py', 'easyr1/reward_function/visual_rft.py', 'vlm-r1/run_grpo.sh'].sort());
    const yaml = files['easyr1/config.yaml'] as string;
    const unknown = yamlKeys(yaml).filter((k) => !EASYR1_KEYS.has(k));
    expect(unknown).toEqual([]);
    for (const [k, v] of [['worker.rollout.n', '4'], ['data.rollout_batch_size', '2'], ['algorithm.kl_coef', '0.02'], ['worker.actor.clip_ratio_high', '0.28'], ['worker.actor.loss_avg_mode', 'token'], ['worker.actor.optim.lr_scheduler_type', 'cosine'], ['trainer.max_steps', '20']]) {
      const leaf = k.split('.').pop();
      expect(yaml, k).toMatch(new RegExp(`\\n\\s+${leaf}: ${v.replace('.', '\\.')}\\n`));
    }
    const sh = files['vlm-r1/run_grpo.sh'] as string;
    const flags = [...sh.slice(sh.indexOf('grpo_jsonl.py')).matchAll(/(--\w+)/g)].map((m) => m[1]); // the script's, not torchrun's
    expect(flags.filter((f) => !VLMR1_FLAGS.has(f))).toEqual([]);
    expect(sh).toContain('--num_generations 4 \\');
    expect(sh).toContain('--loss_type bnpo \\');
    expect(sh).toContain('--epsilon_high 0.28 \\');
    const readme = files['README.md'] as string;
    expect(readme).toContain('| microBatchSize | 8 | `worker.actor.micro_batch_size_per_device_for_update: 8` | — (TRL takes the per-device batch');
  });

  it('say which settings have no counterpart, and refuse an SFT run', () => {
    const drgrpo = launchKit({ manifest: manifest({ ...config, lossType: 'dr_grpo', scaleRewards: 'batch', lrSchedule: 'linear' }), dataset, images: new Map([['a.jpg', new Uint8Array([1])], ['b.jpg', new Uint8Array([2])]]), rewardsPy });
    const readme = drgrpo['README.md'] as string;
    expect(readme).toMatch(/\| lossType \| dr_grpo \| — \(EasyR1 averages per token or per sequence/);
    expect(readme).toMatch(/\| scaleRewards \| batch \| — \(EasyR1’s grpo estimator always divides by the group’s std\) \| — \(TRL scales by the group’s std or not at all\) \|/);
    expect(readme).toMatch(/\| lrSchedule \| linear \| — \(EasyR1’s scheduler is constant or cosine/);
    expect(() => launchKit({ manifest: manifest(config, 'sft'), dataset, images: new Map(), rewardsPy })).toThrow(/this run is SFT/);
  });

  const PY = findPython();
  it.skipIf(PY === null && !process.env.CI)('EasyR1 reward function gives the run’s weighted reward (the scorer’s numbers)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-'));
    for (const [path, body] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), body);
    }
    const solution = "<answer>[{'Position': [100, 100, 500, 900], 'Confidence': 1}]</answer>";
    const completion = "<think>a cat</think><answer>[{'Position': [120, 100, 500, 800], 'Confidence': 0.8}]</answer>";
    const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(join(dir, 'easyr1/reward_function'))})\nfrom visual_rft import compute_score\nprint(json.dumps(compute_score(${JSON.stringify(completion)}, ${JSON.stringify(solution)})))`;
    const got = JSON.parse(execFileSync(PY ?? 'python3', ['-c', script]).toString()) as Record<string, number>;
    const want = taskRewards('detection', completion, solution, 'reference') as Record<string, number>;
    for (const k of ['accuracy_iou', 'accuracy_confidence', 'format']) expect(got[k], k).toBeCloseTo(want[k], 9);
    expect(got.overall).toBeCloseTo(want.accuracy_iou + want.accuracy_confidence + 0.5 * want.format, 9);
  });
});
