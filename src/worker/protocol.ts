/**
 * The typed message protocol between the page and the ML worker. Every request carries an id; the worker
 * answers each request with exactly one `result` or `error` carrying the same id, and may send events
 * (no id) at any time.
 */
import type { ModelBenchResult } from '../core/bench/modelBench';
import type { ExampleText } from '../core/dataset/trainingExamples';
import type { Task } from '../core/rewards/types';
import type { WorldEval } from '../core/train/evaluate';
import type { GrpoConfig } from '../core/train/grpoConfig';
import type { Rollout } from '../core/train/grpoStep';
import type { SftConfig } from '../core/train/sftConfig';
import type { WorldSplit } from '../core/world/tasks';
import type { RunStatus } from './trainingHost';

export type { GrpoConfig, Rollout, RunStatus, SftConfig, Task, WorldSplit };

/** Training data generated from the synthetic world. */
export interface WorldDataSpec {
  task: Task;
  split: WorldSplit;
  /** Number of training samples (the few-shot set). */
  count: number;
  seed: number;
  /** Absolute URL of the sprite atlas (the page knows where the app is served from). */
  atlasUrl: string;
}

/** What a run needs to continue exactly where a snapshot left it. */
export interface ResumeState {
  step: number;
  checkpoint: ArrayBuffer;
  optimizer: ArrayBuffer;
  rngState: number;
}

/** A user's dataset (its train split); the page reads and decodes it and sends the examples with the request. */
export interface DatasetDataSpec {
  kind: 'dataset';
  datasetId: string;
  /** For display and provenance. */
  datasetName: string;
  task: Task;
  split: 'train';
}

/**
 * Where a run's data comes from (docs/design.md §7, one seam). Records saved before the field existed have no
 * `kind`: they are world sets.
 */
export type DataSource = ({ kind?: 'world' } & WorldDataSpec) | DatasetDataSpec;

/** A dataset's examples as the page made them: square RGB at the policy's source resolution, and their texts. */
export interface ExamplesPayload {
  size: number;
  /** [n, size, size, 3] RGB in 0–1 (transferred). */
  images: Float32Array;
  texts: ExampleText[];
  /** The eval split, the run's held-out set (absent when the dataset has none). */
  eval?: { images: Float32Array; texts: ExampleText[] };
}

/** `outputName`: the name of the checkpoint the run produces (default `RFT · <run id>`). */
export type TrainSpec = { method: 'sft'; config: SftConfig; data: DataSource; outputName?: string } | { method: 'grpo'; config: GrpoConfig; data: DataSource; outputName?: string };
import type { BackendName, BackendReport, WasmParallel } from './backendChoice';
import type { PolicySummary } from './policyHost';

export type { PolicySummary };

export interface BackendCheckRow {
  backend: BackendName;
  ok: boolean;
  /** Why the backend could not run the probe. */
  error?: string;
  tokensMatch?: boolean;
  maxAbsDiff?: number;
  withinTolerance?: boolean;
  ms?: number;
  /** The vision tower's features: largest difference from the CPU's, relative to their largest magnitude. */
  towerRelDiff?: number;
  towerWithinTolerance?: boolean;
  towerError?: string;
}

export interface BackendCheckReport {
  reference: 'cpu';
  tolerance: number;
  /** Present when the tower was checked: the relative tolerance of its features. */
  towerTolerance?: number;
  rows: BackendCheckRow[];
  /** The backend active again after the check. */
  active: BackendName;
}

export type WorkerRequest =
  | {
      id: number;
      type: 'init-backend';
      backend?: BackendName;
      /** WASM threads; 0 or absent = the cores the browser reports. */
      threads?: number;
      /** 'workers': that many workers compute each update, each WASM on one thread (gradientPool.ts). Default 'threads'. */
      parallel?: WasmParallel;
    }
  | { id: number; type: 'memory' }
  | { id: number; type: 'backend-check'; backends: BackendName[]; /** The tower's folder (absolute URL): the check covers it too. */ towerUrl?: string }
  | { id: number; type: 'model-bench'; config: 'tiny' | 'base'; uncached: boolean; repeats?: number }
  | { id: number; type: 'policy-create'; config: 'tiny' | 'base' }
  /** Checkpoint bytes travel as a transferred ArrayBuffer. */
  | { id: number; type: 'policy-load'; bytes: ArrayBuffer; name: string; towerUrl?: string }
  | { id: number; type: 'policy-save' }
  | { id: number; type: 'policy-summary' }
  /** Fetch a checkpoint by URL (the shipped base policy), reporting progress events. */
  | { id: number; type: 'policy-fetch'; url: string; name: string; towerUrl?: string }
  /** Start a training run of the current policy; answers at once with the run id, then streams events. */
  /**
   * `parent`: the checkpoint the run started from (its KL reference), sent when resuming after a reload; without
   * it the current policy is the parent.
   */
  | {
      id: number;
      type: 'train-start';
      spec: TrainSpec;
      snapshotEvery: number;
      resume?: ResumeState;
      runId?: string;
      examples?: ExamplesPayload;
      parent?: ArrayBuffer;
      /**
       * What the run's stored snapshots carry besides the state: its parent (name and hash) and, when resuming, the
       * metric history so far. The worker writes each snapshot to IndexedDB itself, off the page's main thread.
       */
      record?: { parent?: { sha256: string; name: string }; history?: ({ step: number } & Record<string, number>)[] };
    }
  | { id: number; type: 'train-control'; runId: string; action: 'pause' | 'resume' | 'stop' }
  /** Metrics of the current policy on the world's fixed held-out set of a task and split. */
  | { id: number; type: 'evaluate'; task: Task; split: WorldSplit; count: number; atlasUrl: string }
  /** Greedy completions of a checkpoint that is not the current policy (bytes transferred), for the Compare view. */
  | { id: number; type: 'generate-with'; bytes: ArrayBuffer; towerUrl?: string; images: Float32Array; prompts: { task: Task; words: string[] }[]; maxNewTokens: number }
  /** Completions of the current policy for square RGB images at its source resolution, and prompt texts. */
  | { id: number; type: 'generate'; images: Float32Array; prompts: { task: Task; words: string[] }[]; samples: number; temperature: number; maxNewTokens: number; seed: number };

export interface ResultMap {
  'init-backend': BackendReport;
  memory: { numTensors: number; numBytes: number };
  'backend-check': BackendCheckReport;
  'model-bench': ModelBenchResult;
  'policy-create': PolicySummary;
  'policy-load': PolicySummary;
  'policy-save': { bytes: ArrayBuffer; name: string };
  'policy-summary': PolicySummary | null;
  'policy-fetch': PolicySummary;
  /** `newWords`: words of the dataset the policy did not know, added to its vocabulary for this run. */
  'train-start': { runId: string; newWords: string[] };
  'train-control': { status: RunStatus };
  evaluate: EvaluateResult;
  generate: { completions: string[][] };
  'generate-with': { completions: string[] };
}

export type EvaluateResult = WorldEval;

export type WorkerResponse =
  | { id: number; type: 'result'; request: keyof ResultMap; value: ResultMap[keyof ResultMap] }
  | { id: number; type: 'error'; message: string };

/** Messages the worker sends on its own. */
export type WorkerEvent =
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  /** Raised by the page's client (not the worker) when the worker died. */
  | { type: 'crash'; message: string }
  | { type: 'progress'; task: string; loaded: number; total: number | null }
  | { type: 'train-metrics'; runId: string; step: number; metrics: Record<string, number> }
  /** `items[i]`: the index, in the run's training items, of prompt i of the step (its image, for the inspector). */
  | { type: 'train-rollouts'; runId: string; step: number; rollouts: Rollout[]; solutions: string[]; items: number[] }
  | { type: 'train-status'; runId: string; status: RunStatus; detail?: string; policy?: PolicySummary }
  /** A snapshot the worker stored in IndexedDB (or could not: `error`). */
  | { type: 'train-snapshot'; runId: string; step: number; error?: string }
  /** A run's trained checkpoint (now the current policy), sent once when it finishes or is stopped. */
  /** Stored by the worker in IndexedDB with its provenance as `checkpointId` (`error`: it could not be stored). */
  | { type: 'train-result'; runId: string; checkpointId: string; sha256: string; name: string; policy: PolicySummary; error?: string };

export type FromWorker = WorkerResponse | WorkerEvent;

/** A request without its id, as callers write it. */
export type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
