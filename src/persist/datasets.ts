/**
 * Datasets in IndexedDB: one record per dataset (name, task, classes), one per image (its annotations, split and
 * label), and the image pixels as Blobs. Each change of the editor writes exactly the records it touched in one
 * transaction, so an autosave is all-or-nothing and a reload finds the last saved edit.
 *
 * Records carry `schema`; `migrateImageRecord`/`migrateDatasetRecord` bring older records forward on read.
 */
import type { DatasetClass, DatasetImage } from '../core/dataset/types';
import type { Task } from '../core/rewards/types';
import { inTransaction, requestResult } from './db';

export const DATASET_SCHEMA = 1;

export interface DatasetRecord {
  schema: number;
  id: string;
  name: string;
  task: Task;
  classes: DatasetClass[];
  createdAt: string;
  updatedAt: string;
}

export interface ImageRecord extends DatasetImage {
  schema: number;
  datasetId: string;
  /** Insertion order within the dataset (the grid's order). */
  seq: number;
}

export interface BlobRecord {
  imageId: string;
  /** The canonical pixels: the uploaded file, or an upright re-encoding when EXIF rotated it. */
  original: Blob;
  /** A copy at most `DISPLAY_MAX` pixels on its longest side for the canvas, or null when the original is small. */
  display: Blob | null;
  /** A small square-ish preview for the grid. */
  thumb: Blob;
}

export interface DatasetSummary extends DatasetRecord {
  imageCount: number;
}

export function migrateDatasetRecord(r: DatasetRecord): DatasetRecord {
  // Schema 1 is the first; later versions add steps here (r.schema < 2 → …).
  return r;
}

export function migrateImageRecord(r: ImageRecord): ImageRecord {
  return r;
}

export async function listDatasets(): Promise<DatasetSummary[]> {
  const list = await inTransaction(['datasets', 'images'], 'readonly', (tx) =>
    requestResult(tx.objectStore('datasets').getAll()).then((all: DatasetRecord[]) =>
      Promise.all(all.map(migrateDatasetRecord).map(async (d) => ({ ...d, imageCount: await requestResult(tx.objectStore('images').index('datasetId').count(d.id)) }))),
    ),
  );
  return list.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export async function loadDatasetRecords(id: string): Promise<{ dataset: DatasetRecord; images: ImageRecord[] } | null> {
  const [dataset, images] = await inTransaction(['datasets', 'images'], 'readonly', (tx) =>
    Promise.all([requestResult(tx.objectStore('datasets').get(id)) as Promise<DatasetRecord | undefined>, requestResult(tx.objectStore('images').index('datasetId').getAll(id)) as Promise<ImageRecord[]>]),
  );
  if (!dataset) return null;
  return { dataset: migrateDatasetRecord(dataset), images: images.map(migrateImageRecord).sort((a, b) => a.seq - b.seq) };
}

/**
 * Write one edit: the dataset record (classes, updatedAt), image records to put and image ids to delete. Pixels of
 * deleted images stay until `purgeOrphanBlobs`, so the edit can be undone within the session.
 */
export function saveEdit(dataset: DatasetRecord, puts: ImageRecord[], deletes: string[]): Promise<void> {
  return inTransaction(['datasets', 'images'], 'readwrite', (tx) => {
    tx.objectStore('datasets').put(dataset);
    const images = tx.objectStore('images');
    for (const r of puts) images.put(r);
    for (const id of deletes) images.delete(id);
  });
}

/** Add images with their pixels in one transaction: an upload or import is saved whole or not at all. */
export function saveNewImages(dataset: DatasetRecord, images: ImageRecord[], blobs: BlobRecord[]): Promise<void> {
  return inTransaction(['datasets', 'images', 'blobs'], 'readwrite', (tx) => {
    tx.objectStore('datasets').put(dataset);
    for (const b of blobs) tx.objectStore('blobs').put(b);
    for (const r of images) tx.objectStore('images').put(r);
  });
}

export async function getBlobs(imageId: string): Promise<BlobRecord | null> {
  return (await inTransaction(['blobs'], 'readonly', (tx) => requestResult(tx.objectStore('blobs').get(imageId)) as Promise<BlobRecord | undefined>)) ?? null;
}

/** Thumbnails of many images in one transaction (the grid). */
export async function getThumbs(imageIds: string[]): Promise<Map<string, Blob>> {
  const got = await inTransaction(['blobs'], 'readonly', (tx) => Promise.all(imageIds.map((id) => requestResult(tx.objectStore('blobs').get(id)) as Promise<BlobRecord | undefined>)));
  const out = new Map<string, Blob>();
  got.forEach((b) => b && out.set(b.imageId, b.thumb));
  return out;
}

export function deleteDataset(id: string, imageIds: string[]): Promise<void> {
  return inTransaction(['datasets', 'images', 'blobs'], 'readwrite', (tx) => {
    tx.objectStore('datasets').delete(id);
    for (const i of imageIds) {
      tx.objectStore('images').delete(i);
      tx.objectStore('blobs').delete(i);
    }
  });
}

/** Drop pixels whose image record is gone (deleted images, after the session that could undo it). */
export async function purgeOrphanBlobs(): Promise<number> {
  return inTransaction(['images', 'blobs'], 'readwrite', (tx) =>
    Promise.all([requestResult(tx.objectStore('images').getAllKeys()), requestResult(tx.objectStore('blobs').getAllKeys())]).then(([images, blobs]) => {
      const live = new Set(images.map(String));
      const orphans = blobs.filter((k) => !live.has(String(k)));
      for (const k of orphans) tx.objectStore('blobs').delete(k);
      return orphans.length;
    }),
  );
}

/** Bytes used and available to this origin, when the browser tells. */
export async function storageUsage(): Promise<{ usage: number; quota: number } | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const e = await navigator.storage.estimate();
  return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
}

/** Ask the browser not to evict this origin's data under storage pressure. */
export async function requestPersistence(): Promise<boolean> {
  return typeof navigator !== 'undefined' && navigator.storage?.persist ? navigator.storage.persist() : false;
}
