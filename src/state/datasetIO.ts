/**
 * Getting images and annotations into and out of datasets: uploads (files, folders, paste), imports of COCO,
 * YOLO and VOC (zips or loose files), world generation, and exports. Images that cannot be decoded are reported
 * and skipped while the rest of a batch goes in; malformed annotation files abort the import before anything is
 * written; each batch is saved in one transaction.
 */
import { addImages } from '../core/dataset/editing';
import { EMPTY_HISTORY } from '../core/dataset/history';
import type { Dataset, DatasetClass, DatasetImage } from '../core/dataset/types';
import type { Task } from '../core/rewards/types';
import { type ExportFormat, type FileBytes, baseName, expandUpload, exportDataset, isImagePath, parseImport, planImport } from '../formats/archive';
import { type BlobRecord, DATASET_SCHEMA, type DatasetRecord, type ImageRecord, getBlobs, saveNewImages } from '../persist/datasets';
import { commit, createDataset, message, newId, notify, openDataset, refreshDatasets, refreshStorage, reserveSeq, useDatasetsStore, whenSaved } from './datasetStore';
import { ImageRejected, type IngestedImage, ingestImage, uniqueFileName } from './imageIngest';
import { type WorldDatasetSpec, generateWorldDataset } from './worldDataset';

export type { ExportFormat };
export { EXPORT_FORMATS } from '../formats/archive';
export { worldCategories, type WorldCategoryInfo, type WorldDatasetSpec } from './worldDataset';

const set = useDatasetsStore.setState;
const get = useDatasetsStore.getState;

function progress(label: string, done: number, total: number): void {
  set({ job: { label, done, total } });
}

/** An uploaded file with the path it had in a folder upload, when there was one. */
export interface UploadFile {
  file: File;
  path?: string;
}

const pathOf = (u: UploadFile) => u.path || (u.file as File & { webkitRelativePath?: string }).webkitRelativePath || u.file.name;

/** Decode images one by one; rejected files become messages, the rest go on. */
async function ingestAll(files: { blob: Blob; name: string }[], label: string): Promise<{ ok: (IngestedImage & { source: string })[]; rejected: string[] }> {
  const ok: (IngestedImage & { source: string })[] = [];
  const rejected: string[] = [];
  for (let i = 0; i < files.length; i++) {
    progress(label, i, files.length);
    try {
      ok.push({ ...(await ingestImage(files[i].blob, files[i].name)), source: files[i].name });
    } catch (e) {
      rejected.push(e instanceof ImageRejected ? e.message : `${files[i].name}: ${message(e)}`);
    }
  }
  return { ok, rejected };
}

/** Save new images of the open dataset with their pixels, as one transaction and one undoable change. */
async function saveImages(images: DatasetImage[], blobs: BlobRecord[], classes?: DatasetClass[]): Promise<void> {
  const open = get().open;
  if (!open) throw new Error('no dataset is open');
  await whenSaved();
  const seqs = reserveSeq(images.map((im) => im.id));
  const records: ImageRecord[] = images.map((im, i) => ({ ...im, schema: DATASET_SCHEMA, datasetId: open.id, seq: seqs[i] }));
  const record: DatasetRecord = { ...open.record, classes: classes ?? open.dataset.classes, updatedAt: new Date().toISOString() };
  await saveNewImages(record, records, blobs);
  // Already saved: apply without a second write, but keep it undoable.
  const change = addImages(images);
  if (classes) change.classes = { before: open.dataset.classes, after: classes };
  commit(change, { alreadySaved: true });
}

function report(rejected: string[], warnings: string[] = []): void {
  if (rejected.length) notify('error', `${rejected.length} file${rejected.length === 1 ? ' was' : 's were'} not added:\n${rejected.slice(0, 10).join('\n')}${rejected.length > 10 ? `\n… and ${rejected.length - 10} more` : ''}`);
  for (const w of warnings.slice(0, 10)) notify('warning', w);
}

/** Add image files (picker, drop, folder or paste) to the open dataset. Non-images are listed and skipped. */
export async function addFiles(uploads: UploadFile[]): Promise<number> {
  const open = get().open;
  if (!open || get().job) return 0;
  const images = uploads.filter((u) => isImagePath(pathOf(u)) || u.file.type.startsWith('image/'));
  const skipped = uploads.filter((u) => !images.includes(u)).map((u) => `${pathOf(u)}: not an image file`);
  try {
    const { ok, rejected } = await ingestAll(images.map((u) => ({ blob: u.file, name: baseName(pathOf(u)) || 'pasted.png' })), 'Adding images');
    const taken = new Set(open.dataset.images.map((im) => im.fileName));
    const records: DatasetImage[] = [];
    const blobs: BlobRecord[] = [];
    for (const im of ok) {
      const id = newId();
      const fileName = uniqueFileName(im.fileName, taken);
      taken.add(fileName);
      records.push({ id, fileName, width: im.width, height: im.height, split: 'train', annotations: [] });
      blobs.push({ imageId: id, original: im.original, display: im.display, thumb: im.thumb });
    }
    if (records.length) await saveImages(records, blobs);
    report([...skipped, ...rejected], ok.filter((im) => im.rotatedFrom).map((im) => `${im.fileName}: rotated upright from its EXIF orientation ${im.rotatedFrom}`));
    return records.length;
  } catch (e) {
    notify('error', `Nothing was added: ${message(e)}`);
    return 0;
  } finally {
    set({ job: null });
    void refreshStorage();
  }
}

async function readUpload(uploads: UploadFile[]): Promise<FileBytes[]> {
  return Promise.all(uploads.map(async (u) => ({ path: pathOf(u), bytes: new Uint8Array(await u.file.arrayBuffer()) })));
}

const mimeOf = (name: string) => (/\.png$/i.test(name) ? 'image/png' : /\.gif$/i.test(name) ? 'image/gif' : /\.webp$/i.test(name) ? 'image/webp' : /\.bmp$/i.test(name) ? 'image/bmp' : /\.avif$/i.test(name) ? 'image/avif' : 'image/jpeg');

/**
 * Import COCO, YOLO or VOC annotations with their images (a zip, a folder, or loose files) as a new dataset.
 * A malformed annotation file or missing images abort before anything is saved.
 */
export async function importDataset(uploads: UploadFile[], name?: string): Promise<string | null> {
  if (get().job) return null;
  try {
    progress('Reading files', 0, 1);
    const files = expandUpload(await readUpload(uploads));
    const plan = planImport(files);
    if (plan.format === 'images' && !plan.images.length) throw new Error('the upload holds no images and no annotations');
    const seen = new Set<string>();
    const dupes = plan.images.map((f) => baseName(f.path)).filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
    if (dupes.length && plan.format !== 'images') throw new Error(`several images share a file name (${[...new Set(dupes)].slice(0, 3).join(', ')}); annotations could not tell them apart`);
    const { ok, rejected } = await ingestAll(plan.images.map((f) => ({ blob: new Blob([f.bytes as BlobPart], { type: mimeOf(f.path) }), name: baseName(f.path) })), 'Decoding images');
    const sizes = new Map(ok.map((im) => [im.fileName, { width: im.width, height: im.height }]));
    const datasetName = name || (uploads.length === 1 ? uploads[0].file.name.replace(/\.[^.]+$/, '') : `Imported ${plan.format.toUpperCase()}`);
    const { dataset, warnings } = parseImport(plan, datasetName, sizes);
    const byName = new Map(ok.map((im) => [im.fileName, im]));
    const taken = new Set<string>();
    const images: DatasetImage[] = [];
    const blobs: BlobRecord[] = [];
    for (const im of dataset.images) {
      const pixels = byName.get(im.fileName);
      if (!pixels) continue;
      const id = newId();
      const fileName = uniqueFileName(im.fileName, taken);
      taken.add(fileName);
      images.push({ ...im, id, fileName, annotations: im.annotations.map((a) => ({ ...a, id: newId().slice(0, 8) })) });
      blobs.push({ imageId: id, original: pixels.original, display: pixels.display, thumb: pixels.thumb });
    }
    const id = await createDataset(dataset.name, dataset.task, dataset.classes);
    await openDataset(id);
    if (images.length) await saveImages(images, blobs);
    useDatasetsStore.setState({ history: EMPTY_HISTORY });
    report(rejected, [...plan.ignored.slice(0, 3).map((p) => `${p}: not part of the ${plan.format.toUpperCase()} import; ignored`), ...warnings]);
    notify('info', `Imported ${images.length} image${images.length === 1 ? '' : 's'} with ${images.reduce((n, im) => n + im.annotations.length, 0)} boxes from ${plan.format.toUpperCase()}.`);
    return id;
  } catch (e) {
    notify('error', `Import failed, nothing was imported: ${message(e)}`, 'import');
    return null;
  } finally {
    set({ job: null });
    await refreshDatasets();
  }
}

/** A new dataset generated from the synthetic world. */
export async function generateDataset(name: string, spec: WorldDatasetSpec): Promise<string | null> {
  if (get().job) return null;
  try {
    progress('Generating', 0, 1);
    const { classes, images } = await generateWorldDataset(spec, (done, total) => progress('Generating', done, total));
    const id = await createDataset(name, spec.task, classes);
    await openDataset(id);
    const records: DatasetImage[] = [];
    const blobs: BlobRecord[] = [];
    for (const g of images) {
      const imageId = newId();
      records.push({ ...g.image, id: imageId });
      const thumb = g.png;
      blobs.push({ imageId, original: g.png, display: null, thumb });
    }
    await saveImages(records, blobs);
    useDatasetsStore.setState({ history: EMPTY_HISTORY });
    return id;
  } catch (e) {
    notify('error', `Generation failed: ${message(e)}`, 'generate');
    return null;
  } finally {
    set({ job: null });
    await refreshDatasets();
  }
}

/** Build an export of the open dataset; the UI offers the returned file for download. */
export async function exportOpenDataset(format: ExportFormat): Promise<{ fileName: string; blob: Blob } | null> {
  const open = get().open;
  if (!open || get().job) return null;
  try {
    const pixels = new Map<string, Uint8Array>();
    const d: Dataset = open.dataset;
    if (format !== 'csv') {
      for (let i = 0; i < d.images.length; i++) {
        progress('Exporting', i, d.images.length);
        const b = await getBlobs(d.images[i].id);
        if (!b) throw new Error(`the pixels of ${d.images[i].fileName} are missing from browser storage`);
        pixels.set(d.images[i].fileName, new Uint8Array(await b.original.arrayBuffer()));
      }
    }
    const out = exportDataset(d, format, pixels);
    return { fileName: out.fileName, blob: new Blob([out.bytes as BlobPart], { type: out.mime }) };
  } catch (e) {
    notify('error', `Export failed: ${message(e)}`);
    return null;
  } finally {
    set({ job: null });
  }
}

export type { Task };
export const TASKS: Task[] = ['detection', 'classification', 'grounding'];
