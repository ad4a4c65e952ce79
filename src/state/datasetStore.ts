/**
 * The dataset workbench's state: the list of datasets, the open dataset with its edit history, the selection,
 * and autosave. Every edit is a `Change` (core/dataset/editing.ts) that is applied in memory at once (the canvas
 * never waits) and queued for IndexedDB; writes coalesce per image and run one at a time. A failed write (a
 * full quota) keeps the edit in memory, reports it, and is retried — nothing already saved is touched.
 */
import { create } from 'zustand';
import { type Change, applyChange } from '../core/dataset/editing';
import { EMPTY_HISTORY, type History, recordChange, redo as redoHistory, undo as undoHistory } from '../core/dataset/history';
import type { Dataset, DatasetClass, DatasetImage } from '../core/dataset/types';
import type { Task } from '../core/rewards/types';
import { type DatasetRecord, type DatasetSummary, DATASET_SCHEMA, type ImageRecord, deleteDataset as dbDeleteDataset, listDatasets, loadDatasetRecords, purgeOrphanBlobs, saveEdit, storageUsage } from '../persist/datasets';

export type { Annotation, Corners, Dataset, DatasetClass, DatasetImage } from '../core/dataset/types';
export type { Task };
export type { DatasetSummary };

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** The panel whose control caused it (shown there, next to that control); absent: the page's message list. */
  where?: 'import' | 'generate';
}

export interface OpenDataset {
  id: string;
  record: DatasetRecord;
  dataset: Dataset;
}

export interface DatasetsState {
  list: DatasetSummary[];
  listStatus: 'loading' | 'ready' | 'failed';
  open: OpenDataset | null;
  history: History;
  /** Autosave: 'saved' when IndexedDB holds every edit; 'error' keeps `saveError` until a retry succeeds. */
  save: { status: 'saved' | 'saving' | 'error'; error?: string };
  /** A long job (upload, import, generation, export) with its progress. */
  job: { label: string; done: number; total: number } | null;
  notices: Notice[];
  storage: { usage: number; quota: number } | null;
}

export const useDatasetsStore = create<DatasetsState>(() => ({
  list: [],
  listStatus: 'loading',
  open: null,
  history: EMPTY_HISTORY,
  save: { status: 'saved' },
  job: null,
  notices: [],
  storage: null,
}));

const set = useDatasetsStore.setState;
const get = useDatasetsStore.getState;

let noticeId = 0;
export function notify(kind: Notice['kind'], text: string, where?: Notice['where']): void {
  set({ notices: [...get().notices.slice(-7), { id: ++noticeId, kind, text, ...(where ? { where } : {}) }] });
}

export function dismissNotice(id: number): void {
  set({ notices: get().notices.filter((n) => n.id !== id) });
}

export const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export async function refreshStorage(): Promise<void> {
  try {
    set({ storage: await storageUsage() });
  } catch {
    // Usage is informative only; browsers without the API show nothing.
  }
}

export async function refreshDatasets(): Promise<void> {
  try {
    set({ list: await listDatasets(), listStatus: 'ready' });
  } catch (e) {
    set({ listStatus: 'failed' });
    notify('error', `Could not read saved datasets: ${message(e)}`);
  }
  void refreshStorage();
}

// ---- persistence queue ------------------------------------------------------------------------------------

/** Insertion order of each image of the open dataset (image records keep it as `seq`). */
let seqOf = new Map<string, number>();
let nextSeq = 0;
const dirtyImages = new Set<string>();
let datasetDirty = false;
let flushing: Promise<void> | null = null;

function imageRecord(open: OpenDataset, im: DatasetImage): ImageRecord {
  let seq = seqOf.get(im.id);
  if (seq === undefined) {
    seq = nextSeq++;
    seqOf.set(im.id, seq);
  }
  return { ...im, schema: DATASET_SCHEMA, datasetId: open.id, seq };
}

/** Write every pending edit of the open dataset; resolves when IndexedDB holds them (or the write failed). */
export function flushSaves(): Promise<void> {
  if (flushing) return flushing.then(() => (dirtyImages.size || datasetDirty ? flushSaves() : undefined));
  const open = get().open;
  if (!open || (!dirtyImages.size && !datasetDirty)) return Promise.resolve();
  const ids = [...dirtyImages];
  dirtyImages.clear();
  datasetDirty = false;
  const byId = new Map(open.dataset.images.map((im) => [im.id, im]));
  const puts = ids.filter((id) => byId.has(id)).map((id) => imageRecord(open, byId.get(id)!));
  const deletes = ids.filter((id) => !byId.has(id));
  const record: DatasetRecord = { ...open.record, name: open.dataset.name, classes: open.dataset.classes, updatedAt: new Date().toISOString() };
  set({ save: { status: 'saving' } });
  flushing = saveEdit(record, puts, deletes)
    .then(() => {
      const cur = get().open;
      if (cur?.id === open.id) set({ open: { ...cur, record } });
      set({ save: dirtyImages.size || datasetDirty ? { status: 'saving' } : { status: 'saved' } });
    })
    .catch((e) => {
      // Keep the edits pending: the next edit or a retry writes them again.
      ids.forEach((id) => dirtyImages.add(id));
      datasetDirty = true;
      set({ save: { status: 'error', error: message(e) } });
    })
    .finally(() => {
      flushing = null;
      if ((dirtyImages.size || datasetDirty) && get().save.status !== 'error') void flushSaves();
    });
  return flushing;
}

export function retrySave(): Promise<void> {
  set({ save: { status: 'saving' } });
  return flushSaves();
}

function markDirty(c: Change): void {
  for (const x of c.images) dirtyImages.add((x.after ?? x.before)!.id);
  datasetDirty = true;
}

// ---- editing ----------------------------------------------------------------------------------------------

/** Apply an edit: in memory at once, into the undo history, and queued for saving. Null changes are no-ops. */
export function commit(c: Change | null, opts: { alreadySaved?: boolean } = {}): boolean {
  const open = get().open;
  if (!c || !open) return false;
  const dataset = applyChange(open.dataset, c, 'forward');
  set({ open: { ...open, dataset }, history: recordChange(get().history, c) });
  if (!opts.alreadySaved) {
    markDirty(c);
    void flushSaves();
  }
  return true;
}

/** Run an edit function against the open dataset; a thrown problem (a duplicate class name) becomes a notice. */
export function edit(fn: (d: Dataset) => Change | null): boolean {
  const open = get().open;
  if (!open) return false;
  try {
    return commit(fn(open.dataset));
  } catch (e) {
    notify('error', message(e));
    return false;
  }
}

/** Undo or redo one change: applied in memory, the history moved, the touched records queued for saving. */
function travel(step: typeof undoHistory, direction: 'forward' | 'back'): string | null {
  const open = get().open;
  const s = step(get().history);
  if (!open || !s) return null;
  set({ open: { ...open, dataset: applyChange(open.dataset, s.change, direction) }, history: s.history });
  markDirty(s.change);
  void flushSaves();
  return s.change.label;
}

export const undo = (): string | null => travel(undoHistory, 'back');
export const redo = (): string | null => travel(redoHistory, 'forward');

// ---- datasets ---------------------------------------------------------------------------------------------

export async function createDataset(name: string, task: Task, classes: DatasetClass[] = []): Promise<string> {
  const now = new Date().toISOString();
  const record: DatasetRecord = { schema: DATASET_SCHEMA, id: newId(), name: name.trim() || 'Untitled dataset', task, classes, createdAt: now, updatedAt: now };
  await saveEdit(record, [], []);
  await refreshDatasets();
  return record.id;
}

export async function openDataset(id: string): Promise<boolean> {
  await closeDataset();
  try {
    const got = await loadDatasetRecords(id);
    if (!got) {
      notify('error', 'That dataset no longer exists.');
      return false;
    }
    seqOf = new Map(got.images.map((r) => [r.id, r.seq]));
    nextSeq = got.images.reduce((m, r) => Math.max(m, r.seq + 1), 0);
    const images: DatasetImage[] = got.images.map(({ schema: _s, datasetId: _d, seq: _q, ...im }) => im);
    set({ open: { id, record: got.dataset, dataset: { name: got.dataset.name, task: got.dataset.task, classes: got.dataset.classes, images } }, history: EMPTY_HISTORY, save: { status: 'saved' } });
    return true;
  } catch (e) {
    notify('error', `Could not open the dataset: ${message(e)}`);
    return false;
  }
}

/** Close the open dataset after its last edits are saved; pixels of images deleted in the session are purged. */
export async function closeDataset(): Promise<void> {
  if (!get().open) return;
  await flushSaves();
  if (get().save.status === 'error') return; // keep it open: closing would drop unsaved edits
  set({ open: null, history: EMPTY_HISTORY });
  seqOf = new Map();
  void purgeOrphanBlobs().catch(() => undefined);
  await refreshDatasets();
}

export function renameDataset(name: string): void {
  const open = get().open;
  if (!open || !name.trim()) return;
  set({ open: { ...open, dataset: { ...open.dataset, name: name.trim() } } });
  datasetDirty = true;
  void flushSaves();
}

export async function deleteDatasetById(id: string): Promise<void> {
  try {
    const got = await loadDatasetRecords(id);
    if (get().open?.id === id) set({ open: null, history: EMPTY_HISTORY });
    await dbDeleteDataset(id, got?.images.map((r) => r.id) ?? []);
  } catch (e) {
    notify('error', `Could not delete the dataset: ${message(e)}`);
  }
  await refreshDatasets();
}

/** Tests and the e2e suite wait on this: every edit made so far is in IndexedDB. */
export function whenSaved(): Promise<void> {
  return flushSaves();
}

/** Insertion numbers for images about to be saved (they keep the grid's order across reloads). */
export function reserveSeq(ids: string[]): number[] {
  return ids.map((id) => {
    seqOf.set(id, nextSeq);
    return nextSeq++;
  });
}
