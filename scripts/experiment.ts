/**
 * npm run experiment -- --suite few-shot-detection|few-shot-classification|open-vocab|grounding|ood
 *                       [--shots 1,2,4,8,16] [--methods sft,rft] [--seeds 3] [--steps 80] [--eval-n 256]
 *                       [--model public/models/base/model.vrft] [--out docs/results]
 *                       [--rft-lr 1e-4] [--sft-lr 2e-5] [--beta 0.04] [--generations 8] [--prompts 4]
 *                       [--temperature 1] [--sft-batch 32] [--reward-mode reference|strict] [--absent-share 0]
 *                       [--loss-type grpo|bnpo|dr_grpo|dapo] [--scale-rewards group|batch|none]
 *                       [--bundles DIR [--bundle-weights]]
 *
 * The paper's experiments in miniature: few-shot training sets from the world, base → SFT and base → RFT with
 * the same number of steps, evaluation on a held-out set with the scorer, and a table like the paper's
 * (markdown + JSON, mean ± std over seeds), the training curves as JSON and a plot (SVG).
 *
 * --bundles DIR writes one run bundle per run it trains (docs/design.md §10: curves, rollouts, the few-shot set's
 * scenes; the final weights with --bundle-weights), which the app opens.
 *
 * Resumable: every finished run is appended to <out>/<suite>.runs.jsonl with the settings (model bytes, steps,
 * eval size, trainers); a rerun skips each run whose own method's settings match (experiment/settings.ts), so a
 * killed suite continues and a variant reuses the other method's runs.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '../src/core/model/checkpoint';
import type { HistoryRow } from '../src/core/bundle/runBundle';
import type { WorldSample } from '../src/core/world/tasks';
import { experimentBundle, rolloutRecorder } from './experiment/bundle';
import type { Policy } from '../src/core/model/policy';
import { REFERENCE_REWARD_SET, type RewardMode } from '../src/core/rewards/types';
import { type DetectionDiagnosis, diagnoseDetection } from '../src/core/scoring/detectionDiagnosis';
import { type RankingBound, detectionRankingBound } from '../src/core/scoring/rankingBound';
import { evaluatePolicy, scorerSamples } from '../src/core/train/evaluate';
import { DEFAULT_GRPO, LOSS_TYPES, type LossType, SCALE_REWARDS, type ScaleRewards } from '../src/core/train/grpoConfig';
import { DEFAULT_SFT, type TrainItem, runTraining } from '../src/core/train/trainer';
import { type Atlas, decodeAtlas } from '../src/core/world/atlas';
import { evalSamples } from '../src/core/world/batches';
import { sourceResolution } from '../src/core/model/config';
import { toTrainItems, worldExample } from '../src/core/train/trainItems';
import { fewShotSamples } from '../src/core/world/fewShot';
import { type ExperimentResult, type RunRecord, markdown, svgCurves, svgPlot } from './experiment/report';
import { type Settings, settingsMatch, unclassifiedKeys } from './experiment/settings';
import { SUITES, type Suite } from './experiment/suites';
import { decodePolicy, readPolicyBytes } from './policyFile';
import { useNodeBackend } from './tfNode';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function fail(msg: string): never {
  console.error(`experiment: ${msg}`);
  process.exit(2);
}

/** The few-shot training set: `shots` images per class (grounding: 8 × shots samples), detection's negatives. */
async function fewShotItems(atlas: Atlas, policy: Policy, suite: Suite, shots: number, seed: number, absentShare: number): Promise<{ items: TrainItem[]; samples: WorldSample[] }> {
  const samples = fewShotSamples(atlas, { task: suite.task, split: suite.trainSplit, classes: suite.classes, shots, seed, absentShare, size: sourceResolution(policy.config) });
  return { items: await toTrainItems(policy, samples.map(worldExample)), samples };
}

/** The suite's headline metric on the held-out set, and the mean of each reward there (what moved it). */
async function evaluateOn(policy: Policy, atlas: Atlas, suite: Suite, n: number): Promise<{ metric: number; evalRewards: Record<string, number>; errors?: DetectionDiagnosis; rankingBound?: RankingBound }> {
  const samples = evalSamples(atlas, suite.task, suite.evalSplit, n, sourceResolution(policy.config));
  const res = await evaluatePolicy(policy, samples);
  const metric = Number(((res.report.metrics as Record<string, Record<string, number>>)[suite.task] ?? {})[suite.metric.key] ?? 0);
  // Detection: which errors the mAP comes from (a reward can rise while mAP does not).
  const errors = suite.task === 'detection' ? diagnoseDetection(samples.map((s, i) => ({ completion: res.completions[i], solution: s.solution }))) : undefined;
  // …and what the same boxes would score ranked by their true quality (AP is a ranking metric).
  const rankingBound = suite.task === 'detection' ? detectionRankingBound(scorerSamples(samples), res.completions.map((completion, id) => ({ id, completion }))) : undefined;
  return { metric, evalRewards: res.meanRewards, ...(errors ? { errors } : {}), ...(rankingBound ? { rankingBound } : {}) };
}

async function main() {
  const suite = SUITES[arg('suite', 'few-shot-detection')] ?? fail(`--suite must be one of ${Object.keys(SUITES).join(', ')}`);
  const shots = arg('shots', '1,2,4,8,16').split(',').map(Number);
  const methods = arg('methods', 'sft,rft').split(',') as ('sft' | 'rft')[];
  const seeds = Number(arg('seeds', '3'));
  const steps = Number(arg('steps', '80'));
  const evalN = Number(arg('eval-n', '256'));
  const out = arg('out', 'docs/results');
  const bundles = arg('bundles', '') || null;
  const bundleWeights = process.argv.includes('--bundle-weights');
  if (bundles) mkdirSync(bundles, { recursive: true });
  // The trainers' settings. The step budget is matched in steps and in completions per step: RFT's
  // prompts × G = 4 × 8 (GrpoConfig's default) against SFT's batch of 32 (SftConfig's default). The suites
  // committed before this default ran 1 prompt × 8 against a batch of 8 (`--prompts 1 --sft-batch 8`,
  // docs/results/README.md says which is which).
  const train = {
    rftLr: Number(arg('rft-lr', '1e-4')),
    sftLr: Number(arg('sft-lr', '2e-5')),
    beta: Number(arg('beta', String(DEFAULT_GRPO.beta))),
    generations: Number(arg('generations', String(DEFAULT_GRPO.numGenerations))),
    prompts: Number(arg('prompts', String(DEFAULT_GRPO.promptsPerStep))),
    temperature: Number(arg('temperature', String(DEFAULT_GRPO.temperature))),
    sftBatch: Number(arg('sft-batch', String(DEFAULT_SFT.batchSize))),
  };
  // RFT's reward semantics (the released code's, where `No Objects` never scores, or strict) and the share of
  // few-shot detection queries about an absent class (src/core/world/fewShot.ts says why).
  const rewardMode = arg('reward-mode', 'reference') as RewardMode;
  const absentShare = Number(arg('absent-share', '0'));
  // GRPO's loss aggregation and advantage scaling (grpoConfig.ts documents each).
  const lossType = arg('loss-type', DEFAULT_GRPO.lossType) as LossType;
  const scaleRewards = arg('scale-rewards', DEFAULT_GRPO.scaleRewards) as ScaleRewards;
  // Checked here as well as by validateGrpoConfig so a bad name fails before the base policy's evaluation.
  const either = (xs: readonly string[]) => `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
  if (!(LOSS_TYPES as readonly string[]).includes(lossType)) fail(`--loss-type takes ${either(LOSS_TYPES)}`);
  if (!(SCALE_REWARDS as readonly string[]).includes(scaleRewards)) fail(`--scale-rewards takes ${either(SCALE_REWARDS)}`);
  if (rewardMode !== 'reference' && rewardMode !== 'strict') fail('--reward-mode takes reference or strict');
  if (!(absentShare >= 0 && absentShare < 1)) fail('--absent-share takes a share in [0, 1)');
  if (Object.values(train).some((v) => !Number.isFinite(v) || v < 0)) fail(`trainer settings must be non-negative numbers: ${JSON.stringify(train)}`);
  if (shots.some((s) => !Number.isInteger(s) || s < 1) || !Number.isInteger(seeds) || seeds < 1) fail('--shots and --seeds take positive integers');
  if (methods.some((m) => m !== 'sft' && m !== 'rft')) fail('--methods takes sft and/or rft');
  const modelPath = arg('model', 'public/models/base/model.vrft');
  const bytes = readPolicyBytes(modelPath, fail);
  await useNodeBackend('wasm');
  (await decodePolicy(modelPath, bytes, fail)).policy.dispose(); // a bad file fails here, before any run starts
  const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
  const fresh = () => loadCheckpoint(bytes).policy;

  mkdirSync(out, { recursive: true });
  // Settings added after the first results appear only when they differ from the behaviour before them, so
  // the logs written then still match.
  const settings = {
    model: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
    steps,
    evalN,
    ...train,
    ...(rewardMode !== 'reference' ? { rewardMode } : {}),
    ...(absentShare !== 0 ? { absentShare } : {}),
    ...(lossType !== DEFAULT_GRPO.lossType ? { lossType } : {}),
    ...(scaleRewards !== DEFAULT_GRPO.scaleRewards ? { scaleRewards } : {}),
  };
  const unknown = unclassifiedKeys(settings);
  if (unknown.length) fail(`settings ${unknown.join(', ')} are not classified in scripts/experiment/settings.ts`);
  // A logged line is reused when the settings it depends on match (an SFT run does not depend on G, and so on).
  const sameSettings = (r: { method?: 'sft' | 'rft'; settings?: Settings }) => settingsMatch(r.method ?? 'base', r.settings, settings);
  const logPath = join(out, `${suite.name}.runs.jsonl`);
  const logged = existsSync(logPath)
    ? readFileSync(logPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as (RunRecord | { baseMetric: number; method?: undefined }) & { settings?: Settings })
        .filter(sameSettings)
    : [];
  const baseLogged = logged.find((r): r is { baseMetric: number; baseRewards?: Record<string, number>; baseErrors?: DetectionDiagnosis; baseRankingBound?: RankingBound } => 'baseMetric' in r);
  let baseMetric = baseLogged?.baseMetric ?? NaN;
  let baseRewards = baseLogged?.baseRewards ?? {};
  let baseErrors = baseLogged?.baseErrors;
  let baseRankingBound = baseLogged?.baseRankingBound;
  if (Number.isNaN(baseMetric)) {
    const base = fresh();
    ({ metric: baseMetric, evalRewards: baseRewards, errors: baseErrors, rankingBound: baseRankingBound } = await evaluateOn(base, atlas, suite, evalN));
    base.dispose();
    appendFileSync(logPath, `${JSON.stringify({ baseMetric, baseRewards, baseErrors, baseRankingBound, settings })}\n`);
  }
  console.error(`experiment ${suite.name}: base policy ${suite.metric.name} ${baseMetric.toFixed(3)}`);
  const runs: RunRecord[] = [];
  for (const k of shots) {
    for (let s = 1; s <= seeds; s++) {
      for (const method of methods) {
        const done = logged.find((r): r is RunRecord & { settings?: Settings } => 'method' in r && r.method === method && r.shots === k && r.seed === s);
        if (done) {
          const { settings: _s, ...record } = done;
          runs.push(record);
          continue;
        }
        const policy = fresh();
        const { items, samples } = await fewShotItems(atlas, policy, suite, k, s, absentShare);
        const recorder = rolloutRecorder(items);
        const curve: Record<string, number>[] = [];
        const reference = method === 'rft' ? policy.frozenCopy() : null;
        const how =
          method === 'rft'
            ? { method: 'grpo' as const, config: { ...DEFAULT_GRPO, rewardFunctions: [...REFERENCE_REWARD_SET[suite.task]], numGenerations: train.generations, promptsPerStep: train.prompts, temperature: train.temperature, beta: train.beta, maxCompletionLength: 80, learningRate: train.rftLr, steps, seed: s, rewardMode, lossType, scaleRewards } }
            : { method: 'sft' as const, config: { ...DEFAULT_SFT, batchSize: train.sftBatch, learningRate: train.sftLr, steps, seed: s } };
        const t0 = Date.now();
        const res = await runTraining(policy, reference, items, how, { onStep: (step, m) => void curve.push({ step, ...m }), ...(bundles ? { onRollouts: recorder.onRollouts } : {}) });
        const { metric, evalRewards, errors, rankingBound } = await evaluateOn(res.policy, atlas, suite, evalN);
        if (bundles) {
          const finalBytes = await saveCheckpoint(res.policy);
          const file = join(bundles, `${suite.name}-${method}-${k}shot-seed${s}.bundle.zip`);
          writeFileSync(file, experimentBundle({ suite: suite.name, task: suite.task, split: suite.trainSplit, method: how.method, shots: k, seed: s, config: how.config as unknown as Record<string, unknown>, samples, history: curve as HistoryRow[], rollouts: recorder.steps, start: { name: modelPath === 'public/models/base/model.vrft' ? 'base policy' : modelPath, sha256: createHash('sha256').update(bytes).digest('hex') }, final: { sha256: createHash('sha256').update(finalBytes).digest('hex'), ...(bundleWeights ? { bytes: finalBytes } : {}) }, wallSeconds: (Date.now() - t0) / 1000, finalMetrics: { ...curve[curve.length - 1], [`eval/${suite.metric.key}`]: metric } }));
          console.error(`experiment: wrote ${file}`);
        }
        const diagnostics =
          method === 'rft'
            ? Object.fromEntries(['frac_reward_zero_std', 'kl', 'completions/mean_length', 'completions/clipped_ratio', 'reward'].map((key) => [key, curve.reduce((a, c) => a + (c[key] ?? 0), 0) / curve.length]))
            : undefined;
        const record: RunRecord = { method, shots: k, seed: s, metric, evalRewards, errors, rankingBound, curve, diagnostics };
        runs.push(record);
        appendFileSync(logPath, `${JSON.stringify({ ...record, settings })}\n`);
        console.error(`experiment ${suite.name}: ${k}-shot seed ${s} ${method}: ${suite.metric.name} ${metric.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        reference?.dispose();
        res.policy.dispose();
      }
    }
  }
  const command = `npm run experiment -- ${process.argv.slice(2).join(' ')}`.trim();
  const result: ExperimentResult = { suite, shots, seeds, steps, baseMetric, baseRewards, baseErrors, baseRankingBound, runs, settings, command };
  writeFileSync(join(out, `${suite.name}.json`), `${JSON.stringify({ ...result, runs: runs.map(({ curve: _c, ...r }) => r) }, null, 2)}\n`);
  writeFileSync(join(out, `${suite.name}.curves.json`), `${JSON.stringify(runs.map((r) => ({ method: r.method, shots: r.shots, seed: r.seed, curve: r.curve })))}\n`);
  writeFileSync(join(out, `${suite.name}.md`), markdown(result));
  writeFileSync(join(out, `${suite.name}.svg`), svgPlot(result));
  writeFileSync(join(out, `${suite.name}.curves.svg`), svgCurves(result));
  console.log(markdown(result));
}

void main();
