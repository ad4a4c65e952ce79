/**
 * Scorer throughput: 100,000 samples (detection, classification, grounding in equal parts) with realistic
 * completions, parsed from JSONL text and scored end to end as `npm run score` does, rewards and metrics.
 */
import { performance } from 'node:perf_hooks';
import { Rng } from '../../src/core/rng';
import { scoreSamples } from '../../src/core/scoring/scoreSamples';
import { parsePredictions, parseSamples } from '../../src/formats/scorerJsonl';
import type { BenchFigure } from '../bench';

const N = 100_000;
const CATS = ['dog', 'cat', 'bus', 'train', 'stop sign', 'bed', 'toilet', 'bird'];

function box(rng: Rng): number[] {
  const x = rng.int(0, 800);
  const y = rng.int(0, 800);
  return [x, y, x + rng.int(20, 190), y + rng.int(20, 190)];
}

function jitter(rng: Rng, b: number[]): number[] {
  return b.map((v) => Math.min(1000, Math.max(0, v + rng.int(-25, 25))));
}

export function makeScorerInputs(n: number, seed: number): { samples: string; predictions: string } {
  const rng = new Rng(seed);
  const s: string[] = [];
  const p: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    const id = `s${i}`;
    if (kind === 0) {
      const gt = Array.from({ length: rng.int(0, 3) }, () => box(rng));
      const sol = gt.length ? `[${gt.map((b) => `{'Position': [${b.join(', ')}], 'Confidence': 1}`).join(', ')}]` : 'No Objects';
      s.push(JSON.stringify({ id, task: 'detection', width: 640, height: 480, image_id: Math.floor(i / 3 / CATS.length), category: CATS[Math.floor(i / 3) % CATS.length], solution: `<answer>${sol}</answer>` }));
      const pred = gt.map((b) => `{'Position': [${jitter(rng, b).join(', ')}], 'Confidence': ${(rng.int(30, 99) / 100).toFixed(2)}}`);
      if (rng.bool(0.3)) pred.push(`{'Position': [${box(rng).join(', ')}], 'Confidence': 0.20}`);
      p.push(JSON.stringify({ id, completion: `<think>I look for ${CATS[0]}s in the image.</think> <answer>${pred.length ? `[${pred.join(', ')}]` : 'No Objects'}</answer>` }));
    } else if (kind === 1) {
      const label = rng.pick(CATS);
      s.push(JSON.stringify({ id, task: 'classification', width: 64, height: 64, solution: `<answer>${label}</answer>` }));
      p.push(JSON.stringify({ id, completion: `<think>It has fur and four legs.</think><answer>${rng.bool(0.7) ? label : rng.pick(CATS)}</answer>` }));
    } else {
      const b = box(rng);
      const q = jitter(rng, b);
      s.push(JSON.stringify({ id, task: 'grounding', width: 640, height: 480, solution: `<answer>(${b[0]},${b[1]}),(${b[2]},${b[3]})</answer>` }));
      p.push(JSON.stringify({ id, completion: `<think>The red one on the left.</think><answer>(${q[0]},${q[1]}),(${q[2]},${q[3]})</answer>` }));
    }
  }
  return { samples: s.join('\n'), predictions: p.join('\n') };
}

export function benchScorer(): BenchFigure[] {
  const { samples, predictions } = makeScorerInputs(N, 1);
  const figures: BenchFigure[] = [];
  for (const mode of ['reference', 'strict'] as const) {
    const t0 = performance.now();
    const parsed = parseSamples('samples', samples);
    const preds = parsePredictions('predictions', predictions, parsed);
    const t1 = performance.now();
    const report = scoreSamples(parsed, preds, mode);
    const t2 = performance.now();
    if (report.samples.length !== N) throw new Error('scorer lost samples');
    figures.push(
      { suite: 'scorer', name: `${mode}: 100k samples end to end`, value: (t2 - t0) / 1000, unit: 's', note: `parse ${((t1 - t0) / 1000).toFixed(2)} s, score ${((t2 - t1) / 1000).toFixed(2)} s` },
      { suite: 'scorer', name: `${mode}: throughput`, value: N / ((t2 - t0) / 1000), unit: 'samples/s' },
    );
  }
  return figures;
}
