/**
 * The training worker's gradient workers (data parallelism, core/train/lossParts.ts): when the user gives the
 * cores to workers (Models view, "Use the threads as"), a run starts `workers − 1` of them, each with a copy of
 * the policy, and every update's micro-batches are shared between this worker and them. A step equals the
 * one-worker step (the parts are summed in order; lossParts.test.ts). A worker that fails is closed and its parts
 * are computed here from then on; the run goes on.
 */
import { saveCheckpoint } from '../core/model/checkpoint';
import type { ParamName } from '../core/model/params';
import type { Policy } from '../core/model/policy';
import { usesTower } from '../core/model/config';
import type { GradientHelper, LossPart, PartResult } from '../core/train/lossParts';
import type { GradientWorkerReply, GradientWorkerRequest } from './gradientMessages';
import { gradientWorkerCount } from './gradientSettings';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

class GradientWorker {
  private next = 1;
  private waiting = new Map<number, { resolve: (r: GradientWorkerReply) => void; reject: (e: Error) => void }>();
  readonly worker = new Worker(new URL('./gradientWorker.ts', import.meta.url), { type: 'module', name: 'gradients' });
  constructor() {
    this.worker.onmessage = (ev: MessageEvent<GradientWorkerReply>) => {
      const w = this.waiting.get(ev.data.id);
      this.waiting.delete(ev.data.id);
      if (ev.data.type === 'error') w?.reject(new Error(ev.data.message));
      else w?.resolve(ev.data);
    };
    this.worker.onerror = (ev) => this.fail(new Error(`the gradient worker stopped: ${ev.message || 'unknown error'}`));
  }
  private fail(e: Error): void {
    this.waiting.forEach((w) => w.reject(e));
    this.waiting.clear();
  }
  request(msg: WithoutId<GradientWorkerRequest>, transfer: Transferable[] = []): Promise<GradientWorkerReply> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }
  close(): void {
    this.fail(new Error('the gradient worker was closed'));
    this.worker.terminate();
  }
}

export type ClosableHelper = GradientHelper & { close(): void };

/**
 * Gradient workers for a run of `policy`, or null when this run computes alone: one worker configured, not on
 * WASM, or a policy that reads the vision tower (its workers would need the tower too). Workers start when a step
 * first has parts for them (a batch of one micro-batch never starts one).
 */
export async function startGradientWorkers(policy: Policy, backend: string): Promise<{ helper: ClosableHelper | null; note?: string }> {
  const configured = gradientWorkerCount();
  if (configured <= 1) return { helper: null };
  if (backend !== 'wasm') return { helper: null, note: `one worker: gradient workers run on WASM, the active backend is ${backend}` };
  if (usesTower(policy.config)) return { helper: null, note: 'one worker: a policy that reads the vision tower trains in one worker' };
  let max = configured - 1;
  const started: GradientWorker[] = [];
  // Steps call `gradients` one at a time, so workers start one after another, never twice at once. The policy is
  // saved when the first one starts (a run whose batches are one part never pays for it); later steps send the
  // trainable weights, and nothing else changes during a run.
  let bytes: Uint8Array | null = null;
  const ensure = async (n: number) => {
    bytes ??= await saveCheckpoint(policy);
    while (started.length < n) {
      const w = new GradientWorker();
      try {
        await w.request({ type: 'init', checkpoint: bytes.slice().buffer as ArrayBuffer });
      } catch (e) {
        w.close();
        max = started.length;
        throw e;
      }
      started.push(w);
    }
  };
  return {
    helper: {
      get workers() {
        return max;
      },
      async gradients(weights: Map<ParamName, Float32Array>, parts: LossPart[]): Promise<PartResult[]> {
        if (max <= 0) throw new Error('no gradient worker left');
        // No await when the workers are up: the requests must be posted now, before this worker starts its own
        // parts (a synchronous computation); an await here would post them only after it and serialise the step.
        const need = Math.min(max, parts.length);
        if (started.length < need) await ensure(need);
        const use = started.slice(0, parts.length);
        // Contiguous equal shares, in order: worker k's parts follow worker k − 1's.
        const share = Math.ceil(parts.length / use.length);
        const pairs = [...weights];
        const replies = await Promise.all(
          use.map(async (w, k) => {
            const mine = parts.slice(k * share, (k + 1) * share);
            if (!mine.length) return [];
            try {
              const reply = await w.request({ type: 'gradients', weights: pairs, parts: mine });
              if (reply.type !== 'gradients') throw new Error(`unexpected reply ${reply.type}`);
              return reply.results.map((r) => ({ loss: r.loss, sums: r.sums, grads: new Map(r.grads) }));
            } catch (e) {
              w.close();
              started.splice(started.indexOf(w), 1);
              max = Math.max(0, max - 1);
              throw e;
            }
          }),
        );
        return replies.flat();
      },
      close: () => {
        started.splice(0).forEach((w) => w.close());
        max = 0;
      },
    },
  };
}
