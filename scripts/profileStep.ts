/**
 * npm run profile-step -- [--config base] [--backend wasm] [--batch 32] [--completion 40] [--box-pointer]
 *
 * Where a teacher-forced training step spends its time: tf.profile of one SFT step (after a warm-up), kernel
 * times summed by kernel name, largest first, with the matMul share. The step is the one `npm run bench` times.
 */
import * as tf from '@tensorflow/tfjs-core';
import { benchPolicy } from '../src/core/bench/modelBench';
import { POLICY_CONFIGS, type PolicyConfigName } from '../src/core/model/config';
import { Rng } from '../src/core/rng';
import { sftStep } from '../src/core/train/sftStep';
import { type NodeBackend, useNodeBackend } from './tfNode';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const config = arg('config', 'base') as PolicyConfigName;
const batch = Number(arg('batch', '32'));
const completion = Number(arg('completion', '40'));
await useNodeBackend(arg('backend', 'wasm') as NodeBackend);
const plain = benchPolicy(config);
const policy = process.argv.includes('--box-pointer') ? await plain.upgraded({ boxPointer: true }) : plain;
const rng = new Rng(5);
const S = POLICY_CONFIGS[config].imageSize;
const images = tf.tensor4d(Float32Array.from({ length: batch * S * S * 3 }, () => rng.next()), [batch, S, S, 3]);
const tok = policy.tokenizer;
const prompts = Array.from({ length: batch }, () => [tok.taskId('detection'), tok.wordId('w1')]);
const completions = Array.from({ length: batch }, () => Array.from({ length: completion }, () => 10 + rng.int(0, tok.size - 11)));
const opt = tf.train.adam(1e-4);
const step = () => sftStep(policy, opt, { images, prompts, completions });
await step();
const t0 = performance.now();
await step();
const wall = performance.now() - t0;
const info = await tf.profile(async () => {
  await step();
});
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  e.ms += Number(k.kernelTimeMs) || 0;
  e.calls++;
  byKernel.set(k.name, e);
}
const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
console.log(`step ${wall.toFixed(0)} ms wall; kernels ${total.toFixed(0)} ms in ${info.kernels.length} calls`);
for (const [name, e] of rows.slice(0, 25)) console.log(`${name.padEnd(22)} ${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)} %  ${String(e.calls).padStart(5)} calls`);
// matMuls by shape: their rate shows which products run below the plain matMul's speed.
const shapes = new Map<string, { ms: number; calls: number; flops: number }>();
for (const k of info.kernels) {
  if (k.name !== 'BatchMatMul') continue;
  const [a, b] = k.inputShapes as number[][];
  const key = `${a.join('×')} · ${b.join('×')}`;
  const e = shapes.get(key) ?? { ms: 0, calls: 0, flops: 0 };
  e.ms += Number(k.kernelTimeMs) || 0;
  e.calls++;
  e.flops += 2 * a.slice(0, -1).reduce((x, y) => x * y, 1) * a[a.length - 1] * b[b.length - 1];
  shapes.set(key, e);
}
console.log('\nBatchMatMul by input shapes (batch dims folded into rows):');
for (const [key, e] of [...shapes].sort((x, y) => y[1].ms - x[1].ms).slice(0, 20)) console.log(`${key.padEnd(34)} ${e.ms.toFixed(1).padStart(8)} ms ${String(e.calls).padStart(4)} calls ${(e.flops / e.ms / 1e6).toFixed(2).padStart(6)} GFLOP/s`);
tf.dispose([images]);
policy.dispose();
