/**
 * Trained checkpoints in IndexedDB, each with its provenance: what it was trained from (the parent's name and
 * weight hash), on what data, how (method and the full config), for how long, and its final metrics and curves.
 * The shipped base policy is not stored here: it always comes from the app itself and cannot be deleted.
 */
import { withStore } from './db';

export const CHECKPOINT_RECORD_SCHEMA = 1;

export interface Provenance {
  parent: { name: string; sha256: string };
  data: { kind: 'world'; task: string; split: string; count: number; seed: number } | { kind: 'dataset'; datasetId: string; datasetName: string; split: string };
  method: 'grpo' | 'sft';
  /** The run's full GrpoConfig or SftConfig. */
  config: Record<string, unknown>;
  runId: string;
  steps: number;
  wallSeconds: number;
  /** The last logged value of each metric (eval/* included when the run evaluated). */
  finalMetrics: Record<string, number>;
  /** Every logged step, for the curves of a finished run. */
  history: ({ step: number } & Record<string, number>)[];
}

export interface CheckpointRecord {
  schema: number;
  id: string;
  name: string;
  sha256: string;
  createdAt: string;
  bytes: ArrayBuffer;
  provenance: Provenance | null;
}

/** A record without its weights, for listing. */
export type CheckpointInfo = Omit<CheckpointRecord, 'bytes'> & { size: number };

export function migrateCheckpointRecord(r: CheckpointRecord): CheckpointRecord {
  // Schema 1 is the first; later versions add steps here.
  return r;
}

export function putCheckpoint(r: CheckpointRecord): Promise<unknown> {
  return withStore('checkpoints', 'readwrite', (s) => s.put(r));
}

export async function listCheckpoints(): Promise<CheckpointInfo[]> {
  const all = ((await withStore('checkpoints', 'readonly', (s) => s.getAll())) as CheckpointRecord[]).map(migrateCheckpointRecord);
  return all.map(({ bytes, ...info }) => ({ ...info, size: bytes.byteLength })).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function getCheckpoint(id: string): Promise<CheckpointRecord | null> {
  const r = (await withStore('checkpoints', 'readonly', (s) => s.get(id))) as CheckpointRecord | undefined;
  return r ? migrateCheckpointRecord(r) : null;
}

export async function findCheckpointBySha(sha256: string): Promise<CheckpointRecord | null> {
  const all = (await withStore('checkpoints', 'readonly', (s) => s.getAll())) as CheckpointRecord[];
  const r = all.find((x) => x.sha256 === sha256);
  return r ? migrateCheckpointRecord(r) : null;
}

export function deleteCheckpoint(id: string): Promise<unknown> {
  return withStore('checkpoints', 'readwrite', (s) => s.delete(id));
}
