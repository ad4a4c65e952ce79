/**
 * The model benchmark in headless Chromium (wasm, webgl, webgpu): serves the production build, switches
 * backends with the header's picker and reads the Models view's benchmark rows. WebGPU and WebGL here run on
 * software renderers (SwiftShader): their figures show correctness of the path, not GPU speed.
 */
import { chromium } from '@playwright/test';
import { gotoWhenServing, startPreview } from '../previewServer';
import type { ModelBenchResult } from '../../src/core/bench/modelBench';

const PORT = 4175;
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--enable-features=Vulkan'];

export interface BrowserBenchPlan {
  backend: 'wasm' | 'webgl' | 'webgpu';
  configs: ('tiny' | 'base')[];
  /** Time the rollout without cache too (every step is a new shape: minutes of shader compiles on GPU backends). */
  uncached: boolean;
}

export const DEFAULT_BROWSER_PLAN: BrowserBenchPlan[] = [
  { backend: 'wasm', configs: ['tiny', 'base'], uncached: true },
  { backend: 'webgl', configs: ['tiny'], uncached: true },
  { backend: 'webgl', configs: ['base'], uncached: false },
  { backend: 'webgpu', configs: ['tiny', 'base'], uncached: false },
];

/** BENCH_BROWSER_BACKENDS=webgl,… limits the plan to some backends. */
export async function runBrowserBench(fullPlan = DEFAULT_BROWSER_PLAN): Promise<ModelBenchResult[]> {
  const only = process.env.BENCH_BROWSER_BACKENDS?.split(',');
  const plan = fullPlan.filter((p) => !only || only.includes(p.backend));
  const server = startPreview(PORT);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  const results: ModelBenchResult[] = [];
  try {
    const page = await browser.newPage();
    await gotoWhenServing(page, `http://127.0.0.1:${PORT}/#/models`);
    for (const { backend, configs, uncached } of plan) {
      await page.getByRole('checkbox', { name: /Include the rollout without cache/ }).setChecked(uncached);
      await page.getByRole('combobox', { name: 'Choose backend' }).selectOption(backend);
      await page.getByTestId('backend-name').filter({ hasText: new RegExp(`^${backend}$`) }).waitFor({ timeout: 60_000 });
      for (const config of configs) {
        const rows = page.getByRole('table', { name: 'Benchmark results' }).locator('tbody tr');
        const before = await rows.count().catch(() => 0);
        await page.getByRole('button', { name: `Benchmark ${config}` }).click();
        const failure = page.getByRole('region', { name: 'Benchmark' }).getByRole('alert');
        await Promise.race([rows.nth(before).waitFor({ timeout: 30 * 60_000 }), failure.waitFor({ timeout: 30 * 60_000 })]);
        if (await failure.isVisible()) {
          console.error(`bench: browser ${backend} ${config} failed: ${await failure.textContent()}`);
          await page.reload();
          continue;
        }
        results.push(JSON.parse((await rows.nth(before).getAttribute('data-result')) as string));
        console.error(`bench: browser ${backend} ${config} done`);
      }
    }
    await page.getByRole('combobox', { name: 'Choose backend' }).selectOption('auto');
  } finally {
    await browser.close();
    server.stop();
  }
  return results;
}
