import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../core/dataset/types';
import { exportDataset, expandUpload, parseImport, planImport } from './archive';
import { serializeCsv } from './csv';
import { jpegOrientation } from './exif';
import { errorOf } from './inputError.testutil';

const d: Dataset = {
  name: 'my set',
  task: 'grounding',
  classes: [
    { id: 0, name: 'cat', color: '#e6194b' },
    { id: 3, name: 'stop, "sign"', color: '#3cb44b' },
  ],
  images: [
    { id: 'x', fileName: 'a.jpg', width: 64, height: 48, split: 'train', annotations: [{ id: '1', classId: 3, box: [1, 2, 30.5, 40], expression: 'the red sign' }] },
    { id: 'y', fileName: 'b.png', width: 20, height: 10, split: 'eval', annotations: [{ id: '2', classId: 0, box: [0, 0, 20, 10] }] },
  ],
};
const pixels = new Map([
  ['a.jpg', new Uint8Array([0xff, 0xd8, 1, 2, 3])],
  ['b.png', new Uint8Array([0x89, 0x50, 4, 5])],
]);
const sizes = new Map(d.images.map((im) => [im.fileName, { width: im.width, height: im.height }]));
const strip = (x: Dataset) => ({ task: x.task, classes: x.classes.map((c) => c.name), images: x.images.map((im) => ({ f: im.fileName, w: im.width, h: im.height, s: im.split, c: im.classId, a: im.annotations.map((a) => [x.classes.find((c) => c.id === a.classId)?.name, a.box, a.expression]) })) });

describe('export and import archives', () => {
  it('COCO zip round-trips every annotation, split, expression and the image bytes', () => {
    const out = exportDataset(d, 'coco', pixels);
    expect(out.fileName).toBe('my_set-coco.zip');
    const files = expandUpload([{ path: 'upload/my_set-coco.zip', bytes: out.bytes }]);
    expect(files.find((f) => f.path === 'images/a.jpg')!.bytes).toEqual(pixels.get('a.jpg'));
    const plan = planImport(files);
    expect(plan.format).toBe('coco');
    expect(strip(parseImport(plan, 'back', sizes).dataset)).toEqual(strip(d));
  });

  it('YOLO and VOC zips round-trip boxes (YOLO within its 6 decimals), class names and splits', () => {
    for (const format of ['yolo', 'voc'] as const) {
      const plan = planImport(expandUpload([{ path: 'x.zip', bytes: exportDataset(d, format, pixels).bytes }]));
      expect(plan.format).toBe(format);
      const back = parseImport(plan, 'back', sizes).dataset;
      expect(back.images.map((im) => [im.fileName, im.split]).sort()).toEqual([['a.jpg', 'train'], ['b.png', 'eval']]);
      const a = back.images.find((im) => im.fileName === 'a.jpg')!;
      expect(back.classes.find((c) => c.id === a.annotations[0].classId)!.name).toBe('stop, "sign"');
      a.annotations[0].box.forEach((v, k) => expect(Math.abs(v - d.images[0].annotations[0].box[k])).toBeLessThan(1e-3));
    }
  });

  it('Visual-RFT and VLM-R1 zips hold train and eval records with the images', () => {
    const files = unzipSync(exportDataset(d, 'visual-rft', pixels).bytes);
    const train = JSON.parse(new TextDecoder().decode(files['train.json']));
    expect(train).toEqual([{ image_path: 'images/a.jpg', problem: expect.stringContaining('the red sign'), solution: '<answer>(16,42),(477,833)</answer>' }]);
    expect(Object.keys(unzipSync(exportDataset(d, 'vlm-r1', pixels).bytes)).sort()).toEqual(['eval.jsonl', 'images/a.jpg', 'images/b.png', 'train.jsonl']);
  });

  it('refuses an export with missing pixels and an upload that mixes formats or lacks images', () => {
    expect(() => exportDataset(d, 'coco', new Map())).toThrow(/pixels of a.jpg are missing/);
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(errorOf(() => planImport([{ path: 'a.json', bytes: enc('{"annotations": []}') }, { path: 'b.xml', bytes: enc('<annotation/>') }])).message).toContain('several formats');
    const coco = exportDataset(d, 'coco', pixels);
    const onlyJson = expandUpload([{ path: 'x.zip', bytes: coco.bytes }]).filter((f) => f.path.endsWith('.json'));
    expect(errorOf(() => parseImport(planImport(onlyJson), 'x', sizes)).message).toContain('2 images are not in the upload: a.jpg, b.png');
    expect(errorOf(() => expandUpload([{ path: 'bad.zip', bytes: enc('nope') }])).message).toContain('bad.zip: not a readable zip');
  });

  it('warns about undecodable images and size mismatches, and scales boxes to the real image', () => {
    const plan = planImport(expandUpload([{ path: 'x.zip', bytes: exportDataset(d, 'coco', pixels).bytes }]));
    const { dataset, warnings } = parseImport(plan, 'x', new Map([['a.jpg', { width: 128, height: 96 }]]));
    expect(dataset.images.map((im) => im.fileName)).toEqual(['a.jpg']);
    expect(dataset.images[0].annotations[0].box).toEqual([2, 4, 61, 80]);
    expect(warnings.join('\n')).toMatch(/a.jpg: the annotations say 64×48 but the image is 128×96[\s\S]*b.png: the image could not be decoded/);
  });
});

describe('CSV', () => {
  it('quotes fields and defuses formula-like labels', () => {
    const csv = serializeCsv({ ...d, classes: [{ id: 0, name: '=cmd()', color: '#000' }, d.classes[1]] });
    expect(csv.split('\r\n')).toEqual(['image,width,height,split,label,x1,y1,x2,y2,expression', 'a.jpg,64,48,train,"stop, ""sign""",1,2,30.5,40,the red sign', "b.png,20,10,eval,'=cmd(),0,0,20,10,", '']);
  });
});

describe('EXIF orientation', () => {
  const jpeg = (littleEndian: boolean, orientation: number) => {
    const tiff = littleEndian ? [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0] : [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0];
    const app1 = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xe1, 0, app1.length + 2, ...app1, 0xff, 0xda, 0, 2]);
  };
  it('reads the tag in both byte orders and defaults to upright', () => {
    expect(jpegOrientation(jpeg(true, 6))).toBe(6);
    expect(jpegOrientation(jpeg(false, 8))).toBe(8);
    expect(jpegOrientation(jpeg(true, 42))).toBe(1);
    expect(jpegOrientation(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe(1);
    expect(jpegOrientation(jpeg(true, 6).subarray(0, 20))).toBe(1);
  });
});
