/**
 * A run's start in the worker. The run trains a copy of the current policy, so the checkpoint it started from never
 * changes (docs/design.md §7); its KL reference is that parent — the current policy, or, when a run resumes after a
 * reload, the parent checkpoint the page sends by hash — so a resumed run equals an uninterrupted one. When the
 * run ends, the trained policy becomes current under the run's output name and its checkpoint goes to the page.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, saveCheckpoint } from '../core/model/checkpoint';
import type { Policy } from '../core/model/policy';
import { evaluateItems } from '../core/train/evaluate';
import type { TrainItem } from '../core/train/trainer';
import { CHECKPOINT_RECORD_SCHEMA, type Provenance, putCheckpoint } from '../persist/checkpoints';
import { saveRun } from '../persist/runs';
import { startGradientWorkers } from './gradientPool';
import { adoptPolicy, currentPolicy, currentPolicySummary } from './policyHost';
import type { FromWorker, ResultMap, WorkerRequest } from './protocol';
import { startRun } from './trainingHost';
import { datasetItems, worldItems } from './worldData';

type TrainStartRequest = Extract<WorkerRequest, { type: 'train-start' }>;

export async function handleTrainStart(req: TrainStartRequest, post: (msg: FromWorker, transfer?: Transferable[]) => void): Promise<ResultMap['train-start']> {
  const start = currentPolicy();
  if (!start) throw new Error('load a policy before training');
  const trainee = start.copy();
  let reference: Policy | null = null;
  try {
    const data = req.spec.data;
    let items: TrainItem[];
    let newWords: string[] = [];
    let evaluate: ((p: Policy) => Promise<Record<string, number>>) | undefined;
    if (data.kind === 'dataset') {
      if (!req.examples) throw new Error(`the dataset “${data.datasetName}” was not sent with the run`);
      const d = await datasetItems(trainee, req.examples);
      ({ items, newWords } = d);
      if (d.evalItems.length) evaluate = (p) => evaluateItems(p, d.evalItems, d.evalSamples, { maxNewTokens: req.spec.method === 'grpo' ? req.spec.config.maxCompletionLength : 80 });
    } else items = await worldItems(trainee, data);
    if (req.spec.method === 'grpo' && req.spec.config.beta !== 0) {
      if (req.parent) {
        reference = loadCheckpoint(new Uint8Array(req.parent), { trainable: false, tower: start.tower }).policy;
        if (newWords.length) reference.addWords(newWords);
      } else reference = trainee.frozenCopy();
    }
    const runId = req.runId ?? `run-${Date.now().toString(36)}`;
    const resume = req.resume && { step: req.resume.step, checkpoint: new Uint8Array(req.resume.checkpoint), optimizer: new Uint8Array(req.resume.optimizer), rngState: req.resume.rngState, meta: {} };
    const how = req.spec.method === 'grpo' ? { method: 'grpo' as const, config: req.spec.config } : { method: 'sft' as const, config: req.spec.config };
    const name = req.spec.outputName ?? `${req.spec.method === 'grpo' ? 'RFT' : 'SFT'} · ${runId}`;
    const started = performance.now();
    const ref = reference;
    const parentInfo = req.record?.parent ?? (() => {
      const c = currentPolicySummary();
      return c?.sha256 ? { sha256: c.sha256, name: c.name } : undefined;
    })();
    const history = [...(req.record?.history ?? [])];
    let ended: { status: 'finished' | 'stopped'; detail?: string } | undefined;
    // Gradient workers for this run (when the cores go to workers); closed when it ends.
    const { helper, note: parallelNote } = await startGradientWorkers(trainee, tf.getBackend());
    const workers = 1 + (helper?.workers ?? 0);
    // Not awaited: the run goes on while other requests (pause, stop, status) are answered.
    void startRun(runId, trainee, ref, items, how, {
      metrics: (id, step, m) => {
        const metrics = { ...m, 'parallel/workers': workers };
        history.push({ step, ...metrics });
        post({ type: 'train-metrics', runId: id, step, metrics });
      },
      rollouts: (id, step, rollouts, solutions, itemIndex) => post({ type: 'train-rollouts', runId: id, step, rollouts, solutions, items: itemIndex }),
      // Stored here, not on the page: a snapshot is ~13 MB, and cloning it into IndexedDB on the main thread was a
      // long task every few steps.
      snapshot: async (id, snap) => {
        const record = { id, spec: req.spec, step: snap.step, totalSteps: req.spec.config.steps, checkpoint: snap.checkpoint.slice().buffer as ArrayBuffer, optimizer: snap.optimizer.slice().buffer as ArrayBuffer, rngState: snap.rngState, savedAt: new Date().toISOString(), finished: false, parent: parentInfo, history: history.filter((h) => h.step <= snap.step) };
        try {
          await saveRun(record);
          post({ type: 'train-snapshot', runId: id, step: snap.step });
        } catch (e) {
          post({ type: 'train-snapshot', runId: id, step: snap.step, error: e instanceof Error ? e.message : String(e) });
        }
      },
      status: (id, status, detail) => {
        // The end of a run is announced with its result (below), once the trained policy is current.
        if (status === 'running' && parallelNote) detail ??= parallelNote;
        if (status !== 'finished' && status !== 'stopped') post({ type: 'train-status', runId: id, status, detail, policy: currentPolicySummary() ?? undefined });
        else ended = { status, detail };
      },
    }, req.snapshotEvery, resume, { gradientHelper: helper, ...(evaluate && { evaluate, evalEvery: Math.max(1, Math.round(req.spec.config.steps / 5)) }) })
      .then(async (trained) => {
        if (trained !== trainee) trainee.dispose();
        const bytes = await saveCheckpoint(trained, { run: runId, parent: currentPolicySummary()?.sha256 ?? null });
        const summary = await adoptPolicy(trained, name, bytes);
        // The trained model is stored with its provenance here too (4–5 MB: not cloned on the page's main thread).
        const d = req.spec.data;
        const provenance: Provenance = {
          parent: parentInfo ?? { name: 'unknown', sha256: '' },
          data: d.kind === 'dataset' ? { kind: 'dataset', datasetId: d.datasetId, datasetName: d.datasetName, split: d.split } : { kind: 'world', task: d.task, split: d.split, count: d.count, seed: d.seed },
          method: req.spec.method,
          config: req.spec.config as unknown as Record<string, unknown>,
          runId,
          steps: history[history.length - 1]?.step ?? 0,
          wallSeconds: (performance.now() - started) / 1000,
          finalMetrics: Object.assign({}, ...history.map(({ step: _s, ...m }) => m)) as Record<string, number>,
          history,
        };
        const checkpointId = `ckpt-${Date.now().toString(36)}-${runId}`;
        let error: string | undefined;
        try {
          await putCheckpoint({ schema: CHECKPOINT_RECORD_SCHEMA, id: checkpointId, name, sha256: summary.sha256!, createdAt: new Date().toISOString(), bytes: bytes.buffer as ArrayBuffer, provenance });
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        post({ type: 'train-result', runId, checkpointId, sha256: summary.sha256!, name, policy: summary, ...(error ? { error } : {}) });
        post({ type: 'train-status', runId, status: ended?.status ?? 'finished', detail: ended?.detail, policy: summary });
      })
      .catch(() => trainee.dispose())
      .finally(() => {
        ref?.dispose();
        helper?.close();
      });
    return { runId, newWords };
  } catch (e) {
    trainee.dispose();
    reference?.dispose();
    throw e;
  }
}
