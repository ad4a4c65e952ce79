/**
 * The `threads` suite: the base policy's training step (32 sequences in micro-batches of 8, the Models view
 * benchmark) in headless Chromium on WASM with 1 thread, with 2 WASM threads in one worker, and with 2 gradient
 * workers of one thread each (Models view, "Use the threads as"), the page cross-origin isolated (vite preview
 * sends COOP/COEP). Each setting is a fresh page whose saved settings ask for it. Run it on an otherwise idle
 * machine: a busy core slows the two-core steps more than the one-thread one.
 */
import { chromium } from '@playwright/test';
import { gotoWhenServing, startPreview } from '../previewServer';
import type { ModelBenchResult } from '../../src/core/bench/modelBench';
import type { BenchFigure } from '../bench';

const PORT = 4176;
/** Timed steps per thread count (after a warm-up): single steps vary by ±15 % here. */
const REPEATS = 4;

async function stepAt(threads: number, browser: import('@playwright/test').Browser, parallel: 'threads' | 'workers' = 'threads'): Promise<{ result: ModelBenchResult; reported: string }> {
  const context = await browser.newContext();
  await context.addInitScript(([n, p]) => localStorage.setItem('vrft.settings.v1', JSON.stringify({ backend: 'wasm', wasmThreads: n, wasmParallel: p })), [threads, parallel] as const);
  const page = await context.newPage();
  await gotoWhenServing(page, `http://127.0.0.1:${PORT}/#/models`);
  await page.getByTestId('backend-name').filter({ hasText: /^wasm$/ }).waitFor({ timeout: 60_000 });
  const reported = (await page.getByRole('status', { name: 'WASM threads in use' }).textContent()) ?? '';
  await page.getByRole('checkbox', { name: /Include the rollout without cache/ }).setChecked(false);
  await page.getByLabel('Timed repeats').fill(String(REPEATS));
  await page.getByRole('button', { name: 'Benchmark base' }).click();
  const row = page.getByRole('table', { name: 'Benchmark results' }).locator('tbody tr').first();
  await row.waitFor({ timeout: 20 * 60_000 });
  const result = JSON.parse((await row.getAttribute('data-result')) as string) as ModelBenchResult;
  await context.close();
  return { result, reported };
}

export async function benchThreads(): Promise<BenchFigure[]> {
  const server = startPreview(PORT);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    // Alternating pages (1, 2 threads, 2 workers, and again) and the faster of each pair: single pages vary by ±15 % here.
    const best = (a: Awaited<ReturnType<typeof stepAt>>, b: Awaited<ReturnType<typeof stepAt>>) => (a.result.trainStepMs <= b.result.trainStepMs ? a : b);
    const first = [await stepAt(1, browser), await stepAt(2, browser), await stepAt(2, browser, 'workers')];
    const one = best(first[0], await stepAt(1, browser));
    const two = best(first[1], await stepAt(2, browser));
    const workers = best(first[2], await stepAt(2, browser, 'workers'));
    if (workers.result.trainWorkers !== 2) throw new Error(`the workers page computed on ${workers.result.trainWorkers} worker(s), not 2: ${workers.reported}`);
    const suite = 'threads';
    const flops = one.result.trainStepGflops * one.result.trainStepMs; // the step's work, the same on every page
    return [
      { suite, name: 'step-1-thread-ms', value: one.result.trainStepMs, unit: 'ms', note: `Chromium wasm, base SFT step on 32 sequences in micro-batches of 8, mean of ${REPEATS}, faster of two pages; ${one.reported}` },
      { suite, name: 'step-2-threads-ms', value: two.result.trainStepMs, unit: 'ms', note: `Chromium wasm, 2 WASM threads in one worker; ${two.reported}` },
      { suite, name: 'step-2-workers-ms', value: workers.result.trainStepMs, unit: 'ms', note: `Chromium wasm, 2 gradient workers of 1 thread each; ${workers.reported}` },
      { suite, name: 'step-2-threads-over-1', value: two.result.trainStepMs / one.result.trainStepMs, unit: '×', note: 'WASM threads; target ≤ 0.6 on a 2-core machine' },
      { suite, name: 'step-2-workers-over-1', value: workers.result.trainStepMs / one.result.trainStepMs, unit: '×', note: 'gradient workers; target ≤ 0.6 on a 2-core machine' },
      { suite, name: 'matmul-1-thread-gflops', value: one.result.matMulGflops, unit: 'GFLOP/s' },
      { suite, name: 'matmul-2-threads-gflops', value: two.result.matMulGflops, unit: 'GFLOP/s' },
      { suite, name: 'step-efficiency-1-thread', value: one.result.trainEfficiency, unit: '×', note: "the step's FLOP rate over the same page's matMul rate" },
      { suite, name: 'step-efficiency-2-threads', value: two.result.trainEfficiency, unit: '×', note: "2 WASM threads: the step's FLOP rate over the same page's 2-thread matMul rate (target ≥ 0.5)" },
      {
        suite,
        name: 'step-efficiency-2-workers',
        value: flops / workers.result.trainStepMs / two.result.matMulGflops,
        unit: '×',
        note: `2 gradient workers: the step's FLOP rate over the 2-thread matMul rate (target ≥ 0.5); over twice the 1-thread rate (perfect scaling): ${(flops / workers.result.trainStepMs / (2 * one.result.matMulGflops)).toFixed(2)}`,
      },
    ];
  } finally {
    await browser.close();
    server.stop();
  }
}
