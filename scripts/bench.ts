/**
 * npm run bench [-- --only scorer] : performance figures as JSON under bench/results/ plus a printed table.
 * Benchmarks measure; tests check correctness. Each suite returns named figures with units.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchModelsBrowser, benchModelsNode } from './bench/modelFigures';
import { benchScorer } from './bench/scorerBench';
import { benchCores } from './bench/coresBench';
import { benchPeer } from './bench/peerBench';
import { benchThreads } from './bench/threadsBench';
import { benchTraining } from './bench/trainBench';
import { benchWasmKernels } from './bench/wasmKernelsBench';

export interface BenchFigure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Suites in run order; `--only a,b` picks some. `browser` needs a build (`npm run build`) and Chromium. */
const SUITES: Record<string, () => Promise<BenchFigure[]> | BenchFigure[]> = {
  scorer: benchScorer,
  node: benchModelsNode,
  training: benchTraining,
  browser: benchModelsBrowser,
  threads: benchThreads,
  peer: benchPeer,
  cores: benchCores,
  kernels: benchWasmKernels,
};

async function main() {
  const onlyIdx = process.argv.indexOf('--only');
  const only = onlyIdx >= 0 ? process.argv[onlyIdx + 1]?.split(',') : undefined;
  const figures: BenchFigure[] = [];
  for (const [name, run] of Object.entries(SUITES)) {
    if (only && !only.includes(name)) continue;
    console.error(`bench: running ${name}…`);
    figures.push(...(await run()));
  }
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    figures,
  };
  const dir = join('bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${result.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  // latest.json: the newest figure of every suite, so a run of some suites (--only) keeps the others' figures.
  const latestFile = join(dir, 'latest.json');
  const previous = existsSync(latestFile) ? (JSON.parse(readFileSync(latestFile, 'utf8')) as { figures: (BenchFigure & { date?: string })[] }).figures : [];
  const ran = new Set(figures.map((f) => f.suite));
  const latest = { updated: result.date, machine: result.machine, figures: [...previous.filter((f) => !ran.has(f.suite)), ...figures.map((f) => ({ ...f, date: result.date }))] };
  writeFileSync(latestFile, `${JSON.stringify(latest, null, 2)}\n`);
  const w = Math.max(...figures.map((f) => `${f.suite} / ${f.name}`.length));
  for (const f of figures) console.log(`${`${f.suite} / ${f.name}`.padEnd(w)}  ${f.value.toPrecision(4).padStart(10)} ${f.unit}${f.note ? `  (${f.note})` : ''}`);
  console.log(`\nwrote ${file} and ${latestFile}`);
}

void main();
