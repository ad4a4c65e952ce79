/**
 * The models the user has: the shipped base policy (always there, never deleted) and every checkpoint a run
 * produced or the user uploaded, each with its provenance. Actions make one current, rename, delete, download and
 * upload; a finished run's result is stored here, never over the model it started from.
 */
import { create } from 'zustand';
import { type CheckpointInfo, type CheckpointRecord, type Provenance, CHECKPOINT_RECORD_SCHEMA, deleteCheckpoint, findCheckpointBySha, getCheckpoint, listCheckpoints, putCheckpoint } from '../persist/checkpoints';
import { sha256Hex } from '../core/model/tower';
import { saveCheckpointFile } from './download';
import { createPolicy, fetchBasePolicyBytes, loadBasePolicy, loadPolicyBytes, usePolicyStore } from './modelsStore';

export type { CheckpointInfo, Provenance };

export const BASE_ID = 'base';

export interface CheckpointsState {
  list: CheckpointInfo[];
  /** Which model is current: BASE_ID, a checkpoint id, or null (an untrained or unsaved policy). */
  currentId: string | null;
  error?: string;
}

export const useCheckpointsStore = create<CheckpointsState>(() => ({ list: [], currentId: null }));

const fail = (e: unknown) => useCheckpointsStore.setState({ error: e instanceof Error ? e.message : String(e) });

export async function refreshCheckpoints(): Promise<void> {
  try {
    useCheckpointsStore.setState({ list: await listCheckpoints(), error: undefined });
  } catch (e) {
    fail(e);
  }
}

/** `name`, or `name (2)`, … so that names stay distinct. */
export function uniqueName(name: string, taken: string[]): string {
  if (!taken.includes(name)) return name;
  for (let i = 2; ; i++) if (!taken.includes(`${name} (${i})`)) return `${name} (${i})`;
}

const newId = () => `ckpt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A run's trained checkpoint, stored by the worker with its provenance, is the current model. */
export async function adoptRunResult(checkpointId: string): Promise<void> {
  useCheckpointsStore.setState({ currentId: checkpointId });
  await refreshCheckpoints();
}

/** Make a model current: the base from the app, a stored checkpoint from this browser's storage. */
export async function makeCurrent(id: string): Promise<void> {
  try {
    if (id === BASE_ID) await loadBasePolicy();
    else {
      const r = await getCheckpoint(id);
      if (!r) throw new Error('that checkpoint is no longer stored');
      await loadPolicyBytes(r.bytes.slice(0), r.name);
    }
    if (usePolicyStore.getState().error) return;
    useCheckpointsStore.setState({ currentId: id, error: undefined });
  } catch (e) {
    fail(e);
  }
}

export async function renameCheckpoint(id: string, name: string): Promise<void> {
  const clean = name.trim();
  if (!clean) return fail('a model needs a name');
  try {
    const r = await getCheckpoint(id);
    if (!r) throw new Error('that checkpoint is no longer stored');
    await putCheckpoint({ ...r, name: uniqueName(clean, useCheckpointsStore.getState().list.filter((c) => c.id !== id).map((c) => c.name)) });
    await refreshCheckpoints();
  } catch (e) {
    fail(e);
  }
}

export async function deleteCheckpointById(id: string): Promise<void> {
  if (id === useCheckpointsStore.getState().currentId) return fail('this model is the current policy: make another one current before deleting it');
  try {
    await deleteCheckpoint(id);
    await refreshCheckpoints();
  } catch (e) {
    fail(e);
  }
}

export async function downloadCheckpoint(id: string): Promise<void> {
  try {
    const r = id === BASE_ID ? { bytes: await fetchBasePolicyBytes(), name: 'base policy' } : await getCheckpoint(id);
    if (!r) throw new Error('that checkpoint is no longer stored');
    saveCheckpointFile(r.bytes, r.name);
  } catch (e) {
    fail(e);
  }
}

/** Upload a checkpoint file: checked by loading it (it becomes current), then stored beside the others. */
export async function uploadCheckpoint(file: File): Promise<void> {
  try {
    const bytes = await file.arrayBuffer();
    await loadPolicyBytes(bytes.slice(0), file.name);
    const { error, summary } = usePolicyStore.getState();
    // A file that does not load is reported beside the current policy (its error); nothing is stored.
    if (error || !summary?.sha256) return;
    useCheckpointsStore.setState({ currentId: await storeCheckpoint(bytes, summary.sha256, file.name.replace(/\.vrft$/, ''), null) });
  } catch (e) {
    fail(e);
  }
}

/**
 * Keep a checkpoint's bytes (already checked to load) with its provenance, under a name no other model has; one
 * already stored with the same hash is kept as it is. Returns the stored id.
 */
export async function storeCheckpoint(bytes: ArrayBuffer, sha256: string, name: string, provenance: Provenance | null): Promise<string> {
  const existing = await findCheckpointBySha(sha256);
  if (existing) return existing.id;
  const record: CheckpointRecord = { schema: CHECKPOINT_RECORD_SCHEMA, id: newId(), name: uniqueName(name, useCheckpointsStore.getState().list.map((c) => c.name)), sha256, createdAt: new Date().toISOString(), bytes, provenance };
  await putCheckpoint(record);
  await refreshCheckpoints();
  return record.id;
}

/** The bytes of the checkpoint with this hash (the base from the app, others from storage), or null. */
export async function checkpointBytesBySha(sha256: string): Promise<{ id: string; bytes: ArrayBuffer; name: string } | null> {
  const stored = await findCheckpointBySha(sha256);
  if (stored) return { id: stored.id, bytes: stored.bytes, name: stored.name };
  const base = await fetchBasePolicyBytes();
  return (await sha256Hex(new Uint8Array(base))) === sha256 ? { id: BASE_ID, bytes: base, name: 'base policy' } : null;
}

/** A fresh untrained tiny policy as the current one (not stored: nothing has trained it). */
export async function createUntrained(): Promise<void> {
  await createPolicy('tiny');
  if (!usePolicyStore.getState().error) useCheckpointsStore.setState({ currentId: null });
}
