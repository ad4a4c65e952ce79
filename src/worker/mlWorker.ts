/// <reference lib="webworker" />
/**
 * The ML worker: every TensorFlow.js computation of the app runs here, never on the page's thread.
 */
import * as tf from '@tensorflow/tfjs';
import { runModelBench } from '../core/bench/modelBench';
import { runBackendCheck } from './backendCheck';
import { initBackend } from './backendInit';
import { fetchWithProgress } from './fetchWithProgress';
import { startGradientWorkers } from './gradientPool';
import { createPolicy, currentPolicySummary, loadPolicy, savePolicy } from './policyHost';
import { handleTrainStart } from './trainStart';
import { control } from './trainingHost';
import { evaluateCurrent, generateCurrent, generateWith } from './inference';
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
      return initBackend(req.backend, req.threads, req.parallel);
    case 'memory': {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    }
    case 'backend-check':
      return runBackendCheck(req.backends, req.towerUrl);
    case 'model-bench':
      return runModelBench({
        config: req.config,
        uncached: req.uncached,
        repeats: Math.max(1, Math.min(20, Math.floor(req.repeats ?? 1))),
        // The step shares its micro-batches with the gradient workers, as a training run does.
        gradientWorkers: async (policy) => (await startGradientWorkers(policy, tf.getBackend())).helper,
      });
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
    case 'train-start':
      return handleTrainStart(req, (msg, transfer = []) => scope.postMessage(msg, transfer));
    case 'train-control':
      return { status: control(req.runId, req.action) };
    case 'evaluate':
      return evaluateCurrent(req.task, req.split, req.count, req.atlasUrl);
    case 'generate-with':
      return generateWith(new Uint8Array(req.bytes), req.towerUrl, req.images, req.prompts, req.maxNewTokens);
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
