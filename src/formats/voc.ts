/**
 * Pascal VOC XML, one file per image (`filename`, `size/width|height`, `object/name`, `object/bndbox/xmin…ymax`).
 * A small reader for VOC's subset of XML (elements, text, entities, comments), since these parsers run without
 * a DOM; label text is unescaped on read and escaped on write.
 */
import { clampBox } from '../core/dataset/boxes';
import type { Dataset, DatasetClass, DatasetImage } from '../core/dataset/types';
import { InputError } from './jsonlError';
import { classColor } from './palette';
import type { TextFile } from './yolo';

interface XmlNode {
  tag: string;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (ENTITIES[e] ?? m)));
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function parseXml(file: string, text: string): XmlNode {
  const root: XmlNode = { tag: '#root', children: [], text: '' };
  const stack = [root];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([\w:.-]+)[^>]*?(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[3]) {
      if (m[2]) {
        if (top.tag !== m[3]) throw new InputError(file, null, `XML: </${m[3]}> closes <${top.tag}>`);
        stack.pop();
      } else {
        const node: XmlNode = { tag: m[3], children: [], text: '' };
        top.children.push(node);
        if (!m[4]) stack.push(node);
      }
    } else if (m[5]) top.text += unescapeXml(m[5]);
  }
  if (stack.length !== 1) throw new InputError(file, null, `XML: <${stack[stack.length - 1].tag}> is never closed`);
  return root;
}

const child = (n: XmlNode, tag: string) => n.children.find((c) => c.tag === tag);
const textOf = (n: XmlNode | undefined) => (n ? n.text.trim() : undefined);

export function parseVoc(name: string, files: TextFile[]): Dataset {
  const classes: DatasetClass[] = [];
  const classId = (label: string) => {
    let c = classes.find((x) => x.name === label);
    if (!c) {
      c = { id: classes.length, name: label, color: classColor(classes.length) };
      classes.push(c);
    }
    return c.id;
  };
  const images: DatasetImage[] = files.map((f, i) => {
    const ann = child(parseXml(f.name, f.text), 'annotation');
    if (!ann) throw new InputError(f.name, null, 'no <annotation> element');
    const size = child(ann, 'size');
    const width = Number(textOf(child(size ?? ann, 'width')));
    const height = Number(textOf(child(size ?? ann, 'height')));
    if (!(width > 0) || !(height > 0)) throw new InputError(f.name, null, 'size/width and size/height must be positive numbers');
    const fileName = textOf(child(ann, 'filename')) || f.name.replace(/^.*[\\/]/, '').replace(/\.xml$/i, '.jpg');
    const image: DatasetImage = { id: String(i + 1), fileName, width, height, split: 'train', annotations: [] };
    ann.children.filter((c) => c.tag === 'object').forEach((obj, j) => {
      const label = textOf(child(obj, 'name'));
      if (!label) throw new InputError(f.name, null, `object ${j + 1}: missing <name>`);
      const bb = child(obj, 'bndbox');
      const v = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => Number(textOf(bb && child(bb, k))));
      if (!bb || !v.every(Number.isFinite)) throw new InputError(f.name, null, `object ${j + 1} (${label}): bndbox needs numeric xmin, ymin, xmax, ymax`);
      image.annotations.push({ id: `${i + 1}-${j + 1}`, classId: classId(label), box: clampBox([v[0], v[1], v[2], v[3]], width, height) });
    });
    return image;
  });
  return { name, task: 'detection', classes, images };
}

/** One XML file per image under Annotations/, and the split lists ImageSets/Main/train.txt and val.txt. */
export function serializeVoc(d: Dataset): TextFile[] {
  const stem = (f: string) => f.replace(/\.[^.]+$/, '');
  const sets: TextFile[] = (['train', 'eval'] as const).map((split) => {
    const stems = d.images.filter((im) => im.split === split).map((im) => stem(im.fileName));
    return { name: `ImageSets/Main/${split === 'eval' ? 'val' : 'train'}.txt`, text: stems.length ? `${stems.join('\n')}\n` : '' };
  });
  return [...sets, ...d.images.map((im) => {
    const objects = im.annotations
      .map((a) => {
        const label = d.classes.find((c) => c.id === a.classId)?.name ?? String(a.classId);
        const [x1, y1, x2, y2] = a.box;
        return `  <object>\n    <name>${escapeXml(label)}</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n    <difficult>0</difficult>\n    <bndbox>\n      <xmin>${x1}</xmin>\n      <ymin>${y1}</ymin>\n      <xmax>${x2}</xmax>\n      <ymax>${y2}</ymax>\n    </bndbox>\n  </object>\n`;
      })
      .join('');
    const text = `<annotation>\n  <folder>images</folder>\n  <filename>${escapeXml(im.fileName)}</filename>\n  <size>\n    <width>${im.width}</width>\n    <height>${im.height}</height>\n    <depth>3</depth>\n  </size>\n  <segmented>0</segmented>\n${objects}</annotation>\n`;
    return { name: `Annotations/${stem(im.fileName)}.xml`, text };
  })];
}
