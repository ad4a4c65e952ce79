import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addAnnotation, addClass } from '../core/dataset/editing';
import { loadDatasetRecords } from '../persist/datasets';
import { commit, createDataset, edit, openDataset, redo, retrySave, undo, useDatasetsStore, whenSaved } from './datasetStore';

const state = () => useDatasetsStore.getState();

describe('dataset store autosave', () => {
  it('saves every edit, undo and redo, and survives a full quota without losing anything', async () => {
    const id = await createDataset('pets', 'detection');
    expect(await openDataset(id)).toBe(true);
    edit((d) => addClass(d, 'cat', '#f00'));
    const im = { id: 'img-1', fileName: 'a.jpg', width: 100, height: 100, split: 'train' as const, annotations: [] };
    commit({ label: 'Add image', images: [{ before: null, after: im }] });
    edit((d) => addAnnotation(d, 'img-1', { id: 'b1', classId: 0, box: [10, 10, 50, 50] }));
    await whenSaved();
    let saved = (await loadDatasetRecords(id))!;
    expect(saved.dataset.classes.map((c) => c.name)).toEqual(['cat']);
    expect(saved.images[0].annotations.map((a) => a.box)).toEqual([[10, 10, 50, 50]]);

    undo();
    await whenSaved();
    expect((await loadDatasetRecords(id))!.images[0].annotations).toEqual([]);
    redo();
    await whenSaved();
    expect((await loadDatasetRecords(id))!.images[0].annotations).toHaveLength(1);

    // The quota runs out for the next write: the edit stays in memory, the error is shown, saved data is intact.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    try {
      edit((d) => addAnnotation(d, 'img-1', { id: 'b2', classId: 0, box: [60, 60, 90, 90] }));
      await whenSaved();
      expect(state().save.status).toBe('error');
      expect(state().save.error).toMatch(/storage is full.*nothing already saved was lost/);
      expect(state().open!.dataset.images[0].annotations).toHaveLength(2);
      saved = (await loadDatasetRecords(id))!;
      expect(saved.images[0].annotations).toHaveLength(1);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    await retrySave();
    expect(state().save.status).toBe('saved');
    expect((await loadDatasetRecords(id))!.images[0].annotations.map((a) => a.id)).toEqual(['b1', 'b2']);
  });

  it('reports a duplicate class name instead of saving it', async () => {
    expect(edit((d) => addClass(d, 'Cat', '#0f0'))).toBe(false);
    expect(state().notices.at(-1)!.text).toBe('there is already a class "cat"');
  });
});
