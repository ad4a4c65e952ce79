/**
 * npm run probe-vision -- --model PATH
 *
 * Does a policy use its image? Compares the teacher-forced loss of held-out world batches with the right images
 * against the same batches with images shuffled between samples, overall and on coordinate tokens alone. A blind
 * policy (a language prior) scores the same on both; one that sees loses clearly more with shuffled images.
 * Then "where" in words: the share of greedy classification traces whose "at the top left" phrase is right, a
 * coarse (3 × 3) test of whether position reaches the text at all.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint } from '../src/core/model/checkpoint';
import { completionLogprobs } from '../src/core/model/logprobs';
import { decodeAtlas } from '../src/core/world/atlas';
import { evalSamples, trainingBatch } from '../src/core/world/batches';
import { evaluatePolicy } from '../src/core/train/evaluate';
import { useNodeBackend } from './tfNode';

const i = process.argv.indexOf('--model');
const model = i >= 0 ? process.argv[i + 1] : 'public/models/base/model.vrft';
await useNodeBackend('wasm');
const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
const { policy } = loadCheckpoint(new Uint8Array(readFileSync(model)));
const tok = policy.tokenizer;
const S = policy.config.imageSize;
const n = 32;
for (const task of ['detection', 'classification', 'grounding'] as const) {
  const mixture = { detection: +(task === 'detection'), classification: +(task === 'classification'), grounding: +(task === 'grounding') };
  const b = trainingBatch(atlas, tok, { seed: 0x9b0be, step: 1, size: n, imageSize: S, mixture });
  const px = S * S * 3;
  const shuffled = new Float32Array(b.images.length);
  for (let k = 0; k < n; k++) shuffled.set(b.images.subarray(((k + 7) % n) * px, (((k + 7) % n) + 1) * px), k * px);
  const nll = (imgs: Float32Array) =>
    tf.tidy(() => {
      const { logprobs, mask } = completionLogprobs(policy, { images: tf.tensor4d(imgs, [n, S, S, 3]), prompts: b.prompts, completions: b.completions });
      const coord = tf.tensor2d(b.completions.flatMap((c) => Array.from({ length: logprobs.shape[1] }, (_, j) => (j < c.length && tok.kind(c[j]) === 'coord' ? 1 : 0))), logprobs.shape);
      const all = -tf.sum(logprobs).dataSync()[0] / tf.sum(mask).dataSync()[0];
      const coords = tf.sum(coord).dataSync()[0] ? -tf.sum(tf.mul(logprobs, coord)).dataSync()[0] / tf.sum(coord).dataSync()[0] : NaN;
      return [all, coords];
    });
  const [a1, c1] = nll(b.images);
  const [a2, c2] = nll(shuffled);
  console.log(`${task.padEnd(14)} NLL/token: right images ${a1.toFixed(3)}, shuffled ${a2.toFixed(3)} (+${(100 * (a2 / a1 - 1)).toFixed(1)} %)` + (Number.isNaN(c1) ? '' : `; coordinate tokens: ${c1.toFixed(3)} vs ${c2.toFixed(3)}`));
}
const whereOf = (text: string) => text.match(/(at the [a-z ]+|on the [a-z]+|in the middle)\./)?.[1];
const samples = evalSamples(atlas, 'classification', 'base', 64);
const { completions } = await evaluatePolicy(policy, samples);
const right = completions.filter((c, k) => whereOf(c) === whereOf(samples[k].completion)).length;
console.log(`where (classification traces, 3 × 3 regions): ${right}/${samples.length} right`);
policy.dispose();
