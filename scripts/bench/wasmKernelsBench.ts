/**
 * The `kernels` suite: what this project's replacements for slow tfjs WASM kernels give, each on and off in turn in
 * one Node WASM process (one thread): the host loops (ops.ts onHostMemory: the box pointer's offset → bin shift,
 * the conv stem's pixel reorder, the completion-token pick) and the memory-sharing Identity (wasmIdentity.ts).
 * One base training part (8 sequences × 40 completion tokens, the micro-batch of the Models view benchmark's
 * step), fwd + bwd; the settings alternate round by round so a busy core slows them alike; median per setting.
 * Every setting must give the same loss and gradients (the replacements move data, they do not compute).
 */
import * as tf from '@tensorflow/tfjs-core';
import { benchPolicy } from '../../src/core/bench/modelBench';
import { HOST_LOOPS_FLAG } from '../../src/core/model/ops';
import { copyWasmIdentity, shareWasmIdentity } from '../../src/core/model/wasmIdentity';
import { Rng } from '../../src/core/rng';
import { type LossPart, partLoss } from '../../src/core/train/lossParts';
import type { BenchFigure } from '../bench';
import { useNodeBackend } from '../tfNode';

/** Rounds per setting: single parts vary by ±15 % here (a shared virtual machine). */
const ROUNDS = 16;
const SETTINGS = [
  { name: 'tfjs-kernels', loops: false, share: false },
  { name: 'host-loops', loops: true, share: false },
  { name: 'host-loops-shared-identity', loops: true, share: true },
] as const;

export async function benchWasmKernels(): Promise<BenchFigure[]> {
  await useNodeBackend('wasm');
  const policy = benchPolicy('base');
  const c = policy.config;
  const tok = policy.tokenizer;
  const rng = new Rng(1);
  const rows = 8;
  const L = 40;
  const part: LossPart = {
    kind: 'sft',
    images: Float32Array.from({ length: rows * c.imageSize * c.imageSize * 3 }, () => rng.next()),
    prompts: Array.from({ length: rows }, () => [tok.taskId('detection'), tok.wordId('w1'), tok.wordId('w2')]),
    completions: Array.from({ length: rows }, () => Array.from({ length: L }, () => rng.int(tok.coordStart, tok.size - 1))),
    wholeTokens: 4 * rows * L,
  };
  const vars = policy.params.trainable;
  const times = new Map<string, number[]>(SETTINGS.map((s) => [s.name, []]));
  // Every timed part is compared with the first one's loss and gradients (tfjs's kernels, first round).
  let reference: Float32Array | null = null;
  try {
    for (let round = -1; round < ROUNDS; round++) {
      for (const s of SETTINGS) {
        tf.env().set(HOST_LOOPS_FLAG, s.loops);
        if (s.share) shareWasmIdentity();
        else copyWasmIdentity();
        const t0 = performance.now();
        const { value, grads } = tf.variableGrads(() => partLoss(policy, part).loss, vars);
        const flat = [await value.data(), ...(await Promise.all(Object.values(grads).map((g) => g.data())))];
        const ms = performance.now() - t0;
        tf.dispose([value, ...Object.values(grads)]);
        if (round < 0) continue; // warm-up
        times.get(s.name)!.push(ms);
        const all = new Float32Array(flat.reduce((n, a) => n + a.length, 0));
        flat.reduce((at, a) => (all.set(a as Float32Array, at), at + a.length), 0);
        if (!reference) reference = all;
        else if (all.some((v, i) => v !== reference![i])) throw new Error(`kernels bench: ${s.name} changed the loss or a gradient`);
      }
    }
  } finally {
    tf.env().set(HOST_LOOPS_FLAG, true);
    shareWasmIdentity();
    policy.dispose();
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const base = median(times.get(SETTINGS[0].name)!);
  const suite = 'kernels';
  return SETTINGS.flatMap((s) => {
    const ms = median(times.get(s.name)!);
    const out: BenchFigure[] = [{ suite, name: `part-ms-${s.name}`, value: ms, unit: 'ms', note: `base training part (8 × 40 tokens), Node WASM, 1 thread, median of ${ROUNDS} alternating rounds` }];
    if (s.name !== SETTINGS[0].name) out.push({ suite, name: `part-${s.name}-over-tfjs`, value: ms / base, unit: '×', note: 'same loss and gradients, bit for bit (checked)' });
    return out;
  });
}
