/**
 * Whole-dataset exports and imports as files: the annotation files of each format plus the images, zipped
 * (fflate: a small, well-kept, dependency-free zip library that runs in Node and browsers), and the reverse —
 * recognising which format an upload is (a zip, a folder or loose files) and parsing it.
 */
import { unzipSync, zipSync } from 'fflate';
import type { Dataset } from '../core/dataset/types';
import { parseCoco, serializeCoco } from './coco';
import { serializeCsv } from './csv';
import { InputError } from './jsonlError';
import { serializeVisualRft, serializeVlmR1 } from './visualRft';
import { parseVoc, serializeVoc } from './voc';
import { type TextFile, parseYolo, serializeYolo, yoloSplitDir } from './yolo';

export type ExportFormat = 'coco' | 'yolo' | 'voc' | 'csv' | 'visual-rft' | 'vlm-r1';

export const EXPORT_FORMATS: { id: ExportFormat; label: string; detail: string }[] = [
  { id: 'coco', label: 'COCO JSON (zip)', detail: 'annotations.json and images/' },
  { id: 'yolo', label: 'YOLO (zip)', detail: 'classes.txt, labels/*.txt and images/' },
  { id: 'voc', label: 'Pascal VOC (zip)', detail: 'Annotations/*.xml and JPEGImages/' },
  { id: 'csv', label: 'CSV', detail: 'one row per box' },
  { id: 'visual-rft', label: 'Visual-RFT training JSON (zip)', detail: 'train.json, eval.json and images/' },
  { id: 'vlm-r1', label: 'VLM-R1 JSONL (zip)', detail: 'train.jsonl, eval.jsonl and images/' },
];

export interface FileBytes {
  /** Path inside the upload or the archive, with '/' separators. */
  path: string;
  bytes: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const safeName = (s: string) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';

/**
 * The export of a dataset: one file (CSV) or a zip. `images` maps each image's fileName to its bytes (the upright,
 * canonical pixels); a missing image is an error, so an export is never silently incomplete.
 */
export function exportDataset(d: Dataset, format: ExportFormat, images: Map<string, Uint8Array>): { fileName: string; bytes: Uint8Array; mime: string } {
  const base = safeName(d.name);
  if (format === 'csv') return { fileName: `${base}.csv`, bytes: utf8(serializeCsv(d)), mime: 'text/csv' };
  const files: Record<string, Uint8Array> = {};
  const imageDir = (im: Dataset['images'][number]) => (format === 'voc' ? 'JPEGImages' : format === 'yolo' ? `images/${yoloSplitDir(im.split)}` : 'images');
  const texts: TextFile[] =
    format === 'coco' ? [{ name: 'annotations.json', text: serializeCoco(d) }]
    : format === 'yolo' ? serializeYolo(d)
    : format === 'voc' ? serializeVoc(d)
    : format === 'visual-rft' ? [{ name: 'train.json', text: serializeVisualRft(d, 'train') }, { name: 'eval.json', text: serializeVisualRft(d, 'eval') }]
    : [{ name: 'train.jsonl', text: serializeVlmR1(d, 'train') }, { name: 'eval.jsonl', text: serializeVlmR1(d, 'eval') }];
  for (const t of texts) files[t.name] = utf8(t.text);
  for (const im of d.images) {
    const bytes = images.get(im.fileName);
    if (!bytes) throw new Error(`export: the pixels of ${im.fileName} are missing`);
    // Images are already compressed: store them (level 0) instead of spending time deflating them again.
    files[`${imageDir(im)}/${im.fileName}`] = bytes;
  }
  const zipped = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { level: /\.(json|jsonl|txt|xml|csv)$/.test(k) ? 6 : 0 }]])));
  return { fileName: `${base}-${format}.zip`, bytes: zipped, mime: 'application/zip' };
}

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp|avif)$/i;
export const isImagePath = (p: string) => IMAGE_EXT.test(p);
export const baseName = (p: string) => p.replace(/^.*[\\/]/, '');

/** Expand zips (one level deep) into their files; skip directories and macOS metadata. */
export function expandUpload(files: FileBytes[]): FileBytes[] {
  const out: FileBytes[] = [];
  for (const f of files) {
    if (/\.zip$/i.test(f.path)) {
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(f.bytes);
      } catch (e) {
        throw new InputError(baseName(f.path), null, `not a readable zip archive (${(e as Error).message})`);
      }
      for (const [path, bytes] of Object.entries(entries)) if (!path.endsWith('/')) out.push({ path, bytes });
    } else out.push(f);
  }
  return out.filter((f) => !/(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/.test(f.path));
}

export type ImportFormat = 'coco' | 'yolo' | 'voc' | 'images';

export interface ImportPlan {
  format: ImportFormat;
  /** The annotation files of the format (empty for plain images). */
  annotations: FileBytes[];
  images: FileBytes[];
  /** Files that are neither images nor annotations of the format (reported, not imported). */
  ignored: string[];
}

const text = (f: FileBytes, problemFile = baseName(f.path)) => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(f.bytes);
  } catch {
    throw new InputError(problemFile, null, 'is not UTF-8 text');
  }
};

/** Which format an upload is in; several annotation formats at once is ambiguous and refused. */
export function planImport(files: FileBytes[]): ImportPlan {
  const images = files.filter((f) => isImagePath(f.path));
  const rest = files.filter((f) => !isImagePath(f.path));
  const coco = rest.filter((f) => /\.json$/i.test(f.path) && /"annotations"\s*:/.test(new TextDecoder().decode(f.bytes.subarray(0, 1 << 20))));
  const voc = rest.filter((f) => /\.xml$/i.test(f.path));
  const vocSets = rest.filter((f) => /(^|\/)ImageSets\/Main\/[^/]+\.txt$/i.test(f.path));
  const yoloNames = rest.filter((f) => /(^|\/)(classes\.txt|data\.ya?ml)$/i.test(f.path));
  const found = [coco.length && 'COCO', voc.length && 'Pascal VOC', yoloNames.length && 'YOLO'].filter(Boolean);
  if (found.length > 1) throw new InputError('upload', null, `it holds annotations in several formats (${found.join(', ')}); import one format at a time`);
  if (coco.length > 1) throw new InputError('upload', null, `it holds ${coco.length} COCO files (${coco.map((f) => baseName(f.path)).join(', ')}); import one at a time`);
  const pick = (format: ImportFormat, annotations: FileBytes[]): ImportPlan => {
    const used = new Set(annotations);
    return { format, annotations, images, ignored: rest.filter((f) => !used.has(f)).map((f) => f.path) };
  };
  if (coco.length) return pick('coco', coco);
  if (voc.length) return pick('voc', [...voc, ...vocSets]);
  if (yoloNames.length) return pick('yolo', [...yoloNames, ...rest.filter((f) => /\.txt$/i.test(f.path) && !yoloNames.includes(f))]);
  return pick('images', []);
}

/**
 * Parse the annotations of a plan into a dataset whose fileNames are base names of uploaded images. `sizes`
 * gives each decodable image's upright size by base name (YOLO needs it; for COCO and VOC it is checked).
 * Returns the dataset and warnings; throws an InputError (nothing imported) when the annotations are malformed
 * or name images that are not in the upload.
 */
export function parseImport(plan: ImportPlan, name: string, sizes: Map<string, { width: number; height: number }>): { dataset: Dataset; warnings: string[] } {
  const warnings: string[] = [];
  let d: Dataset;
  if (plan.format === 'coco') d = parseCoco(baseName(plan.annotations[0].path), text(plan.annotations[0]), name);
  else if (plan.format === 'voc') {
    const isSet = (f: FileBytes) => /(^|\/)ImageSets\/Main\/[^/]+\.txt$/i.test(f.path);
    d = parseVoc(name, plan.annotations.filter((f) => !isSet(f)).map((f) => ({ name: f.path, text: text(f) })));
    // ImageSets/Main/val.txt (or test.txt) lists the evaluation images by stem.
    const evalStems = new Set(plan.annotations.filter((f) => isSet(f) && /\/(val|test)\.txt$/i.test(f.path)).flatMap((f) => text(f).split(/\s+/).filter(Boolean)));
    for (const im of d.images) if (evalStems.has(baseName(im.fileName).replace(/\.[^.]+$/, ''))) im.split = 'eval';
  } else if (plan.format === 'yolo') {
    const isNames = (f: FileBytes) => /(^|\/)(classes\.txt|data\.ya?ml)$/i.test(f.path);
    const names = plan.annotations.find((f) => /(^|\/)classes\.txt$/i.test(f.path)) ?? plan.annotations.find(isNames)!;
    const labels = plan.annotations.filter((f) => !isNames(f)).map((f) => ({ name: f.path, text: text(f) }));
    const imgs = plan.images.map((f) => baseName(f.path)).filter((n) => sizes.has(n)).map((fileName) => ({ fileName, ...sizes.get(fileName)! }));
    d = parseYolo(name, { name: names.path, text: text(names) }, labels, imgs);
    // Ultralytics layout: images/val/… (or valid, test) is the evaluation split.
    const evalNames = new Set(plan.images.filter((f) => /(^|\/)(val|valid|validation|test)\//i.test(f.path)).map((f) => baseName(f.path)));
    for (const im of d.images) if (evalNames.has(im.fileName)) im.split = 'eval';
  } else {
    const imgs = plan.images.map((f) => baseName(f.path)).filter((n) => sizes.has(n));
    return { dataset: { name, task: 'detection', classes: [], images: imgs.map((fileName, i) => ({ id: String(i + 1), fileName, ...sizes.get(fileName)!, split: 'train', annotations: [] })) }, warnings };
  }
  for (const im of d.images) im.fileName = baseName(im.fileName);
  const uploaded = new Set(plan.images.map((f) => baseName(f.path)));
  const missing = d.images.filter((im) => !uploaded.has(im.fileName)).map((im) => im.fileName);
  if (missing.length) throw new InputError(plan.annotations.length === 1 ? baseName(plan.annotations[0].path) : 'annotations', null, `${missing.length} image${missing.length === 1 ? ' is' : 's are'} not in the upload: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}. Add the images (or a zip holding them) to the same upload.`);
  const kept = d.images.filter((im) => {
    const real = sizes.get(im.fileName);
    if (!real) {
      warnings.push(`${im.fileName}: the image could not be decoded; it and its ${im.annotations.length} box(es) were not imported`);
      return false;
    }
    if (real.width !== im.width || real.height !== im.height) {
      warnings.push(`${im.fileName}: the annotations say ${im.width}×${im.height} but the image is ${real.width}×${real.height}; boxes were scaled to the image`);
      const sx = real.width / im.width;
      const sy = real.height / im.height;
      im.annotations = im.annotations.map((a) => ({ ...a, box: [a.box[0] * sx, a.box[1] * sy, a.box[2] * sx, a.box[3] * sy] }));
      im.width = real.width;
      im.height = real.height;
    }
    return true;
  });
  const unlabelled = plan.images.filter((f) => !d.images.some((im) => im.fileName === baseName(f.path))).length;
  if (unlabelled && plan.format !== 'yolo') warnings.push(`${unlabelled} uploaded image(s) are not in the annotations; they were imported without labels`);
  if (plan.format !== 'yolo') {
    const named = new Set(d.images.map((im) => im.fileName));
    for (const f of plan.images) {
      const n = baseName(f.path);
      if (!named.has(n) && sizes.has(n)) {
        kept.push({ id: `extra-${kept.length + 1}`, fileName: n, ...sizes.get(n)!, split: 'train', annotations: [] });
        named.add(n);
      }
    }
  }
  return { dataset: { ...d, images: kept }, warnings };
}
