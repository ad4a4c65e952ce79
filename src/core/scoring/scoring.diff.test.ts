/**
 * Differential test of detection metrics: scoreSamples against tools/coco_eval_reference.py (pycocotools'
 * COCOeval transcribed with numpy) on seeded datasets with the hard cases: tied scores, NaN scores, images
 * without ground truth, categories without predictions, more than 100 detections on an image, inverted boxes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPython } from '../pythonOracle.testutil';
import { Rng } from '../rng';
import { detectionCompletion } from '../rewards/fuzzCases.testutil';
import { scoreSamples } from './scoreSamples';
import type { Prediction, ScoreSample } from './types';

const PY = findPython(['numpy']);

const CATS = ['cat', 'dog', 'bus', 'train', 'stop sign'];

function dataset(rng: Rng): { samples: ScoreSample[]; predictions: Prediction[] } {
  const samples: ScoreSample[] = [];
  const predictions: Prediction[] = [];
  const nImages = rng.int(1, 12);
  for (let img = 1; img <= nImages; img++) {
    const width = rng.pick([64, 333, 640, 1000]);
    const height = rng.pick([48, 480, 777]);
    for (const category of CATS.slice(0, rng.int(1, CATS.length))) {
      const nGt = rng.bool(0.25) ? 0 : rng.int(1, 4);
      const boxes: number[][] = [];
      for (let i = 0; i < nGt; i++) {
        const x1 = rng.int(0, 800);
        const y1 = rng.int(0, 800);
        boxes.push([x1, y1, x1 + rng.int(10, 200), y1 + rng.int(10, 200)]);
      }
      const solution = nGt ? `<answer>[${boxes.map((b) => `{'Position': [${b.join(', ')}], 'Confidence': 1}`).join(', ')}]</answer>` : '<answer>No Objects</answer>';
      const id = `${img}-${category}`;
      samples.push({ id, task: 'detection', width, height, image_id: img, category, solution });
      const r = rng.next();
      if (r < 0.1) continue; // no prediction for this sample
      let completion: string;
      if (r < 0.35) completion = detectionCompletion(rng, boxes);
      else {
        const n = rng.bool(0.05) ? rng.int(100, 130) : rng.int(0, 6);
        const preds: string[] = [];
        for (let i = 0; i < n; i++) {
          const base = boxes.length && rng.bool(0.7) ? boxes[i % boxes.length] : [rng.int(0, 900), rng.int(0, 900), rng.int(0, 1000), rng.int(0, 1000)];
          const j = rng.pick([0, 3, 15, 60]);
          const b = base.map((v) => v + rng.int(-j, j));
          const conf = rng.bool(0.3) ? rng.pick(['0.9', '0.5', '1', 'NaN', '1.2']) : (rng.int(0, 100) / 100).toFixed(2);
          preds.push(`{'Position': [${b.join(', ')}], 'Confidence': ${conf}}`);
        }
        completion = `<think>ok</think><answer>${n ? `[${preds.join(', ')}]` : 'No Objects'}</answer>`;
      }
      predictions.push({ id, completion });
    }
  }
  return { samples, predictions };
}

// CI installs numpy (.ci/run), so there this never skips.
describe.skipIf(PY === null && !process.env.CI)('detection metrics agree with COCOeval', () => {
  it('on 150 seeded datasets, to 1e-9', () => {
    const rng = new Rng(5);
    const datasets = Array.from({ length: 150 }, () => dataset(rng));
    const input = datasets.map((d) => JSON.stringify(d)).join('\n') + '\n';
    const results = execFileSync(PY ?? 'python3', ['tools/coco_eval_reference.py'], { input, maxBuffer: 1 << 26 }).toString().trim().split('\n');
    let nonTrivial = 0;
    for (let k = 0; k < datasets.length; k++) {
      const data = datasets[k];
      const expected = JSON.parse(results[k]);
      const actual = scoreSamples(data.samples, data.predictions, 'reference').metrics.detection!;
      expect(actual.map).toBeCloseTo(expected.map, 9);
      expect(actual.ap50).toBeCloseTo(expected.ap50, 9);
      for (const [name, v] of Object.entries(expected.per_category as Record<string, { ap: number; ap50: number }>)) {
        expect(actual.per_category[name].ap, `${k} ${name} ap`).toBeCloseTo(v.ap, 9);
        expect(actual.per_category[name].ap50, `${k} ${name} ap50`).toBeCloseTo(v.ap50, 9);
      }
      if (expected.map > 0.05 && expected.map < 0.95) nonTrivial++;
    }
    expect(nonTrivial).toBeGreaterThan(75);
  });
});
