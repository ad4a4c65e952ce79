/**
 * npm run photo-eval -- [--model PATH] [--photos examples/photos/photos.json] [--json]
 *
 * The policy on real photos (examples/photos: openly licensed, boxes drawn by hand): for each labelled object, one
 * greedy detection answer for its category through the predict path (core/model/answer.ts), and the IoU of the
 * answer's first box with the true box (0 when it writes no box). Prints a table, or with --json one object.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { answerPicture } from '../src/core/model/answer';
import { boxIou } from '../src/core/world/scene';
import { decodeImageFile } from './imageFile';
import { decodePolicy, readPolicyBytes } from './policyFile';
import { useNodeBackend } from './tfNode';

type Box = [number, number, number, number];
interface PhotoSet { photos: { file: string; license: string; objects: { category: string; box: Box }[] }[] }

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function fail(msg: string): never {
  console.error(`photo-eval: ${msg}`);
  process.exit(2);
}


async function main() {
  const model = arg('model', 'public/models/base/model.vrft');
  const listPath = arg('photos', 'examples/photos/photos.json');
  const set = JSON.parse(readFileSync(listPath, 'utf8')) as PhotoSet;
  const bytes = readPolicyBytes(model, fail);
  await useNodeBackend('wasm');
  const { policy } = await decodePolicy(model, bytes, fail);
  const rows: { photo: string; category: string; truth: Box; firstBox: Box | null; iou: number; completion: string }[] = [];
  for (const photo of set.photos) {
    const img = decodeImageFile(new Uint8Array(readFileSync(join(dirname(listPath), photo.file))));
    for (const o of photo.objects) {
      const out = await answerPicture(policy, img.rgba, img.width, img.height, { task: 'detection', words: o.category.split(' ') });
      const first = out.pixelBoxes[0] ?? null;
      rows.push({ photo: photo.file, category: o.category, truth: o.box, firstBox: first && (first.map((v) => Math.round(v)) as Box), iou: first ? boxIou(first, o.box) : 0, completion: out.completion });
    }
  }
  policy.dispose();
  const mean = rows.reduce((a, r) => a + r.iou, 0) / rows.length;
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ model, rows, meanIou: mean, hitsAt05: rows.filter((r) => r.iou >= 0.5).length })}\n`);
    return;
  }
  for (const r of rows) console.log(`${r.photo.padEnd(14)} ${r.category.padEnd(8)} first box ${r.firstBox ? `[${r.firstBox.join(', ')}]` : 'none'}, IoU ${r.iou.toFixed(2)}`);
  console.log(`mean IoU ${mean.toFixed(3)}, ${rows.filter((r) => r.iou >= 0.5).length}/${rows.length} at IoU ≥ 0.5`);
}

if (process.argv[1]?.endsWith('photoEval.ts')) void main();
