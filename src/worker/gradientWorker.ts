/// <reference lib="webworker" />
/**
 * A gradient worker: computes a share of each update's micro-batches for the training worker (data parallelism,
 * core/train/lossParts.ts), with the weights it is sent every step. WASM on one thread: in this mode the cores
 * go to workers, each running every kernel of its parts, where WASM's own threads reach only the matMuls.
 */
import { loadCheckpoint } from '../core/model/checkpoint';
import type { Policy } from '../core/model/policy';
import { computeParts } from '../core/train/lossParts';
import { initBackend } from './backendInit';
import type { GradientWorkerReply, GradientWorkerRequest } from './gradientMessages';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let policy: Policy | null = null;

async function handle(req: GradientWorkerRequest): Promise<GradientWorkerReply> {
  if (req.type === 'init') {
    await initBackend('wasm', 1);
    policy?.dispose();
    policy = loadCheckpoint(new Uint8Array(req.checkpoint)).policy;
    return { id: req.id, type: 'ready' };
  }
  if (!policy) throw new Error('the gradient worker has no policy yet');
  const results = await computeParts(policy, new Map(req.weights), req.parts);
  return { id: req.id, type: 'gradients', results: results.map((r) => ({ loss: r.loss, sums: r.sums, grads: [...r.grads] })) };
}

// One request at a time, in order: the training worker waits for each step's answer before the next.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<GradientWorkerRequest>) => {
  const req = ev.data;
  queue = queue.then(() =>
    handle(req).then(
      (reply) => scope.postMessage(reply, reply.type === 'gradients' ? reply.results.flatMap((r) => r.grads.map(([, g]) => g.buffer)) : []),
      (e: unknown) => scope.postMessage({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies GradientWorkerReply),
    ),
  );
};
