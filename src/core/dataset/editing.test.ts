import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addAnnotation, addClass, addImages, applyChange, deleteAnnotations, deleteClass, deleteImages, invertChange, mergeClasses, pasteAnnotations, renameClass, setImageClass, setSplit, updateAnnotation } from './editing';
import { EMPTY_HISTORY, recordChange, redo, undo } from './history';
import { classCounts, labelStatus } from './stats';
import type { Dataset } from './types';

const base = (): Dataset => ({
  name: 'd',
  task: 'detection',
  classes: [
    { id: 0, name: 'cat', color: '#f00' },
    { id: 1, name: 'dog', color: '#0f0' },
  ],
  images: [
    { id: 'a', fileName: 'a.jpg', width: 100, height: 50, split: 'train', annotations: [{ id: 'a1', classId: 0, box: [10, 10, 30, 30] }] },
    { id: 'b', fileName: 'b.jpg', width: 200, height: 100, split: 'train', annotations: [] },
  ],
});

describe('dataset edits', () => {
  it('adds a box clamped to the image and ignores a click-sized box', () => {
    const d = base();
    const c = addAnnotation(d, 'a', { id: 'n', classId: 1, box: [90, 40, 120, 70] })!;
    expect(applyChange(d, c, 'forward').images[0].annotations[1].box).toEqual([90, 40, 100, 50]);
    expect(addAnnotation(d, 'a', { id: 'n', classId: 1, box: [5, 5, 6, 6] })).toBeNull();
  });

  it('moves, relabels and deletes boxes, and undo restores the exact record', () => {
    const d = base();
    const moved = applyChange(d, updateAnnotation(d, 'a', 'a1', { box: [20, 5, 40, 25] })!, 'forward');
    expect(moved.images[0].annotations[0].box).toEqual([20, 5, 40, 25]);
    const del = deleteAnnotations(moved, 'a', ['a1'])!;
    const gone = applyChange(moved, del, 'forward');
    expect(gone.images[0].annotations).toEqual([]);
    expect(applyChange(gone, del, 'back')).toEqual(moved);
    expect(updateAnnotation(d, 'a', 'a1', { classId: 0 })).toBeNull();
  });

  it('pastes boxes scaled to another image size with fresh ids', () => {
    const d = base();
    let n = 0;
    const c = pasteAnnotations(d, 'b', d.images[0].annotations, d.images[0], () => `p${++n}`)!;
    expect(applyChange(d, c, 'forward').images[1].annotations).toEqual([{ id: 'p1', classId: 0, box: [20, 20, 60, 60] }]);
  });

  it('manages classes: add, rename (unique names), merge and delete with their boxes', () => {
    let d = base();
    d = applyChange(d, addClass(d, ' bird ', '#00f'), 'forward');
    expect(d.classes.at(-1)).toEqual({ id: 2, name: 'bird', color: '#00f' });
    expect(() => addClass(d, 'CAT', '#000')).toThrow(/already a class "cat"/);
    expect(() => renameClass(d, 1, 'Bird')).toThrow(/already/);
    d = applyChange(d, renameClass(d, 1, 'puppy')!, 'forward');
    expect(d.classes[1].name).toBe('puppy');
    const merged = applyChange(d, mergeClasses(d, 0, 1), 'forward');
    expect(merged.classes.map((c) => c.name)).toEqual(['puppy', 'bird']);
    expect(merged.images[0].annotations[0].classId).toBe(1);
    const deleted = applyChange(d, deleteClass(d, 0), 'forward');
    expect(deleted.images[0].annotations).toEqual([]);
    expect(applyChange(deleted, deleteClass(d, 0), 'back')).toEqual(d);
  });

  it('sets image labels, splits, adds and deletes images', () => {
    let d: Dataset = { ...base(), task: 'classification' };
    expect(labelStatus(d.task, d.images[1])).toBe('unlabelled');
    d = applyChange(d, setImageClass(d, 'b', 1)!, 'forward');
    expect(labelStatus(d.task, d.images[1])).toBe('labelled');
    d = applyChange(d, setSplit(d, ['a', 'b'], 'eval')!, 'forward');
    expect(d.images.map((i) => i.split)).toEqual(['eval', 'eval']);
    expect(setSplit(d, ['a'], 'eval')).toBeNull();
    const added = applyChange(d, addImages([{ id: 'c', fileName: 'c.png', width: 1, height: 1, split: 'train', annotations: [] }]), 'forward');
    expect(added.images.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    const removed = applyChange(added, deleteImages(added, ['b']), 'forward');
    expect(removed.images.map((i) => i.id)).toEqual(['a', 'c']);
    expect(applyChange(removed, deleteImages(added, ['b']), 'back').images.map((i) => i.id)).toEqual(['a', 'c', 'b']);
    expect(classCounts(d).get(1)).toEqual({ boxes: 0, images: 1, train: 0 });
  });
});

describe('history', () => {
  it('undo then redo of any edit sequence returns to each state (property)', () => {
    const edits = fc.array(fc.record({ kind: fc.constantFrom('add', 'move', 'delete', 'class', 'split'), x: fc.integer({ min: 0, max: 90 }), y: fc.integer({ min: 0, max: 40 }), w: fc.integer({ min: 3, max: 60 }), img: fc.constantFrom('a', 'b') }), { maxLength: 25 });
    fc.assert(
      fc.property(edits, (list) => {
        let d = base();
        let h = EMPTY_HISTORY;
        const states = [d];
        let n = 0;
        for (const e of list) {
          const im = d.images.find((i) => i.id === e.img)!;
          const first = im.annotations[0]?.id;
          const c =
            e.kind === 'add' ? addAnnotation(d, e.img, { id: `n${++n}`, classId: e.x % 2, box: [e.x, e.y, e.x + e.w, e.y + e.w] })
            : e.kind === 'move' && first ? updateAnnotation(d, e.img, first, { box: [e.y, e.x % 40, e.y + e.w, e.x % 40 + 5] })
            : e.kind === 'delete' && first ? deleteAnnotations(d, e.img, [first])
            : e.kind === 'class' ? renameClass(d, 0, `c${e.x}`)
            : e.kind === 'split' ? setSplit(d, [e.img], e.x % 2 ? 'eval' : 'train')
            : null;
          if (!c) continue;
          d = applyChange(d, c, 'forward');
          h = recordChange(h, c);
          states.push(d);
        }
        for (let i = states.length - 1; i > 0; i--) {
          const u = undo(h)!;
          d = applyChange(d, u.change, 'back');
          h = u.history;
          expect(d).toEqual(states[i - 1]);
        }
        expect(undo(h)).toBeNull();
        for (let i = 1; i < states.length; i++) {
          const r = redo(h)!;
          d = applyChange(d, r.change, 'forward');
          h = r.history;
          expect(d).toEqual(states[i]);
        }
        expect(applyChange(applyChange(d, invertChange(h.past.at(-1) ?? { label: '', images: [] }), 'forward'), h.past.at(-1) ?? { label: '', images: [] }, 'forward')).toEqual(d);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('a new edit clears the redo stack', () => {
    const d = base();
    const c = setSplit(d, ['a'], 'eval')!;
    const h = undo(recordChange(EMPTY_HISTORY, c))!.history;
    expect(h.future).toHaveLength(1);
    expect(recordChange(h, c).future).toEqual([]);
  });
});
