/// <reference lib="webworker" />
/**
 * The ML worker: every TensorFlow.js computation of the app runs here, never on the page's thread.
 */
import * as tf from '@tensorflow/tfjs';
import { runModelBench } from '../core/bench/modelBench';
import { runBackendCheck } from './backendCheck';
import { initBackend } from './backendInit';
import { fetchWithProgress } from './fetchWithProgress';
import { adoptPolicy, createPolicy, currentPolicy, currentPolicySummary, loadPolicy, savePolicy } from './policyHost';
import { control, startRun } from './trainingHost';
import { evaluateCurrent, generateCurrent } from './inference';
import { datasetItems, worldItems } from './worldData';
import type { TrainItem } from '../core/train/trainer';
import type { FromWorker, ResultMap, WorkerRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Words of an untrained policy's vocabulary until datasets bring their own. */
const DEFAULT_WORDS = ['I', 'see', 'a', 'the', 'object', 'on', 'left', 'right', 'top', 'bottom'];

function reply(msg: FromWorker): void {
  // Checkpoint bytes are transferred, not copied.
  const transfer = msg.type === 'result' && msg.request === 'policy-save' ? [(msg.value as { bytes: ArrayBuffer }).bytes] : [];
  scope.postMessage(msg, transfer);
}

async function handle(req: WorkerRequest): Promise<ResultMap[keyof ResultMap]> {
  switch (req.type) {
    case 'init-backend':
      return initBackend(req.backend);
    case 'memory': {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    }
    case 'backend-check':
      return runBackendCheck(req.backends);
    case 'model-bench':
      return runModelBench({ config: req.config, uncached: req.uncached, repeats: 1 });
    case 'policy-create':
      return createPolicy(req.config, DEFAULT_WORDS);
    case 'policy-load':
      return loadPolicy(new Uint8Array(req.bytes), req.name, req.towerUrl);
    case 'policy-save': {
      const { bytes, name } = await savePolicy();
      return { bytes: bytes.buffer as ArrayBuffer, name };
    }
    case 'policy-summary':
      return currentPolicySummary();
    case 'train-start': {
      const policy = currentPolicy();
      if (!policy) throw new Error('load a policy before training');
      const data = req.spec.data;
      let items: TrainItem[];
      let newWords: string[] = [];
      if (data.kind === 'dataset') {
        if (!req.examples) throw new Error(`the dataset “${data.datasetName}” was not sent with the run`);
        ({ items, newWords } = await datasetItems(policy, req.examples));
      } else items = await worldItems(policy, data);
      const runId = req.runId ?? `run-${Date.now().toString(36)}`;
      const resume = req.resume && { step: req.resume.step, checkpoint: new Uint8Array(req.resume.checkpoint), optimizer: new Uint8Array(req.resume.optimizer), rngState: req.resume.rngState, meta: {} };
      const reference = req.spec.method === 'grpo' && req.spec.config.beta !== 0 ? policy.frozenCopy() : null;
      const how = req.spec.method === 'grpo' ? { method: 'grpo' as const, config: req.spec.config } : { method: 'sft' as const, config: req.spec.config };
      // Not awaited: the run goes on while other requests (pause, stop, status) are answered.
      void startRun(runId, policy, reference, items, how, {
        metrics: (id, step, metrics) => reply({ type: 'train-metrics', runId: id, step, metrics }),
        rollouts: (id, step, rollouts, solutions) => reply({ type: 'train-rollouts', runId: id, step, rollouts, solutions }),
        snapshot: (id, snap) => {
          const checkpoint = snap.checkpoint.slice().buffer as ArrayBuffer;
          const optimizer = snap.optimizer.slice().buffer as ArrayBuffer;
          scope.postMessage({ type: 'train-snapshot', runId: id, step: snap.step, checkpoint, optimizer, rngState: snap.rngState } satisfies FromWorker, [checkpoint, optimizer]);
        },
        status: (id, status, detail) => reply({ type: 'train-status', runId: id, status, detail, policy: currentPolicySummary() ?? undefined }),
      }, req.snapshotEvery, resume)
        .then((trained) => {
          if (trained !== policy) adoptPolicy(trained, `resumed ${runId}`);
        })
        .catch(() => {})
        .finally(() => reference?.dispose());
      return { runId, newWords };
    }
    case 'train-control':
      return { status: control(req.runId, req.action) };
    case 'evaluate':
      return evaluateCurrent(req.task, req.split, req.count, req.atlasUrl);
    case 'generate':
      return generateCurrent(req.images, req.prompts, req.samples, req.temperature, req.maxNewTokens, req.seed);
    case 'policy-fetch':
      return loadPolicy(await fetchWithProgress(req.url, (loaded, total) => reply({ type: 'progress', task: req.name, loaded, total })), req.name, req.towerUrl);
  }
}

// Requests run one at a time, in arrival order: a request that arrives while the backend is still starting
// (or switching) must not run on a half-initialised engine.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  queue = queue.then(() =>
    handle(req).then(
      (value) => reply({ id: req.id, type: 'result', request: req.type, value }),
      (e: unknown) => reply({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e) }),
    ),
  );
};
