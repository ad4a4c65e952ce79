/**
 * YOLO labels (`cls cx cy w h` per line, normalised, 6 decimals, clamped to [0, 1]) with `classes.txt` or a
 * `data.yaml` naming the classes. Image sizes come from the images themselves (labels are normalised).
 */
import { clampBox, fromYolo, toYolo } from '../core/dataset/boxes';
import type { Dataset, DatasetImage } from '../core/dataset/types';
import { InputError } from './jsonlError';
import { classColor } from './palette';

export interface TextFile {
  name: string;
  text: string;
}

/** Class names from classes.txt (one per line) or data.yaml (`names: [a, b]`, a `- a` list, or `0: a` map). */
/** Items of a YAML flow sequence body: quoted ('it''s', "a, b") or plain scalars, separated by commas. */
function flowItems(body: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    while (body[i] === ' ' || body[i] === ',') i++;
    if (i >= body.length) break;
    const q = body[i];
    if (q === "'" || q === '"') {
      let v = '';
      for (i++; i < body.length; i++) {
        if (body[i] === q && q === "'" && body[i + 1] === "'") {
          v += "'";
          i++;
        }
        else if (body[i] === '\\' && q === '"') v += body[++i];
        else if (body[i] === q) break;
        else v += body[i];
      }
      i++;
      out.push(v);
    } else {
      const end = body.indexOf(',', i);
      out.push(body.slice(i, end < 0 ? undefined : end).trim());
      i = end < 0 ? body.length : end;
    }
  }
  return out.filter(Boolean);
}

export function parseClassNames(file: TextFile): string[] {
  if (!/\.ya?ml$/i.test(file.name)) return file.text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const lines = file.text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^names\s*:/.test(l));
  if (at < 0) throw new InputError(file.name, null, 'no "names:" entry');
  const inline = lines[at].replace(/^names\s*:\s*/, '').trim();
  const unquote = (s: string) => s.trim().replace(/^['"]|['"]$/g, '');
  if (inline.startsWith('[')) return flowItems(inline.replace(/^\[|\]\s*$/g, ''));
  const names: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const item = /^\s+-\s*(.+)$/.exec(l) ?? /^\s+(\d+)\s*:\s*(.+)$/.exec(l);
    if (!item) break;
    names.push(unquote(item[item.length - 1]));
  }
  return names;
}

export function parseYolo(name: string, classesFile: TextFile, labels: TextFile[], images: { fileName: string; width: number; height: number }[]): Dataset {
  const names = parseClassNames(classesFile);
  if (!names.length) throw new InputError(classesFile.name, null, 'names no classes');
  const stem = (f: string) => f.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const byStem = new Map(labels.map((l) => [stem(l.name), l]));
  const out: DatasetImage[] = images.map((im, i) => {
    const image: DatasetImage = { id: String(i + 1), fileName: im.fileName, width: im.width, height: im.height, split: 'train', annotations: [] };
    const label = byStem.get(stem(im.fileName));
    label?.text.split(/\r?\n/).forEach((line, li) => {
      if (!line.trim()) return;
      const parts = line.trim().split(/\s+/).map(Number);
      if (parts.length !== 5 || !parts.every(Number.isFinite)) throw new InputError(label.name, li + 1, 'expected "class cx cy w h" (5 numbers)');
      const [cls, ...box] = parts;
      if (!Number.isInteger(cls) || cls < 0 || cls >= names.length) throw new InputError(label.name, li + 1, `class ${cls} is not among the ${names.length} names`);
      image.annotations.push({ id: `${i + 1}-${li + 1}`, classId: cls, box: clampBox(fromYolo(box, im.width, im.height), im.width, im.height) });
    });
    return image;
  });
  return { name, task: 'detection', classes: names.map((n, id) => ({ id, name: n, color: classColor(id) })), images: out };
}

/** The split folder YOLO tools use: `train` and `val`. */
export const yoloSplitDir = (split: DatasetImage['split']) => (split === 'eval' ? 'val' : 'train');

/**
 * classes.txt, a data.yaml naming the classes and the split folders (as Ultralytics reads it), and one label file
 * per image (same stem as the image) under labels/train or labels/val; images go under images/train or images/val.
 */
export function serializeYolo(d: Dataset): TextFile[] {
  const quote = (n: string) => `'${n.replace(/'/g, "''")}'`;
  const files: TextFile[] = [
    { name: 'classes.txt', text: `${d.classes.map((c) => c.name).join('\n')}\n` },
    { name: 'data.yaml', text: `path: .\ntrain: images/train\nval: images/val\nnames: [${d.classes.map((c) => quote(c.name)).join(', ')}]\n` },
  ];
  // YOLO class numbers are line numbers of classes.txt; class ids may have gaps after deletions.
  const index = new Map(d.classes.map((c, i) => [c.id, i]));
  for (const im of d.images) {
    const lines = im.annotations.map((a) => `${index.get(a.classId)} ${toYolo(a.box, im.width, im.height).map((v) => v.toFixed(6)).join(' ')}`);
    files.push({ name: `labels/${yoloSplitDir(im.split)}/${im.fileName.replace(/\.[^.]+$/, '')}.txt`, text: lines.length ? `${lines.join('\n')}\n` : '' });
  }
  return files;
}
