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
/** Pages per setting, alternating. */
const PAGES = 3;

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
    // Alternating pages (1 thread, 2 WASM threads, 2 workers; three rounds) and the median page of each setting:
    // single pages vary by ±20 % here (a shared virtual machine), so one lucky or unlucky page must not decide.
    const rounds: Awaited<ReturnType<typeof stepAt>>[][] = [[], [], []];
    for (let r = 0; r < PAGES; r++) {
      rounds[0].push(await stepAt(1, browser));
      rounds[1].push(await stepAt(2, browser));
      rounds[2].push(await stepAt(2, browser, 'workers'));
    }
    const median = (pages: Awaited<ReturnType<typeof stepAt>>[]) => [...pages].sort((a, b) => a.result.trainStepMs - b.result.trainStepMs)[Math.floor(pages.length / 2)];
    const [one, two, workers] = rounds.map(median);
    const spread = (k: number) => rounds[k].map((p) => Math.round(p.result.trainStepMs)).join(', ');
    if (workers.result.trainWorkers !== 2) throw new Error(`the workers page computed on ${workers.result.trainWorkers} worker(s), not 2: ${workers.reported}`);
    const suite = 'threads';
    const flops = one.result.trainStepGflops * one.result.trainStepMs; // the step's work, the same on every page
    // "2 threads" is the two cores as the app uses them by default: two gradient workers (Models view, "Use the
    // threads as"); WASM's own two threads in one worker are the other way, named as such.
    return [
      { suite, name: 'step-1-thread-ms', value: one.result.trainStepMs, unit: 'ms', note: `Chromium wasm, base SFT step on 32 sequences in micro-batches of 8, mean of ${REPEATS} steps, median of ${PAGES} pages (${spread(0)} ms); ${one.reported}` },
      {
        suite,
        name: 'step-2-threads-ms',
        value: workers.result.trainStepMs,
        unit: 'ms',
        note: `Chromium wasm, two threads as the app uses them by default: 2 gradient workers of 1 WASM thread each, pages ${spread(2)} ms; the training worker waited ${Math.round(workers.result.trainWaitMs ?? 0)} ms a step for the other's parts after its own; ${workers.reported}`,
      },
      { suite, name: 'step-2-wasm-threads-ms', value: two.result.trainStepMs, unit: 'ms', note: `Chromium wasm, 2 WASM threads in one worker, pages ${spread(1)} ms; ${two.reported}` },
      { suite, name: 'step-2-over-1', value: workers.result.trainStepMs / one.result.trainStepMs, unit: '×', note: 'gradient workers (the default); target ≤ 0.6 on a 2-core machine' },
      { suite, name: 'step-2-wasm-threads-over-1', value: two.result.trainStepMs / one.result.trainStepMs, unit: '×', note: 'WASM threads in one worker' },
      { suite, name: 'matmul-1-thread-gflops', value: one.result.matMulGflops, unit: 'GFLOP/s' },
      { suite, name: 'matmul-2-threads-gflops', value: two.result.matMulGflops, unit: 'GFLOP/s', note: 'one matMul on 2 WASM threads' },
      { suite, name: 'step-efficiency-1-thread', value: one.result.trainEfficiency, unit: '×', note: "the step's FLOP rate over the same page's matMul rate" },
      {
        suite,
        name: 'step-efficiency-2-threads',
        value: flops / workers.result.trainStepMs / two.result.matMulGflops,
        unit: '×',
        note: `2 gradient workers (the default): the step's FLOP rate over the 2-thread matMul rate (target ≥ 0.5); over twice the 1-thread rate (perfect scaling): ${(flops / workers.result.trainStepMs / (2 * one.result.matMulGflops)).toFixed(2)}`,
      },
      { suite, name: 'step-efficiency-2-wasm-threads', value: two.result.trainEfficiency, unit: '×', note: "2 WASM threads: the step's FLOP rate over the same page's 2-thread matMul rate" },
    ];
  } finally {
    await browser.close();
    server.stop();
  }
}
