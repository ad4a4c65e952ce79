/** Snapshots of training runs in IndexedDB: the latest one per run, kept until the run ends. */
import { withStore } from './db';

export interface RunRecord {
  id: string;
  /** The run's spec as the worker received it (data regenerates from it deterministically). */
  spec: unknown;
  step: number;
  totalSteps: number;
  checkpoint: ArrayBuffer;
  optimizer: ArrayBuffer;
  rngState: number;
  savedAt: string;
  finished: boolean;
  /** The checkpoint the run started from: its KL reference when the run resumes (absent in older records). */
  parent?: { sha256: string; name: string };
  /** Every metric logged up to the snapshot, so a resumed run's curves stay whole. */
  history?: ({ step: number } & Record<string, number>)[];
}

export function saveRun(r: RunRecord): Promise<unknown> {
  return withStore('runs', 'readwrite', (s) => s.put(r));
}

export async function unfinishedRun(): Promise<RunRecord | null> {
  const all = (await withStore('runs', 'readonly', (s) => s.getAll())) as RunRecord[];
  return all.filter((r) => !r.finished).sort((a, b) => b.savedAt.localeCompare(a.savedAt))[0] ?? null;
}

export async function finishRun(id: string): Promise<void> {
  await withStore('runs', 'readwrite', (s) => s.delete(id));
}
