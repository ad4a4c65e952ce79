/**
 * The labeling editor's session state: current image, selected boxes, active class, clipboard, grid filter and
 * view toggles — plus the keyboard-level actions (next/previous within the filter, copy, paste, repeat the
 * previous image's boxes) that the shortcuts call.
 */
import { create } from 'zustand';
import { addAnnotation, deleteAnnotations, pasteAnnotations, setImageClass, updateAnnotation } from '../core/dataset/editing';
import { labelStatus } from '../core/dataset/stats';
import type { Annotation, Corners, Dataset, DatasetImage } from '../core/dataset/types';
import { commit, edit, newId, notify, useDatasetsStore } from './datasetStore';
import { prefetch } from './imageCache';

export { classCounts, labelStatus, splitCounts } from '../core/dataset/stats';
export { addClass, classNameProblem, deleteClass, deleteImages, mergeClasses, recolorClass, renameClass, setSplit } from '../core/dataset/editing';

export interface GridFilter {
  status: 'all' | 'unlabelled' | 'labelled';
  /** Only images with this class (a box of it or its label). */
  classId: number | null;
  split: 'all' | 'train' | 'eval';
}

export interface EditorState {
  imageId: string | null;
  selected: string[];
  activeClassId: number | null;
  clipboard: { annotations: Annotation[]; from: { width: number; height: number } } | null;
  filter: GridFilter;
  hideBoxes: boolean;
  /** Bumped by F (fit) so the canvas refits. */
  fitRequest: number;
  showShortcuts: boolean;
}

export const useEditorStore = create<EditorState>(() => ({ imageId: null, selected: [], activeClassId: null, clipboard: null, filter: { status: 'all', classId: null, split: 'all' }, hideBoxes: false, fitRequest: 0, showShortcuts: false }));

const set = useEditorStore.setState;
const get = useEditorStore.getState;
const dataset = (): Dataset | null => useDatasetsStore.getState().open?.dataset ?? null;

export function matchesFilter(d: Dataset, im: DatasetImage, f: GridFilter): boolean {
  if (f.split !== 'all' && im.split !== f.split) return false;
  if (f.status !== 'all' && labelStatus(d.task, im) !== f.status) return false;
  if (f.classId !== null && im.classId !== f.classId && !im.annotations.some((a) => a.classId === f.classId)) return false;
  return true;
}

export function filteredImages(d: Dataset, f: GridFilter): DatasetImage[] {
  return d.images.filter((im) => matchesFilter(d, im, f));
}

export function resetEditor(d: Dataset | null): void {
  set({ imageId: d?.images[0]?.id ?? null, selected: [], activeClassId: d?.classes[0]?.id ?? null, filter: { status: 'all', classId: null, split: 'all' } });
  if (d?.images.length) prefetch(d.images.slice(0, 3).map((im) => im.id));
}

export function selectImage(id: string | null): void {
  if (id === get().imageId) return;
  set({ imageId: id, selected: [] });
  const d = dataset();
  if (!d || !id) return;
  const list = filteredImages(d, get().filter);
  const i = list.findIndex((im) => im.id === id);
  if (i >= 0) prefetch([list[i + 1], list[i - 1], list[i + 2]].filter(Boolean).map((im) => im!.id));
}

/** Next or previous image among those the grid shows. */
export function stepImage(delta: 1 | -1): void {
  const d = dataset();
  if (!d) return;
  const list = filteredImages(d, get().filter);
  if (!list.length) return;
  const i = list.findIndex((im) => im.id === get().imageId);
  const next = i < 0 ? list[0] : list[Math.min(list.length - 1, Math.max(0, i + delta))];
  selectImage(next.id);
}

export function setFilter(f: Partial<GridFilter>): void {
  set({ filter: { ...get().filter, ...f } });
}

export function setActiveClass(id: number | null): void {
  set({ activeClassId: id });
}

/** A class key (1–9): the active class for new boxes, and the class of selected boxes or of the image. */
export function applyClassKey(index: number): void {
  const d = dataset();
  const cls = d?.classes[index];
  const id = get().imageId;
  if (!d || !cls) return;
  set({ activeClassId: cls.id });
  if (!id) return;
  if (d.task === 'classification') edit((x) => setImageClass(x, id, cls.id));
  else for (const annId of get().selected) edit((x) => updateAnnotation(x, id, annId, { classId: cls.id }));
}

export function selectBoxes(ids: string[]): void {
  set({ selected: ids });
}

export function drawBox(box: Corners): string | null {
  const d = dataset();
  const id = get().imageId;
  if (!d || !id) return null;
  const classId = get().activeClassId;
  if (classId === null || !d.classes.some((c) => c.id === classId)) {
    notify('warning', 'Add a class first: boxes need a class.');
    return null;
  }
  const annId = newId().slice(0, 8);
  if (!commit(addAnnotation(d, id, { id: annId, classId, box }))) return null;
  set({ selected: [annId] });
  return annId;
}

export function moveBox(annId: string, box: Corners): void {
  const id = get().imageId;
  if (id) edit((d) => updateAnnotation(d, id, annId, { box }));
}

export function setExpression(annId: string, expression: string): void {
  const id = get().imageId;
  if (id) edit((d) => updateAnnotation(d, id, annId, { expression }));
}

export function setBoxClass(annId: string, classId: number): void {
  const id = get().imageId;
  if (id) edit((d) => updateAnnotation(d, id, annId, { classId }));
}

export function setImageLabel(classId: number | undefined): void {
  const id = get().imageId;
  if (id) edit((d) => setImageClass(d, id, classId));
}

export function deleteSelected(): void {
  const id = get().imageId;
  const sel = get().selected;
  if (!id || !sel.length) return;
  edit((d) => deleteAnnotations(d, id, sel));
  set({ selected: [] });
}

const current = (): DatasetImage | null => dataset()?.images.find((im) => im.id === get().imageId) ?? null;

export function copySelected(): number {
  const im = current();
  if (!im) return 0;
  const sel = get().selected.length ? im.annotations.filter((a) => get().selected.includes(a.id)) : im.annotations;
  if (sel.length) set({ clipboard: { annotations: sel, from: { width: im.width, height: im.height } } });
  return sel.length;
}

export function paste(): void {
  const id = get().imageId;
  const clip = get().clipboard;
  if (!id || !clip) return;
  const ids: string[] = [];
  edit((d) => pasteAnnotations(d, id, clip.annotations, clip.from, () => {
    const n = newId().slice(0, 8);
    ids.push(n);
    return n;
  }));
  set({ selected: ids });
}

/** R: copy the boxes of the previous image (in grid order) onto this one. */
export function repeatPrevious(): void {
  const d = dataset();
  const id = get().imageId;
  if (!d || !id) return;
  const i = d.images.findIndex((im) => im.id === id);
  const prev = i > 0 ? d.images[i - 1] : null;
  if (!prev) return;
  if (d.task === 'classification') {
    if (prev.classId !== undefined) edit((x) => setImageClass(x, id, prev.classId));
    return;
  }
  if (!prev.annotations.length) return notify('info', 'The previous image has no boxes to repeat.');
  edit((x) => pasteAnnotations(x, id, prev.annotations, prev, () => newId().slice(0, 8), 'Repeat previous boxes'));
}

export function toggleHide(): void {
  set({ hideBoxes: !get().hideBoxes });
}

export function requestFit(): void {
  set({ fitRequest: get().fitRequest + 1 });
}

export function setShortcutsOpen(open: boolean): void {
  set({ showShortcuts: open });
}
