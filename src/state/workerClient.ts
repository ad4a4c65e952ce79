/**
 * The page's side of the worker protocol: sends requests with fresh ids and resolves each promise with the
 * matching response. A crashed worker rejects every pending request with the crash message.
 */
import type { FromWorker, RequestBody, ResultMap, WorkerEvent } from '../worker/protocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    worker.onerror = (ev: ErrorEvent) => this.failAll(`the ML worker crashed: ${ev.message || 'unknown error'}`);
  }

  /** Send a request; `transfer` lists buffers to move (not copy) to the worker. */
  request<T extends RequestBody>(body: T, transfer: Transferable[] = []): Promise<ResultMap[T['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(msg: FromWorker): void {
    if (!('id' in msg)) {
      this.listeners.forEach((l) => l(msg));
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(new Error(msg.message));
  }

  private failAll(message: string): void {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    this.listeners.forEach((l) => l({ type: 'crash', message }));
  }

  /** True after the worker crashed; the next mlWorker() call starts a fresh one. */
  dead = false;

  terminate(): void {
    this.worker.terminate();
  }
}

let client: WorkerClient | null = null;

/** The app's single ML worker, started on first use. */
const listenersAcrossRestarts = new Set<(e: WorkerEvent) => void>();

/** The app's single ML worker, started on first use and restarted after a crash. */
export function mlWorker(): WorkerClient {
  if (!client || client.dead) {
    client = new WorkerClient(new Worker(new URL('../worker/mlWorker.ts', import.meta.url), { type: 'module', name: 'ml' }));
    const c = client;
    c.onEvent((e) => listenersAcrossRestarts.forEach((l) => l(e)));
  }
  return client;
}

/** Listen to worker events, including those of workers started after a crash. */
export function onWorkerEvent(listener: (e: WorkerEvent) => void): () => void {
  listenersAcrossRestarts.add(listener);
  return () => listenersAcrossRestarts.delete(listener);
}
