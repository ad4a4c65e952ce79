/// <reference lib="webworker" />
/**
 * The ML worker: every TensorFlow.js computation of the app runs here, never on the page's thread.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backendInit';
import type { FromWorker, ResultMap, WorkerRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function reply(msg: FromWorker): void {
  scope.postMessage(msg);
}

async function handle(req: WorkerRequest): Promise<ResultMap[keyof ResultMap]> {
  switch (req.type) {
    case 'init-backend':
      return initBackend(req.backend);
    case 'memory': {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    }
  }
}

scope.onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  handle(req).then(
    (value) => reply({ id: req.id, type: 'result', request: req.type, value }),
    (e: unknown) => reply({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
};
