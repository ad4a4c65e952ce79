import { describe, expect, it } from 'vitest';
import type { Dataset } from '../core/dataset/types';
import { taskRewards } from '../core/rewards/registry';
import { parseCoco, serializeCoco } from './coco';
import { errorOf } from './inputError.testutil';
import { trainingRecords, serializeVisualRft, serializeVlmR1 } from './visualRft';
import { parseClassNames, parseYolo, serializeYolo } from './yolo';

const dataset: Dataset = {
  name: 'pets',
  task: 'detection',
  classes: [
    { id: 0, name: 'cat', color: '#e6194b' },
    { id: 1, name: 'stop sign', color: '#3cb44b' },
  ],
  images: [
    { id: '1', fileName: 'a.jpg', width: 640, height: 480, split: 'train', annotations: [{ id: '1', classId: 0, box: [10, 20, 110, 220] }, { id: '2', classId: 1, box: [300, 100, 400, 480] }] },
    { id: '2', fileName: 'b.png', width: 333, height: 500, split: 'train', annotations: [] },
  ],
};


describe('COCO', () => {
  it('round-trips annotations exactly', () => {
    const back = parseCoco('pets.json', serializeCoco(dataset));
    expect(back.classes.map((c) => c.name)).toEqual(['cat', 'stop sign']);
    expect(back.images.map((i) => [i.fileName, i.width, i.height, i.annotations.map((a) => [a.classId, a.box])])).toEqual(dataset.images.map((i) => [i.fileName, i.width, i.height, i.annotations.map((a) => [a.classId, a.box])]));
  });
  it('names the field of a malformed file and imports nothing', () => {
    const json = JSON.parse(serializeCoco(dataset));
    json.annotations[1].bbox = [1, 2, 3];
    expect(errorOf(() => parseCoco('x.json', JSON.stringify(json))).message).toBe('x.json: annotations[1].bbox: must be four numbers [x, y, w, h]');
    json.annotations[1].bbox = [1, 2, 3, 4];
    json.annotations[0].image_id = 99;
    expect(errorOf(() => parseCoco('x.json', JSON.stringify(json))).message).toContain('annotations[0].image_id: no image has id 99');
    expect(errorOf(() => parseCoco('x.json', '{"images": []}')).message).toContain('annotations: missing or not a list');
    expect(errorOf(() => parseCoco('x.json', '{oops')).message).toContain('not valid JSON');
  });
  it('clamps boxes to the image', () => {
    const json = JSON.parse(serializeCoco(dataset));
    json.annotations[0].bbox = [-10, 400, 100, 200];
    expect(parseCoco('x.json', JSON.stringify(json)).images[0].annotations[0].box).toEqual([0, 400, 90, 480]);
  });
});

describe('YOLO', () => {
  it('round-trips within the 6-decimal precision of the format', () => {
    const files = serializeYolo(dataset);
    expect(files[0]).toEqual({ name: 'classes.txt', text: 'cat\nstop sign\n' });
    expect(files[1]).toEqual({ name: 'data.yaml', text: "path: .\ntrain: images/train\nval: images/val\nnames: ['cat', 'stop sign']\n" });
    expect(parseClassNames(files[1])).toEqual(['cat', 'stop sign']);
    expect(files[2].name).toBe('labels/train/a.txt');
    expect(files[2].text.split('\n')[0]).toBe('0 0.093750 0.250000 0.156250 0.416667');
    const back = parseYolo('pets', files[0], files.slice(2), dataset.images);
    back.images.forEach((im, i) => im.annotations.forEach((a, j) => a.box.forEach((v, k) => expect(Math.abs(v - dataset.images[i].annotations[j].box[k])).toBeLessThan(1e-3))));
  });
  it('reads class names from data.yaml in its three forms', () => {
    expect(parseClassNames({ name: 'data.yaml', text: "path: x\nnames: ['cat', 'stop sign']\n" })).toEqual(['cat', 'stop sign']);
    expect(parseClassNames({ name: 'data.yaml', text: 'names:\n  - cat\n  - dog\nnc: 2\n' })).toEqual(['cat', 'dog']);
    expect(parseClassNames({ name: 'data.yaml', text: `names: ['stop, "sign"', 'it''s', "a \\"b\\"", plain one]\n` })).toEqual(['stop, "sign"', "it's", 'a "b"', 'plain one']);
    expect(parseClassNames({ name: 'data.yml', text: 'names:\n  0: cat\n  1: dog\n' })).toEqual(['cat', 'dog']);
  });
  it('names the file and line of a bad label', () => {
    const e = errorOf(() => parseYolo('p', { name: 'classes.txt', text: 'cat\n' }, [{ name: 'labels/a.txt', text: '0 0.5 0.5 0.1 0.1\n3 0.5 0.5 0.1 0.1\n' }], dataset.images));
    expect(e.message).toBe('labels/a.txt:2: class 3 is not among the 1 names');
  });
});

describe('Visual-RFT and VLM-R1 exports', () => {
  it('emit one detection record per (image, class), graded correct by the reference rewards', () => {
    const recs = trainingRecords(dataset);
    expect(recs).toHaveLength(4);
    expect(recs[0].solution).toBe("<answer>[{'Position': [16, 42, 172, 458], 'Confidence': 1}]</answer>");
    expect(recs[3].solution).toBe('<answer>No Objects</answer>');
    expect(recs[1].problem).toContain("the category 'stop sign'");
    const perfect = `<think> ok </think> <answer>${recs[0].solution.slice(8, -9).replace("'Confidence': 1", "'Confidence': 1.00")}</answer>`;
    expect(taskRewards('detection', perfect, recs[0].solution, 'reference')).toEqual({ format: 1, accuracy_iou: 1, accuracy_confidence: 1 });
    const json = JSON.parse(serializeVisualRft(dataset));
    expect(Object.keys(json[0])).toEqual(['image_path', 'problem', 'solution']);
    expect(json[0].image_path).toBe('images/a.jpg');
    const line = JSON.parse(serializeVlmR1(dataset).split('\n')[0]);
    expect(line.conversations[0].value.startsWith('<image>Detect all objects')).toBe(true);
    expect(line.conversations[1]).toEqual({ from: 'gpt', value: recs[0].solution });
  });
});

describe('Pascal VOC', () => {
  it('round-trips annotations exactly, with labels escaped and unescaped', async () => {
    const { parseVoc, serializeVoc } = await import('./voc');
    const tricky = { ...dataset, classes: [{ id: 0, name: 'cat & <dog>', color: '#000000' }, dataset.classes[1]] };
    const files = serializeVoc(tricky);
    expect(files.slice(0, 2)).toEqual([{ name: 'ImageSets/Main/train.txt', text: 'a\nb\n' }, { name: 'ImageSets/Main/val.txt', text: '' }]);
    expect(files[2].name).toBe('Annotations/a.xml');
    expect(files[2].text).toContain('<name>cat &amp; &lt;dog&gt;</name>');
    const back = parseVoc('pets', files.slice(2));
    expect(back.classes.map((c) => c.name)).toEqual(['cat & <dog>', 'stop sign']);
    expect(back.images.map((i) => [i.fileName, i.width, i.height, i.annotations.map((a) => a.box)])).toEqual(dataset.images.map((i) => [i.fileName, i.width, i.height, i.annotations.map((a) => a.box)]));
  });
  it('names the file and object of a malformed annotation', async () => {
    const { parseVoc } = await import('./voc');
    const bad = '<annotation><size><width>10</width><height>10</height></size><object><name>cat</name><bndbox><xmin>1</xmin></bndbox></object></annotation>';
    expect(errorOf(() => parseVoc('p', [{ name: 'a.xml', text: bad }])).message).toBe('a.xml: object 1 (cat): bndbox needs numeric xmin, ymin, xmax, ymax');
    expect(errorOf(() => parseVoc('p', [{ name: 'b.xml', text: '<annotation><size>' }])).message).toContain('never closed');
  });
});
