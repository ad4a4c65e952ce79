/**
 * A launch kit: the same run taken to a GPU cluster on an existing RL engine for VLMs. From a run bundle's config
 * and dataset it writes the dataset in Visual-RFT JSON and VLM-R1 JSONL (formats/visualRft.ts, the exports that
 * exist), an EasyR1 (verl on Ray) config with a reward function, a VLM-R1 (TRL) launch script, and a README with
 * every setting's counterpart — and those that have none.
 *
 * The keys follow the engines' own config classes, read from their sources (hiyouga/EasyR1: examples/config.yaml,
 * verl/trainer/config.py DataConfig/AlgorithmConfig/TrainerConfig, verl/workers/actor/config.py ActorConfig/
 * OptimConfig, verl/workers/rollout/config.py RolloutConfig; om-ai-lab/VLM-R1: src/open-r1-multimodal/src/open_r1/
 * grpo_jsonl.py GRPOScriptArguments, with TRL's GRPOConfig for the trainer's flags). launchKit.test.ts checks
 * the generated files against those key lists.
 */
import type { BundleManifest } from '../core/bundle/runBundle';
import type { Dataset } from '../core/dataset/types';
import { serializeVisualRft, serializeVlmR1 } from './visualRft';

/** One setting of the run and where it goes in each engine (null: no counterpart there, with the reason). */
export interface KitRow {
  setting: string;
  value: string;
  easyr1: { key: string; value: string | number | boolean } | { none: string };
  vlmr1: { flag: string; value: string | number | boolean } | { none: string };
}

const num = (c: Record<string, unknown>, k: string, d: number) => (typeof c[k] === 'number' ? (c[k] as number) : d);
const str = (c: Record<string, unknown>, k: string, d: string) => (typeof c[k] === 'string' ? (c[k] as string) : d);

/** The mapping of a GRPO run's config (GrpoConfig fields, their defaults where absent). */
export function kitRows(config: Record<string, unknown>): KitRow[] {
  const G = num(config, 'numGenerations', 8);
  const prompts = num(config, 'promptsPerStep', 4);
  const beta = num(config, 'beta', 0.04);
  const lossType = str(config, 'lossType', 'grpo');
  const scale = str(config, 'scaleRewards', 'group');
  const schedule = str(config, 'lrSchedule', 'linear');
  const sync = num(config, 'syncRefEvery', 0);
  const topK = num(config, 'topK', 0);
  const functions = Array.isArray(config.rewardFunctions) ? (config.rewardFunctions as string[]) : [];
  const mode = str(config, 'rewardMode', 'reference');
  const rows: KitRow[] = [
    { setting: 'numGenerations (G)', value: String(G), easyr1: { key: 'worker.rollout.n', value: G }, vlmr1: { flag: '--num_generations', value: G } },
    { setting: 'promptsPerStep', value: String(prompts), easyr1: { key: 'data.rollout_batch_size', value: prompts }, vlmr1: { flag: '--gradient_accumulation_steps', value: prompts } },
    { setting: 'promptsPerStep × G (completions per update)', value: String(prompts * G), easyr1: { key: 'worker.actor.global_batch_size', value: prompts }, vlmr1: { flag: '--per_device_train_batch_size', value: G } },
    { setting: 'temperature', value: String(num(config, 'temperature', 1)), easyr1: { key: 'worker.rollout.temperature', value: num(config, 'temperature', 1) }, vlmr1: { flag: '--temperature', value: num(config, 'temperature', 1) } },
    { setting: 'topK', value: String(topK), easyr1: { key: 'worker.rollout.top_k', value: topK > 0 ? topK : -1 }, vlmr1: topK > 0 ? { flag: '--top_k', value: topK } : { none: 'TRL samples from the whole vocabulary by default, as topK 0 does' } },
    { setting: 'maxCompletionLength', value: String(num(config, 'maxCompletionLength', 48)), easyr1: { key: 'data.max_response_length', value: num(config, 'maxCompletionLength', 48) }, vlmr1: { flag: '--max_completion_length', value: num(config, 'maxCompletionLength', 48) } },
    {
      setting: 'beta (k3 KL toward the frozen reference)',
      value: String(beta),
      easyr1: beta === 0 ? { key: 'algorithm.disable_kl', value: true } : { key: 'algorithm.kl_coef', value: beta },
      vlmr1: { flag: '--beta', value: beta },
    },
    { setting: 'epsilonLow', value: String(num(config, 'epsilonLow', 0.2)), easyr1: { key: 'worker.actor.clip_ratio_low', value: num(config, 'epsilonLow', 0.2) }, vlmr1: { flag: '--epsilon', value: num(config, 'epsilonLow', 0.2) } },
    { setting: 'epsilonHigh', value: String(num(config, 'epsilonHigh', 0.2)), easyr1: { key: 'worker.actor.clip_ratio_high', value: num(config, 'epsilonHigh', 0.2) }, vlmr1: { flag: '--epsilon_high', value: num(config, 'epsilonHigh', 0.2) } },
    { setting: 'numIterations (μ)', value: String(num(config, 'numIterations', 1)), easyr1: { key: 'worker.actor.ppo_epochs', value: num(config, 'numIterations', 1) }, vlmr1: { flag: '--num_iterations', value: num(config, 'numIterations', 1) } },
    {
      setting: 'lossType',
      value: lossType,
      easyr1: lossType === 'grpo' ? { key: 'worker.actor.loss_avg_mode', value: 'seq' } : lossType === 'bnpo' || lossType === 'dapo' ? { key: 'worker.actor.loss_avg_mode', value: 'token' } : { none: 'EasyR1 averages per token or per sequence; dr_grpo’s constant normaliser has no setting' },
      vlmr1: lossType === 'dapo' ? { none: 'TRL’s loss_type of the VLM-R1 era has grpo, bnpo and dr_grpo; bnpo is the closest' } : { flag: '--loss_type', value: lossType },
    },
    {
      setting: 'scaleRewards',
      value: scale,
      easyr1: scale === 'group' ? { key: 'algorithm.adv_estimator', value: 'grpo' } : { none: 'EasyR1’s grpo estimator always divides by the group’s std' },
      vlmr1: scale === 'batch' ? { none: 'TRL scales by the group’s std or not at all' } : { flag: '--scale_rewards', value: scale === 'group' },
    },
    { setting: 'learningRate', value: String(num(config, 'learningRate', 1e-4)), easyr1: { key: 'worker.actor.optim.lr', value: num(config, 'learningRate', 1e-4) }, vlmr1: { flag: '--learning_rate', value: num(config, 'learningRate', 1e-4) } },
    {
      setting: 'lrSchedule',
      value: schedule,
      easyr1: schedule === 'linear' ? { none: 'EasyR1’s scheduler is constant or cosine; linear decay has no setting (constant written)' } : { key: 'worker.actor.optim.lr_scheduler_type', value: schedule },
      vlmr1: { flag: '--lr_scheduler_type', value: schedule },
    },
    { setting: 'warmupSteps', value: String(num(config, 'warmupSteps', 0)), easyr1: { key: 'worker.actor.optim.lr_warmup_steps', value: num(config, 'warmupSteps', 0) }, vlmr1: { flag: '--warmup_steps', value: num(config, 'warmupSteps', 0) } },
    { setting: 'maxGradNorm', value: String(num(config, 'maxGradNorm', 1)), easyr1: { key: 'worker.actor.max_grad_norm', value: num(config, 'maxGradNorm', 1) }, vlmr1: { flag: '--max_grad_norm', value: num(config, 'maxGradNorm', 1) } },
    { setting: 'steps', value: String(num(config, 'steps', 100)), easyr1: { key: 'trainer.max_steps', value: num(config, 'steps', 100) }, vlmr1: { flag: '--max_steps', value: num(config, 'steps', 100) } },
    { setting: 'seed', value: String(num(config, 'seed', 1)), easyr1: { key: 'data.seed', value: num(config, 'seed', 1) }, vlmr1: { flag: '--seed', value: num(config, 'seed', 1) } },
    {
      setting: 'syncRefEvery',
      value: String(sync),
      easyr1: sync === 0 ? { key: 'worker.ref (frozen)', value: 'default' } : { none: 'EasyR1’s reference stays frozen' },
      vlmr1: sync === 0 ? { flag: '--sync_ref_model', value: false } : { flag: '--ref_model_sync_steps', value: sync },
    },
    { setting: 'microBatchSize', value: String(num(config, 'microBatchSize', 8)), easyr1: { key: 'worker.actor.micro_batch_size_per_device_for_update', value: Math.max(1, num(config, 'microBatchSize', 8)) }, vlmr1: { none: 'TRL takes the per-device batch in one pass; gradient checkpointing (--gradient_checkpointing) saves the memory instead' } },
    {
      setting: 'rewardFunctions, rewardWeights',
      value: functions.map((f) => `${f}×${(config.rewardWeights as Record<string, number> | undefined)?.[f] ?? 1}`).join(' + '),
      easyr1: { key: 'worker.reward.score_function', value: './reward_function/visual_rft.py:compute_score' },
      vlmr1: { none: 'VLM-R1’s --reward_funcs are accuracy (its own matching, no confidence reward) and format; the kit runs accuracy + format and says so' },
    },
    {
      setting: 'rewardMode',
      value: mode,
      easyr1: mode === 'reference' ? { key: 'reward_function/visual_rft.py', value: 'reference semantics' } : { none: 'the kit’s reward function is the released code’s (reference); strict mode has no port' },
      vlmr1: { none: 'VLM-R1 scores with its own reward code' },
    },
  ];
  return rows;
}

const yamlValue = (v: string | number | boolean) => (typeof v === 'string' ? (/^[\w./:-]+$/.test(v) ? v : JSON.stringify(v)) : String(v));

/** EasyR1's config.yaml: the run's settings under EasyR1's keys, the rest at EasyR1's example values. */
export function easyR1Config(rows: KitRow[], model: string, name: string): string {
  const set = new Map<string, string | number | boolean>();
  for (const r of rows) if ('key' in r.easyr1 && r.easyr1.key.split('.').length > 1 && !r.easyr1.key.includes(' ')) set.set(r.easyr1.key, r.easyr1.value);
  const v = (k: string, d: string | number | boolean) => yamlValue(set.get(k) ?? d);
  return `# EasyR1 (hiyouga/EasyR1) config for the run "${name}", written by Visual-RFT Workbench.
# Run from the EasyR1 checkout: python3 -m verl.trainer.main config=<this kit>/easyr1/config.yaml
data:
  train_files: ./data/vlm-r1/train.jsonl
  val_files: ./data/vlm-r1/eval.jsonl
  prompt_key: problem
  answer_key: answer
  image_key: images
  max_prompt_length: 1024
  max_response_length: ${v('data.max_response_length', 512)}
  rollout_batch_size: ${v('data.rollout_batch_size', 4)}
  shuffle: true
  seed: ${v('data.seed', 1)}

algorithm:
  adv_estimator: ${v('algorithm.adv_estimator', 'grpo')}
  disable_kl: ${v('algorithm.disable_kl', false)}
  use_kl_loss: true
  kl_penalty: low_var_kl
  kl_coef: ${v('algorithm.kl_coef', 0.04)}

worker:
  actor:
    global_batch_size: ${v('worker.actor.global_batch_size', 4)}
    micro_batch_size_per_device_for_update: ${v('worker.actor.micro_batch_size_per_device_for_update', 4)}
    micro_batch_size_per_device_for_experience: 16
    max_grad_norm: ${v('worker.actor.max_grad_norm', 1.0)}
    clip_ratio_low: ${v('worker.actor.clip_ratio_low', 0.2)}
    clip_ratio_high: ${v('worker.actor.clip_ratio_high', 0.2)}
    loss_avg_mode: ${v('worker.actor.loss_avg_mode', 'token')}
    ppo_epochs: ${v('worker.actor.ppo_epochs', 1)}
    model:
      model_path: ${model}
      enable_gradient_checkpointing: true
      freeze_vision_tower: false
    optim:
      lr: ${v('worker.actor.optim.lr', 1e-6)}
      weight_decay: 1.0e-2
      strategy: adamw
      lr_warmup_steps: ${v('worker.actor.optim.lr_warmup_steps', 0)}
      lr_scheduler_type: ${v('worker.actor.optim.lr_scheduler_type', 'constant')}
  rollout:
    n: ${v('worker.rollout.n', 8)}
    temperature: ${v('worker.rollout.temperature', 1.0)}
    top_k: ${v('worker.rollout.top_k', -1)}
    tensor_parallel_size: 1
  reward:
    reward_type: function
    score_function: ./reward_function/visual_rft.py:compute_score

trainer:
  max_steps: ${v('trainer.max_steps', 100)}
  project_name: visual_rft_workbench
  experiment_name: ${yamlValue(name.replace(/[^\w-]+/g, '_'))}
  n_gpus_per_node: 1
  nnodes: 1
  val_freq: 5
  val_before_train: true
  save_freq: -1
  logger: ["console"]
`;
}

/** VLM-R1's launch: torchrun of grpo_jsonl.py with the run's settings as TRL GRPOConfig flags. */
export function vlmR1Script(rows: KitRow[], model: string): string {
  const flags = rows.flatMap((r) => ('flag' in r.vlmr1 ? [`  ${r.vlmr1.flag} ${String(r.vlmr1.value)} \\`] : []));
  return `#!/usr/bin/env bash
# VLM-R1 (om-ai-lab/VLM-R1) launch for one GPU, written by Visual-RFT Workbench. Run from src/open-r1-multimodal
# of a VLM-R1 checkout, with KIT set to this kit's folder. With N GPUs, divide --gradient_accumulation_steps by N.
set -euo pipefail
KIT=\${KIT:?set KIT to the launch kit folder}
torchrun --nproc_per_node=1 src/open_r1/grpo_jsonl.py \\
  --model_name_or_path ${model} \\
  --data_file_paths "$KIT/data/vlm-r1/train.jsonl" \\
  --image_folders "$KIT/data" \\
  --reward_funcs accuracy format \\
  --output_dir "$KIT/vlm-r1-output" \\
  --bf16 true \\
  --gradient_checkpointing true \\
  --logging_steps 1 \\
${flags.join('\n')}
  --report_to none
`;
}

export interface LaunchKitInput {
  manifest: BundleManifest;
  dataset: Dataset;
  /** The dataset's image bytes by file name. */
  images: Map<string, Uint8Array>;
  /** tools/reference_rewards.py: the released code's rewards, which the EasyR1 reward function calls. */
  rewardsPy: string;
  /** The Hugging Face model to train (the kit cannot take our small policy to a VLM). Default Qwen/Qwen2-VL-2B-Instruct. */
  model?: string;
}

/** The kit's files, by path. */
export function launchKit(k: LaunchKitInput): Record<string, string | Uint8Array> {
  const m = k.manifest;
  if (m.run.method !== 'grpo') throw new Error('a launch kit takes a GRPO (RFT) run to an RL engine; this run is SFT');
  const model = k.model ?? 'Qwen/Qwen2-VL-2B-Instruct';
  const rows = kitRows(m.run.config);
  const files: Record<string, string | Uint8Array> = {
    'data/visual-rft/train.json': serializeVisualRft(k.dataset, 'train'),
    'data/visual-rft/eval.json': serializeVisualRft(k.dataset, 'eval'),
    'data/vlm-r1/train.jsonl': serializeVlmR1(k.dataset, 'train'),
    'data/vlm-r1/eval.jsonl': serializeVlmR1(k.dataset, 'eval'),
    'easyr1/config.yaml': easyR1Config(rows, model, m.run.name),
    'easyr1/reward_function/reference_rewards.py': k.rewardsPy,
    'easyr1/reward_function/visual_rft.py': easyR1Reward(m.run.config),
    'vlm-r1/run_grpo.sh': vlmR1Script(rows, model),
    'README.md': kitReadme(m, rows, model),
  };
  for (const [name, bytes] of k.images) files[`data/images/${name}`] = bytes;
  return files;
}

/** EasyR1's score function: the run's reward functions and weights, by the released code's rewards. */
function easyR1Reward(config: Record<string, unknown>): string {
  const functions = Array.isArray(config.rewardFunctions) ? (config.rewardFunctions as string[]) : ['accuracy_iou', 'accuracy_confidence', 'format'];
  const weights = (config.rewardWeights as Record<string, number> | undefined) ?? {};
  return `"""EasyR1 score function of a Visual-RFT Workbench run: ${functions.join(' + ')}, reference semantics.
compute_score(predict, ground_truth) returns EasyR1's dict with "overall" (the weighted sum the run trained on)
and each reward function's value. The task is read from the solution's shape."""
from reference_rewards import accuracy_cls, compute_reward_confidence, compute_reward_iou, detection_reward, format_reward, grounding

WEIGHTS = {${functions.map((f) => `${JSON.stringify(f)}: ${weights[f] ?? 1}`).join(', ')}}


def compute_score(predict: str, ground_truth: str) -> dict:
    if "Position" in ground_truth or "No Objects" in ground_truth:
        scores = {"accuracy_iou": detection_reward(predict, ground_truth, compute_reward_iou), "accuracy_confidence": detection_reward(predict, ground_truth, compute_reward_confidence)}
    elif "),(" in ground_truth.replace(" ", ""):
        g, i = grounding(predict, ground_truth)
        scores = {"grounding_giou": g, "grounding_iou": i}
    else:
        scores = {"accuracy_cls": accuracy_cls(predict, ground_truth)}
    scores["format"] = format_reward(predict)
    scores["overall"] = sum(WEIGHTS.get(k, 0) * v for k, v in scores.items())
    return scores
`;
}

function kitReadme(m: BundleManifest, rows: KitRow[], model: string): string {
  const cell = (x: KitRow['easyr1'] | KitRow['vlmr1']) => ('none' in x ? `— (${x.none})` : 'key' in x ? `\`${x.key}: ${x.value}\`` : `\`${x.flag} ${x.value}\``);
  return `# Launch kit: ${m.run.name}

The run of Visual-RFT Workbench "${m.run.name}" (${m.run.steps} steps on dataset "${m.run.data.kind === 'dataset' ? m.run.data.datasetName : ''}", app ${m.code.app}${m.code.commit ? ` at ${m.code.commit}` : ''}) taken to a GPU cluster, on ${model} (set another in the files). In the browser the policy was the workbench's small one; here the same data, settings and rewards train a real VLM.

- \`data/\`: the dataset in Visual-RFT training JSON (\`visual-rft/\`) and VLM-R1 JSONL (\`vlm-r1/\`), images in \`images/\`, coordinates in 0–1000.
- \`easyr1/config.yaml\` and \`easyr1/reward_function/\`: EasyR1 (verl on Ray). From an EasyR1 checkout: \`python3 -m verl.trainer.main config=<kit>/easyr1/config.yaml\` (paths in the file are relative to the kit: run from it, or edit them). The reward function calls \`reference_rewards.py\`, the released Visual-RFT rewards that the workbench's scorer is tested against.
- \`vlm-r1/run_grpo.sh\`: VLM-R1 (TRL's GRPOTrainer), \`KIT=<kit> bash run_grpo.sh\` from \`src/open-r1-multimodal\` of a VLM-R1 checkout.

Keys follow EasyR1's config classes (DataConfig, AlgorithmConfig, ActorConfig, OptimConfig, RolloutConfig, TrainerConfig) and VLM-R1's \`grpo_jsonl.py\` arguments with TRL's GRPOConfig; check them against the versions you run.

| setting of the run | value | EasyR1 | VLM-R1 (TRL) |
| --- | --- | --- | --- |
${rows.map((r) => `| ${r.setting} | ${r.value} | ${cell(r.easyr1)} | ${cell(r.vlmr1)} |`).join('\n')}

Settings marked — have no counterpart in that engine: the kit writes the nearest one, as the row says.
`;
}
