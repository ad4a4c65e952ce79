/**
 * npm run pretrain -- [--config base] [--steps 4000] [--batch 32] [--lr 5e-4] [--warmup 150] [--seed 1]
 *                     [--patch-weight 1] [--stem conv|linear] [--fresh]
 *                     [--state .pretrain] [--out public/models/base] [--save-every 25] [--eval-every 250]
 *                     [--finalize] [--card-samples 1000]
 *                     [--init CKPT] [--phase-start N] [--mixture 0.5,0.2,0.3] [--absent-share 0.25] [--box-pointer | --no-box-pointer] [--box-weight 1] [--pointer-weight 0] [--name-pointer-weight 0]
 *                     [--image-attention causal|full] [--coord-features K] [--coord-gate 0] [--coord-sigma 0]
 *                     [--confidence-phase] [--confidence-temperature 0]
 *                     [--stem tower|hybrid [--tower-res 128] [--tower-layer stride16] [--tower-input nanodet-bgr|rgb-unit] [--projector mlp|linear]]
 *                     [--image-size N --patch-size P] [--max-minutes M] [--stop-at STEP] [--feature-cache .features]
 *
 * --stem tower|hybrid: a new policy that reads the frozen vision tower (model/tower.ts) at --tower-res and
 * --tower-layer; scenes render at that resolution, their visual inputs come from the disk cache (featureCache.ts).
 * --image-size/--patch-size: a new policy's pixel input (the hybrid's stem reads imageSize px; a pixel stem at
 * 128 px needs 16-px patches for the same 8×8 token grid). --max-minutes: save and stop after M minutes of
 * this invocation's wall time (equal-time comparisons of architectures); a rerun continues.
 *
 * SFT pretraining of the base policy on the synthetic world (Node, WASM backend): one phase of the recipe, run by
 * the app's and the experiments' training loop (core/train/trainer.ts runTraining, with the world's seeded stream as
 * its batch source and the pretraining losses as its loss parts; optimizer PRETRAIN_OPTIMIZER, batchSource.ts).
 * Its states are the loop's snapshots (policy.vrft, adam.bin); it reproduces the loop it replaced step for step.
 * `npm run pretrain-all` replays the shipped policy's whole recipe (scripts/pretrainRecipe.ts). Seeded and resumable:
 * after kill -9, rerunning continues from the last save in --state (weights, Adam moments, step). With no
 * state but a checkpoint in --out (a fresh clone), it continues from that checkpoint's step with new Adam
 * moments after a short re-warm-up (unless --fresh). Writes the shipped checkpoint and model card to --out.
 *
 * --confidence-phase: instead of the world's targets, each step the policy answers a batch of base-split detection
 * queries itself, and only the confidence token of each box it wrote is trained, towards that box's IoU with the
 * closest true box (train/confidenceTargets.ts says why), through the language head's confidence columns alone.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readCheckpointHeader, saveCheckpoint } from '../src/core/model/checkpoint';
import { POLICY_CONFIGS, type PolicyConfig, type PolicyConfigName, sourceResolution, usesTower, visualShape, visualSize } from '../src/core/model/config';
import { encodeImages } from '../src/core/model/visualInput';
import type { TowerInput, TowerLayer } from '../src/core/model/towerSpec';
import { FeatureCache } from './featureCache';
import { loadCheckpointFile, loadTowerFile } from './towerFile';
import { Policy } from '../src/core/model/policy';
import { decodeBundle, encodeBundle } from '../src/core/model/tensorBundle';
import { evaluatePolicy } from '../src/core/train/evaluate';
import { type BatchSource, PRETRAIN_OPTIMIZER, type SupervisedConfig } from '../src/core/train/batchSource';
import type { RunSnapshot } from '../src/core/train/runState';
import { runTraining } from '../src/core/train/trainer';
import { pretrainLosses } from '../src/core/train/patchLabelLoss';
import { type ConfidenceTargets, confidenceTargets, solutionBoxes, tieConfidenceInputs } from '../src/core/train/confidenceTargets';
import { sftLoss, weightedSftLoss } from '../src/core/train/sftStep';
import { generate } from '../src/core/model/generate';
import { Rng } from '../src/core/rng';
import { decodeAtlas } from '../src/core/world/atlas';
import { type PolicyBatch, evalSamples, seedOf, trainingBatch } from '../src/core/world/batches';
import { worldVocabulary } from '../src/core/world/tasks';
import { useNodeBackend } from './tfNode';
import { writeModelCard } from './modelCard';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const opts = {
  config: arg('config', 'base') as PolicyConfigName,
  steps: Number(arg('steps', '4000')),
  batch: Number(arg('batch', '32')),
  lr: Number(arg('lr', '5e-4')),
  warmup: Number(arg('warmup', '150')),
  seed: Number(arg('seed', '1')),
  state: arg('state', '.pretrain'),
  out: arg('out', 'public/models/base'),
  /** Checkpoint to continue from when --state is empty (default: the shipped one in --out). */
  init: arg('init', ''),
  saveEvery: Number(arg('save-every', '25')),
  evalEvery: Number(arg('eval-every', '250')),
  /** Weight of the dense patch-label loss (world/patchLabels.ts); 0 turns it off. */
  patchWeight: Number(arg('patch-weight', '1')),
  /** Switch on the coordinate-aligned position code with this many frequencies (model/coordFeatures.ts). */
  coordFeatures: Number(arg('coord-features', '0')),
  /** Initial value of the code's gates when it is added to a trained policy (×10 in the model). */
  coordGate: Number(arg('coord-gate', '0')),
  /** σ in bins of the soft coordinate targets (train/coordTargets.ts); 0 = one-hot. */
  coordSigma: Number(arg('coord-sigma', '0')),
  /** Task mixture "detection,classification,grounding" (weights). */
  mixture: arg('mixture', ''),
  /** Share of detection queries whose category is absent from the image (the held-out sets have 0.25). */
  absentShare: Number(arg('absent-share', '0.25')),
  /** Restart the learning-rate schedule (warm-up and decay) at this step: a new phase of a continued run. */
  phaseStart: Number(arg('phase-start', '0')),
  /** Switch on the box pointer (model/boxPointer.ts) with its dense box loss of this weight. */
  boxPointer: process.argv.includes('--box-pointer'),
  /** Start a new policy without the box pointer (the base config has one); phase 1 of the recipe trained so. */
  noBoxPointer: process.argv.includes('--no-box-pointer'),
  boxWeight: Number(arg('box-weight', '1')),
  /** Weight of the pointer-attention loss (train/pointerLoss.ts): look at the object whose box is being written. */
  pointerWeight: Number(arg('pointer-weight', '0')),
  /** Weight of the name-pointer loss (train/namePointer.ts): after naming an object, look at it. */
  namePointerWeight: Number(arg('name-pointer-weight', '0')),
  /** Image tokens attend to the whole image ('full') or in raster order ('causal'); empty keeps the policy's. */
  imageAttention: arg('image-attention', ''),
  /** Start a new policy even when --out holds a shipped checkpoint (a new architecture or recipe). */
  fresh: process.argv.includes('--fresh'),
  /** Override the config's image stem for a new run (an ablation); a resumed run keeps its checkpoint's. */
  stem: arg('stem', ''),
  /** The vision tower's input side and feature layer for a new 'tower' or 'hybrid' policy. */
  towerRes: Number(arg('tower-res', '128')),
  towerLayer: arg('tower-layer', 'stride16') as TowerLayer['id'],
  /** How the new tower policy's pixels are normalised for the backbone (towerSpec.ts TowerInput). */
  towerInput: arg('tower-input', 'nanodet-bgr') as TowerInput,
  projector: arg('projector', 'mlp') as 'mlp' | 'linear',
  /** A new policy's pixel input side and patch size (0: the config's). */
  imageSize: Number(arg('image-size', '0')),
  patchSize: Number(arg('patch-size', '0')),
  /** Save and stop after this many minutes of this invocation (0: no limit). */
  maxMinutes: Number(arg('max-minutes', '0')),
  /** Save and stop once this step is done (0: none); an A/B at equal steps stops both arms here. Rerun to go on. */
  stopAt: Number(arg('stop-at', '0')),
  /** Root folder of the visual-input cache of tower policies. */
  featureCache: arg('feature-cache', '.features'),
  maxGradNorm: 1.0,
  /** Write the model card and shipped checkpoint from the saved state without training (a run may go on). */
  finalize: process.argv.includes('--finalize'),
  /** Train only the confidences of the policy's own detection answers (train/confidenceTargets.ts). */
  confidencePhase: process.argv.includes('--confidence-phase'),
  /** Sampling temperature of those answers; 0 = greedy, as evaluation and the app decode. */
  confidenceTemperature: Number(arg('confidence-temperature', '0')),
  /** Held-out samples per task and split in the model card. */
  cardSamples: Number(arg('card-samples', '1000')),
};

const DETECTION_ONLY = { detection: 1, classification: 0, grounding: 0 };

/**
 * The confidence phase's card describes the pretraining its features came from: the metadata of the checkpoint
 * it started from (--init, else the shipped one), with that run's schedule from the metrics.json beside it.
 */
function pretrainingMeta(): Record<string, unknown> {
  const from = opts.init || join(opts.out, 'model.vrft');
  const meta = readCheckpointHeader(new Uint8Array(readFileSync(from))).header.meta as Record<string, unknown>;
  const card = join(dirname(from), 'metrics.json');
  const schedule = existsSync(card) ? (JSON.parse(readFileSync(card, 'utf8')).meta as Record<string, unknown>) : {};
  const { confidencePhase: _c, ...rest }: Record<string, unknown> = { lr: schedule.lr, warmup: schedule.warmup, steps: schedule.steps ?? meta.step, ...meta };
  return rest;
}

function confidencePhaseMeta(): Record<string, unknown> {
  return { start: opts.phaseStart, steps: opts.steps - opts.phaseStart, lr: opts.lr, warmup: opts.warmup, batch: opts.batch, temperature: opts.confidenceTemperature };
}

/** The confidence phase's batch: the policy's own answers, with each box's confidence set to its IoU. */
async function ownConfidenceTargets(policy: Policy, images: tf.Tensor4D, batch: PolicyBatch, step: number): Promise<ConfidenceTargets[]> {
  const rng = new Rng(seedOf(opts.seed, step, 0xc0f1d));
  const out = await generate(policy, { images, prompts: batch.prompts, maxNewTokens: 80, temperature: opts.confidenceTemperature, topK: 0, rng });
  return batch.samples.map((s, i) => confidenceTargets(policy.tokenizer, out.tokens[i], solutionBoxes(s.solution)));
}

/** [1, V]: 1 on the columns of the confidence tokens 0.00–1.00, 0 elsewhere. */
function confidenceColumns(policy: Policy): tf.Tensor2D {
  const t = policy.tokenizer;
  return tf.tensor2d(Array.from({ length: t.size }, (_, i) => (t.kind(i) === 'conf' ? 1 : 0)), [1, t.size]);
}

function atomicWrite(path: string, bytes: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

async function main() {
  await useNodeBackend('wasm');
  const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
  mkdirSync(opts.state, { recursive: true });
  mkdirSync(opts.out, { recursive: true });
  const ckptPath = join(opts.state, 'policy.vrft');
  const adamPath = join(opts.state, 'adam.bin');
  const logPath = join(opts.state, 'log.jsonl');
  const shipped = join(opts.out, 'model.vrft');

  if (opts.confidencePhase && !existsSync(opts.init || shipped)) {
    // The phase trains confidences on a pretrained policy's own answers, and its card describes that pretraining.
    console.error(`pretrain: --confidence-phase continues a pretrained policy: ${opts.init || shipped} does not exist (give --init CHECKPOINT)`);
    process.exit(2);
  }
  let policy: Policy;
  let step = 0;
  let elapsedBefore = 0;
  let rewarm = 0;
  // The optimizer state a resumed run continues with (empty: new moments, re-warmed).
  let optimizer = encodeBundle({ meta: { adamStep: 0, step: 0 }, arrays: new Map(), shapes: new Map() });
  if (existsSync(ckptPath)) {
    const { policy: p, meta } = await loadCheckpointFile(new Uint8Array(readFileSync(ckptPath)));
    policy = p;
    step = Number(meta.step ?? 0);
    elapsedBefore = Number(meta.wallSeconds ?? 0);
    const saved = existsSync(adamPath) ? new Uint8Array(readFileSync(adamPath)) : null;
    if (saved && Number(decodeBundle(saved).meta.step) === step) optimizer = saved;
    else rewarm = step;
    console.error(`pretrain: resuming from ${ckptPath} at step ${step}${rewarm ? ' (new Adam moments, re-warming)' : ''}`);
  } else if (existsSync(opts.init || shipped) && !opts.fresh) {
    const { policy: p, meta } = await loadCheckpointFile(new Uint8Array(readFileSync(opts.init || shipped)));
    policy = p;
    step = Number(meta.step ?? 0);
    elapsedBefore = Number(meta.wallSeconds ?? 0);
    rewarm = step;
    console.error(`pretrain: continuing from the checkpoint ${opts.init || shipped} at step ${step} (new Adam moments, re-warming)`);
  } else {
    const stem = (opts.stem || POLICY_CONFIGS[opts.config].stem) as PolicyConfig['stem'];
    const tower = stem === 'tower' || stem === 'hybrid' ? await loadTowerFile({ resolution: opts.towerRes, layer: opts.towerLayer, input: opts.towerInput }) : null;
    const c: PolicyConfig = {
      ...POLICY_CONFIGS[opts.config],
      seed: opts.seed,
      stem,
      ...(opts.imageSize ? { imageSize: opts.imageSize } : {}),
      ...(opts.patchSize ? { patchSize: opts.patchSize } : {}),
      ...(tower ? { tower: tower.spec, projector: opts.projector } : {}),
      ...(opts.coordFeatures ? { coordFeatures: opts.coordFeatures } : {}),
      ...(opts.noBoxPointer ? { boxPointer: false } : {}),
    };
    policy = Policy.create(c, { coordBins: c.coordBins, words: worldVocabulary() }, tower);
    console.error(`pretrain: new ${opts.config} policy, ${policy.parameterCount().toLocaleString('en')} parameters, vocabulary ${policy.tokenizer.size}`);
  }
  if (opts.noBoxPointer && policy.config.boxPointer) {
    // Removing trained weights is not a phase of any recipe; refuse rather than silently keep them.
    console.error('pretrain: --no-box-pointer starts a new policy without one; the policy being continued already has a box pointer');
    process.exit(2);
  }
  if (opts.boxPointer && opts.noBoxPointer) throw new Error('--box-pointer and --no-box-pointer contradict each other');
  const changes: Partial<PolicyConfig> = {};
  if (opts.coordFeatures > 0 && policy.config.coordFeatures !== opts.coordFeatures) changes.coordFeatures = opts.coordFeatures;
  if (opts.boxPointer && !policy.config.boxPointer) changes.boxPointer = true;
  if (opts.imageAttention && policy.config.imageAttention !== opts.imageAttention) changes.imageAttention = opts.imageAttention as PolicyConfig['imageAttention'];
  if (Object.keys(changes).length) {
    const upgraded = await policy.upgraded(changes, opts.coordGate);
    policy.dispose();
    policy = upgraded;
    console.error(`pretrain: policy upgraded with ${JSON.stringify(changes)}${changes.coordFeatures ? `, coordinate gates start at ${opts.coordGate}` : ''}`);
  }
  if (opts.confidencePhase) {
    const tied = await tieConfidenceInputs(policy);
    if (tied) console.error(`pretrain: confidence phase: ${tied} confidence tokens now share the input embedding of 1.00`);
  }
  const [md, mc, mg] = (opts.mixture || '0.5,0.2,0.3').split(',').map(Number);
  const mixture = { detection: md, classification: mc, grounding: mg };
  if (![md, mc, mg].every((v) => Number.isFinite(v) && v >= 0) || md + mc + mg <= 0) throw new Error(`--mixture wants three non-negative weights, got ${opts.mixture}`);
  if (!(opts.absentShare >= 0 && opts.absentShare < 1)) throw new Error(`--absent-share must be in [0, 1), got ${arg('absent-share', '')}`);
  const size = sourceResolution(policy.config);
  const shape = visualShape(policy.config);
  const cache = usesTower(policy.config)
    ? new FeatureCache(opts.featureCache, { tower: policy.config.tower, stem: policy.config.stem, imageSize: policy.config.imageSize, patchSize: policy.config.patchSize, seed: opts.seed, batch: opts.batch, mixture: opts.confidencePhase ? DETECTION_ONLY : mixture, absentShare: opts.absentShare })
    : null;
  const started = Date.now();
  const wallSeconds = () => elapsedBefore + (Date.now() - started) / 1000;
  const runMeta = (): Record<string, unknown> =>
    opts.confidencePhase
      ? { ...pretrainingMeta(), wallSeconds: wallSeconds(), confidencePhase: confidencePhaseMeta() }
      : { wallSeconds: wallSeconds(), seed: opts.seed, batch: opts.batch, data: `synthetic world, base split, mixture detection ${md} / classification ${mc} / grounding ${mg}${opts.absentShare !== 0.25 ? `, ${opts.absentShare} of detection queries about an absent category` : ''}`, patchWeight: opts.patchWeight, coordSigma: opts.coordSigma, phaseStart: opts.phaseStart, boxPointer: policy.config.boxPointer, boxWeight: opts.boxWeight, pointerWeight: opts.pointerWeight, ...(opts.namePointerWeight > 0 ? { namePointerWeight: opts.namePointerWeight } : {}) };
  // The confidence phase's targets of each step, for its log line.
  const confidenceLog = new Map<number, number[]>();
  /** The world's seeded stream as the shared loop's batch source: batch `step` is the same however the run resumed. */
  const source: BatchSource = {
    async batch(s, p) {
      const grid = p.config.imageSize / p.config.patchSize;
      const batch = trainingBatch(atlas, p.tokenizer, { seed: opts.seed, step: s, size: opts.batch, imageSize: size, mixture: opts.confidencePhase ? DETECTION_ONLY : mixture, absentShare: opts.absentShare, patchGrid: opts.patchWeight > 0 && !opts.confidencePhase ? grid : 0 });
      const visual = cache ? await cache.get(s, opts.batch * visualSize(p.config), () => encodeImages(p.config, p.tower, batch.images, opts.batch)) : batch.images;
      const images = tf.tensor4d(visual, [opts.batch, ...shape]);
      const confidence = opts.confidencePhase ? await ownConfidenceTargets(p, images, batch, s) : null;
      if (confidence) confidenceLog.set(s, confidence.flatMap((c) => c.ious));
      const data = { images, prompts: batch.prompts, completions: confidence ? confidence.map((c) => c.tokens) : batch.completions };
      return {
        loss: (pol) => {
          if (confidence) return { total: weightedSftLoss(pol, data, confidence.map((c) => c.weights)) };
          if (!batch.patchTargets) return { total: sftLoss(pol, data) };
          const l = pretrainLosses(pol, data, batch.patchTargets, { patchWeight: opts.patchWeight, coordSigma: opts.coordSigma, patchBoxes: batch.patchBoxes, boxWeight: opts.boxWeight, pointerWeight: opts.pointerWeight, nameOwners: batch.nameOwners, namePointerWeight: opts.namePointerWeight });
          return { total: l.total, parts: { completion: l.completion, patch: l.patch, box: l.box, pointer: l.pointer, namePointer: l.namePointer } };
        },
        dispose: () => images.dispose(),
      };
    },
    // The confidence phase moves only the language head's confidence columns. Two tries that trained every weight
    // on these targets broke the answers within 20 steps: alone, into garbled boxes and traces; with the policy's
    // own other tokens at weight 0.1 as an anchor, into no boxes at all. So the features stay as pretrained and
    // the head learns to read them.
    ...(opts.confidencePhase
      ? {
          trainable: (p: Policy) => [p.params.get('head.w')],
          transformGrads: (grads: tf.NamedTensorMap, p: Policy) => tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, confidenceColumns(p))]))),
        }
      : {}),
  };
  const config: SupervisedConfig = { learningRate: opts.lr, lrSchedule: 'cosine', warmupSteps: opts.warmup, finalLrFraction: 0.1, scheduleStart: opts.phaseStart, steps: opts.steps, maxGradNorm: opts.maxGradNorm, seed: opts.seed, optimizer: PRETRAIN_OPTIMIZER };
  const ema: Record<string, number> = {};
  const smooth = (k: string, v: number, w = 0.95) => (ema[k] = ema[k] === undefined || Number.isNaN(ema[k]) ? v : w * ema[k] + (1 - w) * v);
  let skipped = 0;
  const first = step;
  const resume: RunSnapshot = { step, checkpoint: await saveCheckpoint(policy, { ...runMeta(), step }), optimizer, rngState: 0, meta: {} };
  let trained = policy;
  // Already at --stop-at: nothing to train and nothing to finish (the run goes on when rerun without it).
  let stoppedEarly = !opts.finalize && opts.stopAt > 0 && step >= opts.stopAt && step < opts.steps;
  if (!opts.finalize && step < opts.steps && !stoppedEarly) {
    const result = await runTraining(policy, null, [], { method: 'supervised', config, source }, {
      snapshotEvery: opts.saveEvery,
      snapshotMeta: () => runMeta(),
      onSnapshot: (snap) => {
        atomicWrite(ckptPath, snap.checkpoint);
        atomicWrite(adamPath, snap.optimizer);
      },
      // A new phase or new moments warm up again over 50 steps.
      lrScale: (s) => (rewarm && s < rewarm + 50 ? (s - rewarm + 1) / 50 : 1),
      shouldStop: (s) => (opts.maxMinutes > 0 && Date.now() - started > opts.maxMinutes * 60_000) || (opts.stopAt > 0 && s >= opts.stopAt),
      onStep: async (s, m, p) => {
        if (m.skipped_updates) skipped++;
        const targets = confidenceLog.get(s - 1);
        confidenceLog.delete(s - 1);
        const completionLoss = m['loss/completion'] ?? m.loss;
        appendFileSync(logPath, `${JSON.stringify({ step: s, loss: completionLoss, patchLoss: m['loss/patch'] ?? NaN, boxLoss: m['loss/box'] ?? NaN, pointerLoss: m['loss/pointer'] ?? NaN, ...(opts.namePointerWeight > 0 ? { namePointerLoss: m['loss/namePointer'] } : {}), gradNorm: m.grad_norm, lr: m.learning_rate, applied: !m.skipped_updates, seconds: m.step_time, ...(targets ? { confidenceTargets: targets.length, meanTarget: targets.reduce((a, b) => a + b, 0) / Math.max(1, targets.length) } : {}) })}\n`);
        const dt = smooth('dt', m.step_time, 0.9);
        const loss = smooth('loss', completionLoss);
        const parts = ['patch', 'box', 'pointer', 'namePointer'].map((k) => [k, m[`loss/${k}`]] as const).filter(([, v]) => v !== undefined && Number.isFinite(v));
        const shown = parts.filter(([k]) => (k !== 'pointer' || opts.pointerWeight > 0) && (k !== 'namePointer' || opts.namePointerWeight > 0)).map(([k, v]) => ` ${k === 'namePointer' ? 'names' : k} ${smooth(k, v).toFixed(3)}`).join('');
        const width = 30;
        const bar = '█'.repeat(Math.round((s / opts.steps) * width)).padEnd(width, '░');
        const line = `pretrain ${bar} ${s}/${opts.steps} loss ${loss.toFixed(3)}${shown} lr ${m.learning_rate.toExponential(1)} ${m.step_time.toFixed(1)}s/step ETA ${fmtTime(dt * (opts.steps - s))}${skipped ? ` skipped ${skipped}` : ''}`;
        if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
        else if (s % 10 === 0) console.error(line);
        if (s % opts.evalEvery === 0 && s < opts.steps) {
          const res = await Promise.all((['detection', 'classification', 'grounding'] as const).map(async (task) => [task, (await evaluatePolicy(p, evalSamples(atlas, task, 'base', 32, size))).meanRewards] as const));
          const summary = Object.fromEntries(res);
          appendFileSync(logPath, `${JSON.stringify({ step: s, eval: summary })}\n`);
          console.error(`\npretrain: step ${s} eval (32/task, base): ${JSON.stringify(summary)}`);
        }
      },
    }, resume);
    trained = result.policy;
    step = result.steps;
    stoppedEarly = result.stopped && step < opts.steps;
    if (trained !== policy) policy.dispose();
    policy = trained;
  }
  if (stoppedEarly) {
    const why = opts.stopAt > 0 && step >= opts.stopAt ? `--stop-at ${opts.stopAt}` : `--max-minutes ${opts.maxMinutes}`;
    console.error(`\npretrain: ${why} reached at step ${step} (${step - first} steps this run); saved, rerun to continue`);
    policy.dispose();
    return;
  }
  const saved = opts.finalize ? readCheckpointHeader(new Uint8Array(readFileSync(ckptPath))).header.meta : { ...runMeta(), step };
  const meta = opts.confidencePhase ? { ...pretrainingMeta(), step: saved.step, wallSeconds: saved.wallSeconds, confidencePhase: confidencePhaseMeta() } : saved;
  console.error('\npretrain: final evaluation…');
  await writeModelCard(policy, atlas, opts.out, opts.confidencePhase ? meta : { ...meta, lr: opts.lr, warmup: opts.warmup, steps: opts.steps }, opts.cardSamples);
  atomicWrite(shipped, await saveCheckpoint(policy, meta));
  console.error(`pretrain: wrote ${shipped}`);
  policy.dispose();
}

void main().catch((e) => {
  console.error(`pretrain: ${e instanceof Error ? e.stack : e}`);
  process.exit(1);
});
