/** Model benchmark figures for the JSON report and table: Node backends directly, browsers via Playwright. */
import { type ModelBenchResult, runModelBench } from '../../src/core/bench/modelBench';
import type { BenchFigure } from '../bench';
import { useNodeBackend } from '../tfNode';
import { runBrowserBench } from './browserBench';

export function modelFigures(where: string, r: ModelBenchResult): BenchFigure[] {
  const suite = `model ${r.config} (${(r.parameters / 1e6).toFixed(2)}M params) ${where} ${r.backend}`;
  const f: BenchFigure[] = [{ suite, name: 'rollout with KV cache (G=8, 48 tokens)', value: r.rolloutTokensPerSecCached, unit: 'tokens/s' }];
  if (r.rolloutTokensPerSecUncached !== null) {
    f.push({ suite, name: 'rollout without cache', value: r.rolloutTokensPerSecUncached, unit: 'tokens/s' });
    f.push({ suite, name: 'cache speed-up', value: r.cacheSpeedup as number, unit: '×', note: 'target ≥ 5 on wasm' });
  }
  f.push(
    { suite, name: 'train step (32 sequences, fwd+bwd+Adam)', value: r.trainStepMs, unit: 'ms' },
    { suite, name: 'train step effective rate', value: r.trainStepGflops, unit: 'GFLOP/s' },
    { suite, name: 'plain matMul rate (same run)', value: r.matMulGflops, unit: 'GFLOP/s' },
    { suite, name: 'train step / matMul', value: 100 * r.trainEfficiency, unit: '%', note: 'target ≥ 40 on wasm' },
  );
  if (r.peakTensorMB !== null) f.push({ suite, name: 'peak tensor memory (tfjs accounting)', value: r.peakTensorMB, unit: 'MB' });
  if (r.wasmHeapMB !== null) f.push({ suite, name: 'WASM heap after run', value: r.wasmHeapMB, unit: 'MB' });
  return f;
}

export async function benchModelsNode(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  // BENCH_BACKENDS=wasm limits the suite (the pure-JS cpu backend takes minutes on the base size).
  const only = process.env.BENCH_BACKENDS?.split(',');
  for (const backend of (['wasm', 'cpu'] as const).filter((b) => !only || only.includes(b))) {
    await useNodeBackend(backend);
    for (const config of ['tiny', 'base'] as const) {
      console.error(`bench: node ${backend} ${config}…`);
      // The pure-JS cpu backend needs minutes for one uncached base rollout; its cache speed-up is measured on tiny.
      const r = await runModelBench({ config, repeats: backend === 'cpu' && config === 'base' ? 1 : 2, uncached: !(backend === 'cpu' && config === 'base') });
      figures.push(...modelFigures('node', r));
    }
  }
  return figures;
}

export async function benchModelsBrowser(): Promise<BenchFigure[]> {
  return (await runBrowserBench()).flatMap((r) => modelFigures('chromium', r));
}
