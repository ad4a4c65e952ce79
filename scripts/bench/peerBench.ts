/**
 * The `peer` suite: the base policy's training step (32 sequences of 64 image + 43 text tokens, SFT loss on 40
 * completion tokens, backward, Adam) on tfjs WASM in Node, against a PyTorch CPU step of the same shapes
 * (scripts/bench/peer_step.py), both on one thread (Node's WASM backend has no threads), in the same run.
 * Runs where `python3` imports torch; says so and skips otherwise. Debian's torch without OpenBLAS
 * (libopenblas0-pthread) falls back to reference BLAS at ~4 GFLOP/s, which would make the ratio meaningless:
 * the suite names that case.
 */
import { spawnSync } from 'node:child_process';
import { runModelBench } from '../../src/core/bench/modelBench';
import { POLICY_CONFIGS, imageTokenCount } from '../../src/core/model/config';
import type { BenchFigure } from '../bench';
import { useNodeBackend } from '../tfNode';

/** The first of PEER_PYTHON, python3 on the PATH and Debian's /usr/bin/python3 that imports torch. */
export function findPython(): string | null {
  for (const py of [process.env.PEER_PYTHON, 'python3', '/usr/bin/python3']) {
    if (py && spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

interface PeerResult {
  step_ms: number;
  matmul_gflops: number;
  threads: number;
  torch: string;
  reference_blas: boolean;
}

export async function benchPeer(): Promise<BenchFigure[]> {
  const PYTHON = findPython();
  if (!PYTHON) {
    console.error('bench: peer skipped: no python3 here imports torch (Debian: apt-get install python3-torch libopenblas0-pthread; PEER_PYTHON names another)');
    return [];
  }
  await useNodeBackend('wasm');
  const ours = await runModelBench({ config: 'base', repeats: 3, uncached: false, trainBatch: 32, trainCompletion: 40 });
  const c = POLICY_CONFIGS.base;
  const shape = { rows: 32, image_tokens: imageTokenCount(c), text_tokens: 3 + 40, completion: 40, d: c.dModel, layers: c.nLayers, heads: c.nHeads, mlp: c.mlpRatio, vocab: ours.vocab, patch_dim: c.patchSize * c.patchSize * 3, threads: 1, repeats: 3 };
  const run = spawnSync(PYTHON, ['scripts/bench/peer_step.py', JSON.stringify(shape)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`peer step failed: ${run.stderr.slice(-500)}`);
  const peer = JSON.parse(run.stdout.trim().split('\n').pop() as string) as PeerResult;
  const suite = 'peer';
  const blas = peer.reference_blas ? 'REFERENCE BLAS (install libopenblas0-pthread): the peer is not a fair one' : 'optimised BLAS';
  return [
    { suite, name: 'step-ms', value: peer.step_ms, unit: 'ms', note: `PyTorch ${peer.torch} CPU, ${peer.threads} thread, ${blas}` },
    { suite, name: 'our-step-ms', value: ours.trainStepMs, unit: 'ms', note: 'tfjs WASM in Node, 1 thread, same shapes' },
    { suite, name: 'step-ratio', value: ours.trainStepMs / peer.step_ms, unit: '×', note: 'our step time over the peer’s at equal threads' },
    { suite, name: 'peer-matmul-gflops', value: peer.matmul_gflops, unit: 'GFLOP/s' },
    { suite, name: 'our-matmul-gflops', value: ours.matMulGflops, unit: 'GFLOP/s' },
    { suite, name: 'matmul-ratio', value: peer.matmul_gflops / ours.matMulGflops, unit: '×', note: 'how much of the step ratio the kernel explains' },
  ];
}
