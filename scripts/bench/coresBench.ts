/**
 * The `cores` suite: what a second core of this machine gives at all, measured without our threading code. Two
 * copies of one single-threaded step run at once, against one copy alone: for PyTorch (scripts/bench/peer_step.py,
 * one thread each) and for our WASM step (scripts/bench/soloStep.ts, one process each). On two independent cores
 * the concurrent copies run as fast as one alone (ratio 1.0) and two threads could at best halve a step; a ratio
 * above 1 is the machine's own ceiling on what threads can win (shared caches, memory bandwidth, or virtual CPUs
 * that share a physical core). Also PyTorch's own 2-thread step against its 1-thread step. Run it on an idle
 * machine; the PyTorch parts need `python3` with torch (as the peer suite).
 */
import { spawn, spawnSync } from 'node:child_process';
import { POLICY_CONFIGS, imageTokenCount } from '../../src/core/model/config';
import type { BenchFigure } from '../bench';
import { findPython } from './peerBench';

/** Runs the commands at once; each one's last stdout line, parsed. */
function together(cmds: [string, string[]][]): Promise<Record<string, number>[]> {
  return Promise.all(
    cmds.map(
      ([cmd, args]) =>
        new Promise<Record<string, number>>((resolve, reject) => {
          const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number>) : reject(new Error(`${cmd} failed: ${err.slice(-400)}`))));
        }),
    ),
  );
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function benchCores(): Promise<BenchFigure[]> {
  const suite = 'cores';
  const figures: BenchFigure[] = [];
  const ours: [string, string[]] = ['npx', ['tsx', 'scripts/bench/soloStep.ts', '--batch', '32']];
  const [alone] = await together([ours]);
  const soloOurs = alone.stepMs;
  const pairOurs = mean((await together([ours, ours])).map((r) => r.stepMs));
  figures.push(
    { suite, name: 'ours-one-process-ms', value: soloOurs, unit: 'ms', note: 'tfjs WASM in Node, 1 thread, base step on 32 sequences, alone' },
    { suite, name: 'ours-two-processes-ms', value: pairOurs, unit: 'ms', note: 'the same step in two processes at once, mean of the two' },
    { suite, name: 'ours-two-over-one', value: pairOurs / soloOurs, unit: '×', note: '1.0 on independent cores' },
  );
  const py = findPython();
  if (!py) {
    console.error('bench: cores: the PyTorch parts skipped (no python3 here imports torch)');
    return figures;
  }
  const c = POLICY_CONFIGS.base;
  const shape = (threads: number) => JSON.stringify({ rows: 32, image_tokens: imageTokenCount(c), text_tokens: 43, completion: 40, d: c.dModel, layers: c.nLayers, heads: c.nHeads, mlp: c.mlpRatio, vocab: alone.vocab, patch_dim: c.patchSize * c.patchSize * 3, threads, repeats: 3 });
  const peer = (threads: number): [string, string[]] => [py, ['scripts/bench/peer_step.py', shape(threads)]];
  const solo = (await together([peer(1)]))[0];
  const pair = await together([peer(1), peer(1)]);
  const two = JSON.parse(spawnSync(py, peer(2)[1], { encoding: 'utf8' }).stdout.trim().split('\n').pop() as string) as Record<string, number>;
  const pairMs = mean(pair.map((r) => r.step_ms));
  figures.push(
    { suite, name: 'peer-one-process-ms', value: solo.step_ms, unit: 'ms', note: 'PyTorch CPU, 1 thread, alone' },
    { suite, name: 'peer-two-processes-ms', value: pairMs, unit: 'ms', note: 'two PyTorch processes of 1 thread at once, mean' },
    { suite, name: 'peer-two-over-one', value: pairMs / solo.step_ms, unit: '×', note: '1.0 on independent cores' },
    { suite, name: 'peer-2-threads-ms', value: two.step_ms, unit: 'ms', note: 'PyTorch CPU, 2 threads' },
    { suite, name: 'peer-2-threads-over-1', value: two.step_ms / solo.step_ms, unit: '×', note: 'what a mature CPU stack gets from the second core here' },
    { suite, name: 'peer-matmul-2-threads-over-1', value: two.matmul_gflops / solo.matmul_gflops, unit: '×', note: 'OpenBLAS matMul rate, 2 threads over 1' },
  );
  return figures;
}
