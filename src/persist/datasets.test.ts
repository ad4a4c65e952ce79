import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DATASET_SCHEMA, type DatasetRecord, type ImageRecord, getBlobs, listDatasets, loadDatasetRecords, purgeOrphanBlobs, saveEdit, saveNewImages } from './datasets';
import { DB_VERSION, openDb, withStore } from './db';

const record = (id: string): DatasetRecord => ({ schema: DATASET_SCHEMA, id, name: id, task: 'detection', classes: [{ id: 0, name: 'cat', color: '#f00' }], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });
const image = (id: string, datasetId: string, seq: number): ImageRecord => ({ schema: DATASET_SCHEMA, id, datasetId, seq, fileName: `${id}.jpg`, width: 10, height: 10, split: 'train', annotations: [{ id: 'a', classId: 0, box: [1, 1, 5, 5] }] });

describe('dataset persistence', () => {
  it('migrates a version-1 database forward without losing its training runs', async () => {
    // A browser that last ran the app before datasets existed: only the v1 'runs' store, with a record.
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open('visual-rft-workbench', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('runs', { keyPath: 'id' }).put({ id: 'run-1', step: 7 });
      req.onsuccess = () => (req.result.close(), resolve());
      req.onerror = () => reject(req.error);
    });
    const db = await openDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['blobs', 'checkpoints', 'datasets', 'images', 'runs']);
    expect(await withStore('runs', 'readonly', (s) => s.get('run-1'))).toEqual({ id: 'run-1', step: 7 });
  });

  it('saves images with their pixels and reads them back in order', async () => {
    await saveNewImages(record('d1'), [image('i2', 'd1', 1), image('i1', 'd1', 0)], [{ imageId: 'i1', original: new Blob(['one']), display: null, thumb: new Blob(['t']) }, { imageId: 'i2', original: new Blob(['two']), display: null, thumb: new Blob(['t']) }]);
    const got = (await loadDatasetRecords('d1'))!;
    expect(got.images.map((r) => r.id)).toEqual(['i1', 'i2']);
    expect(await (await getBlobs('i2'))!.original.text()).toBe('two');
    expect((await listDatasets()).map((d) => [d.id, d.imageCount])).toEqual([['d1', 2]]);
  });

  it('an import that fails half-way writes nothing', async () => {
    const bad = { ...image('x2', 'd2', 1), annotations: [{ id: 'a', classId: 0, box: [0, 0, 1, 1], oops: () => 1 }] } as unknown as ImageRecord;
    await expect(saveNewImages(record('d2'), [image('x1', 'd2', 0), bad], [{ imageId: 'x1', original: new Blob(['x']), display: null, thumb: new Blob(['t']) }])).rejects.toThrow();
    expect(await loadDatasetRecords('d2')).toBeNull();
    expect(await getBlobs('x1')).toBeNull();
  });

  it('keeps the pixels of a deleted image until the orphans are purged', async () => {
    await saveEdit(record('d1'), [], ['i2']);
    expect(await getBlobs('i2')).not.toBeNull();
    expect(await purgeOrphanBlobs()).toBe(1);
    expect(await getBlobs('i2')).toBeNull();
    expect(await getBlobs('i1')).not.toBeNull();
  });
});
