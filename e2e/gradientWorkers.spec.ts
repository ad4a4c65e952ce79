import { type Page, expect, test } from '@playwright/test';
import { setRun } from './helpers';

/** The Latest metrics table of a finished run, without timings and memory (which differ between runs). */
async function runMetrics(page: Page, settings: Record<string, unknown>): Promise<Record<string, string>> {
  await page.addInitScript((s) => localStorage.setItem('vrft.settings.v1', JSON.stringify(s)), settings);
  await page.goto('/#/train');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  // 2 prompts × G = 8: 16 rows, two micro-batches of 8 — one computed here, one by the gradient worker.
  await setRun(page, { samples: 4, steps: 2, group: 8, prompts: 2, maxTokens: 24 });
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('finished', { timeout: 200_000 });
  const rows = await page.getByRole('table', { name: 'Latest metrics' }).locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(rows.filter(([k]) => !/time|memory|parallel/.test(k)));
}

test('with the threads given to workers, a run is shared between two workers and trains exactly as one worker does', async ({ browser }) => {
  test.setTimeout(300_000);
  const one = await browser.newContext();
  const alone = await runMetrics(await one.newPage(), { backend: 'wasm', wasmThreads: 1 });
  await one.close();

  const two = await browser.newContext();
  const page = await two.newPage();
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const shared = await runMetrics(page, { backend: 'wasm', wasmThreads: 2, wasmParallel: 'workers' });
  await expect(page.getByRole('status', { name: 'TensorFlow.js backend' })).toContainText('2 workers');
  await expect(page.getByLabel('Memory', { exact: true })).toContainText('Each update is shared with 1 gradient worker');
  await expect(page.getByRole('table', { name: 'Latest metrics' })).toContainText(/parallel\/workers\s*2/);
  await expect(page.getByRole('table', { name: 'Latest metrics' })).toContainText(/parallel\/parts_elsewhere\s*1/);
  // The page's ML worker and the gradient worker it started for the run.
  expect(workers.filter((u) => /gradientWorker/.test(u)).length, workers.join('\n')).toBeGreaterThan(0);
  expect(Object.keys(shared).length).toBeGreaterThan(8);
  expect(shared).toEqual(alone);
  expect(Number(alone.grad_norm)).toBeGreaterThan(0);

  // The setting is offered in the Models view, and says how the threads run.
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByLabel('Use the threads as')).toHaveValue('workers');
  await expect(page.getByRole('status', { name: 'WASM threads in use' })).toContainText('Training updates run on 2 workers');
  await two.close();
});
