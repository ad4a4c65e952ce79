/**
 * Every edit of a dataset as a pure function returning a `Change`: the before and after of each image record it
 * touches (and of the class list). Undo applies the befores, redo the afters, and persistence writes exactly the
 * records of a change — one representation serves the canvas, the history and the autosave.
 */
import { clampBox } from './boxes';
import type { Annotation, Corners, Dataset, DatasetClass, DatasetImage } from './types';

export interface ImageChange {
  before: DatasetImage | null;
  after: DatasetImage | null;
}

export interface Change {
  /** What the edit did, for the undo/redo buttons ("Add box", "Rename class"). */
  label: string;
  images: ImageChange[];
  classes?: { before: DatasetClass[]; after: DatasetClass[] };
}

/** Apply a change forward (do/redo) or back (undo). Image order is kept; new images are appended. */
export function applyChange(d: Dataset, c: Change, direction: 'forward' | 'back'): Dataset {
  const pick = (x: ImageChange) => (direction === 'forward' ? x.after : x.before);
  const updates = new Map<string, DatasetImage | null>();
  for (const x of c.images) updates.set((x.after ?? x.before)!.id, pick(x));
  const images: DatasetImage[] = [];
  for (const im of d.images) {
    if (!updates.has(im.id)) images.push(im);
    else {
      const next = updates.get(im.id);
      if (next) images.push(next);
      updates.delete(im.id);
    }
  }
  updates.forEach((im) => im && images.push(im));
  const classes = c.classes ? (direction === 'forward' ? c.classes.after : c.classes.before) : d.classes;
  return { ...d, classes, images };
}

/** Invert a change (undo as a change of its own). */
export function invertChange(c: Change): Change {
  return { label: c.label, images: c.images.map((x) => ({ before: x.after, after: x.before })), classes: c.classes && { before: c.classes.after, after: c.classes.before } };
}

const findImage = (d: Dataset, id: string): DatasetImage => {
  const im = d.images.find((x) => x.id === id);
  if (!im) throw new Error(`no image ${id}`);
  return im;
};

function imageEdit(d: Dataset, id: string, label: string, edit: (im: DatasetImage) => DatasetImage): Change | null {
  const before = findImage(d, id);
  const after = edit(before);
  return after === before ? null : { label, images: [{ before, after }] };
}

/** A box as drawn: clamped to the image, corners ordered; null when it is too small to be meant (a click). */
export function normaliseBox(box: Corners, im: Pick<DatasetImage, 'width' | 'height'>, minSide = 2): Corners | null {
  const b = clampBox(box, im.width, im.height);
  return b[2] - b[0] < minSide || b[3] - b[1] < minSide ? null : b;
}

export function addAnnotation(d: Dataset, imageId: string, ann: Annotation): Change | null {
  return imageEdit(d, imageId, 'Add box', (im) => {
    const box = normaliseBox(ann.box, im);
    return box ? { ...im, annotations: [...im.annotations, { ...ann, box }] } : im;
  });
}

export function updateAnnotation(d: Dataset, imageId: string, annId: string, patch: Partial<Omit<Annotation, 'id'>>): Change | null {
  const label = patch.box ? 'Move box' : patch.classId !== undefined ? 'Change class' : 'Edit expression';
  return imageEdit(d, imageId, label, (im) => {
    let changed = false;
    const annotations = im.annotations.map((a) => {
      if (a.id !== annId) return a;
      const box = patch.box ? normaliseBox(patch.box, im, 1) : a.box;
      const next = { ...a, ...patch, box: box ?? a.box };
      if (next.expression === '') delete next.expression;
      changed = JSON.stringify(next) !== JSON.stringify(a);
      return next;
    });
    return changed ? { ...im, annotations } : im;
  });
}

export function deleteAnnotations(d: Dataset, imageId: string, annIds: string[]): Change | null {
  const drop = new Set(annIds);
  return imageEdit(d, imageId, annIds.length > 1 ? `Delete ${annIds.length} boxes` : 'Delete box', (im) => (im.annotations.some((a) => drop.has(a.id)) ? { ...im, annotations: im.annotations.filter((a) => !drop.has(a.id)) } : im));
}

/**
 * Paste boxes (copied, or repeated from the previous image) with fresh ids. Boxes from an image of another size
 * are scaled to this one, then clamped.
 */
export function pasteAnnotations(d: Dataset, imageId: string, anns: Annotation[], from: Pick<DatasetImage, 'width' | 'height'>, newId: () => string, label = 'Paste boxes'): Change | null {
  return imageEdit(d, imageId, label, (im) => {
    const sx = im.width / from.width;
    const sy = im.height / from.height;
    const added = anns.flatMap((a) => {
      const box = normaliseBox([a.box[0] * sx, a.box[1] * sy, a.box[2] * sx, a.box[3] * sy], im, 1);
      return box ? [{ ...a, id: newId(), box }] : [];
    });
    return added.length ? { ...im, annotations: [...im.annotations, ...added] } : im;
  });
}

export function setImageClass(d: Dataset, imageId: string, classId: number | undefined): Change | null {
  return imageEdit(d, imageId, classId === undefined ? 'Clear label' : 'Set label', (im) => {
    if (im.classId === classId) return im;
    const next = { ...im, classId };
    if (classId === undefined) delete next.classId;
    return next;
  });
}

export function setSplit(d: Dataset, imageIds: string[], split: DatasetImage['split']): Change | null {
  const images = imageIds.map((id) => findImage(d, id)).filter((im) => im.split !== split).map((before) => ({ before, after: { ...before, split } }));
  return images.length ? { label: `Move ${images.length === 1 ? 'image' : `${images.length} images`} to ${split}`, images } : null;
}

/** Why a class name is unusable, or null. Names are compared trimmed and case-insensitively. */
export function classNameProblem(d: Dataset, name: string, exceptId?: number): string | null {
  const n = name.trim();
  if (!n) return 'a class needs a name';
  if (n.length > 80) return 'class names are at most 80 characters';
  if (/[\n\r\t]/.test(n)) return 'class names are one line';
  const clash = d.classes.find((c) => c.id !== exceptId && c.name.trim().toLowerCase() === n.toLowerCase());
  return clash ? `there is already a class "${clash.name}"` : null;
}

export function addClass(d: Dataset, name: string, color: string): Change {
  const problem = classNameProblem(d, name);
  if (problem) throw new Error(problem);
  const id = d.classes.reduce((m, c) => Math.max(m, c.id + 1), 0);
  return { label: 'Add class', images: [], classes: { before: d.classes, after: [...d.classes, { id, name: name.trim(), color }] } };
}

export function renameClass(d: Dataset, id: number, name: string): Change | null {
  const problem = classNameProblem(d, name, id);
  if (problem) throw new Error(problem);
  const after = d.classes.map((c) => (c.id === id ? { ...c, name: name.trim() } : c));
  return JSON.stringify(after) === JSON.stringify(d.classes) ? null : { label: 'Rename class', images: [], classes: { before: d.classes, after } };
}

export function recolorClass(d: Dataset, id: number, color: string): Change | null {
  const after = d.classes.map((c) => (c.id === id ? { ...c, color } : c));
  return JSON.stringify(after) === JSON.stringify(d.classes) ? null : { label: 'Recolour class', images: [], classes: { before: d.classes, after } };
}

/** Every box and image label of class `from` becomes `into`; `from` disappears. */
export function mergeClasses(d: Dataset, from: number, into: number): Change {
  if (from === into) throw new Error('cannot merge a class into itself');
  if (!d.classes.some((c) => c.id === from) || !d.classes.some((c) => c.id === into)) throw new Error('unknown class');
  const images = d.images
    .filter((im) => im.classId === from || im.annotations.some((a) => a.classId === from))
    .map((before) => ({ before, after: { ...before, classId: before.classId === from ? into : before.classId, annotations: before.annotations.map((a) => (a.classId === from ? { ...a, classId: into } : a)) } }));
  for (const x of images) if (x.after.classId === undefined) delete x.after.classId;
  return { label: 'Merge classes', images, classes: { before: d.classes, after: d.classes.filter((c) => c.id !== from) } };
}

/** Removes the class with its boxes and image labels (undoable like every edit). */
export function deleteClass(d: Dataset, id: number): Change {
  const images = d.images
    .filter((im) => im.classId === id || im.annotations.some((a) => a.classId === id))
    .map((before) => {
      const after: DatasetImage = { ...before, annotations: before.annotations.filter((a) => a.classId !== id) };
      if (after.classId === id) delete after.classId;
      return { before, after };
    });
  return { label: 'Delete class', images, classes: { before: d.classes, after: d.classes.filter((c) => c.id !== id) } };
}

/** Add images (an upload or an import) as one change. */
export function addImages(images: DatasetImage[], label = `Add ${images.length} image${images.length === 1 ? '' : 's'}`): Change {
  return { label, images: images.map((after) => ({ before: null, after })) };
}

export function deleteImages(d: Dataset, ids: string[]): Change {
  const drop = new Set(ids);
  return { label: ids.length === 1 ? 'Delete image' : `Delete ${ids.length} images`, images: d.images.filter((im) => drop.has(im.id)).map((before) => ({ before, after: null })) };
}
