import { expect, test } from '@playwright/test';

test('training uses every core the browser reports, as workers or as WASM threads, and both are settings applied on reload', async ({ page }) => {
  await page.goto('/#/models');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const badge = page.getByRole('status', { name: 'TensorFlow.js backend' });
  const inUse = page.getByRole('status', { name: 'WASM threads in use' });
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 30_000 });
  // By default the cores go to gradient workers (one per core), WASM on one thread each.
  await expect(page.getByLabel('Use the threads as')).toHaveValue('workers');
  if (cores > 1) {
    await expect(badge).toContainText(`${cores} workers`);
    await expect(inUse).toContainText(`Training updates run on ${cores} workers`);
  } else await expect(badge).toContainText('1 thread');
  await page.getByLabel('Use the threads as').selectOption('threads');
  await expect(page.getByText('the new setting applies after a reload')).toBeVisible();
  await page.getByRole('button', { name: 'Reload now' }).click();
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 30_000 });
  await expect(badge).toContainText(cores === 1 ? '1 thread' : `${cores} threads`);
  await expect(inUse).toContainText(`WASM runs on ${cores}`);
  await page.getByLabel('WASM threads', { exact: true }).selectOption('1');
  await expect(page.getByText('the new setting applies after a reload')).toBeVisible();
  await page.getByRole('button', { name: 'Reload now' }).click();
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 30_000 });
  await expect(badge).toContainText('1 thread');
  await expect(page.getByLabel('WASM threads', { exact: true })).toHaveValue('1');
  await expect(page.getByText('the new setting applies after a reload')).toHaveCount(0);
});

test('a page served without the isolation headers falls back to one thread and says why', async ({ page }) => {
  // The same server, with COOP/COEP removed from every response: the page is not cross-origin isolated.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  // Once: the reload below keeps what the page then saves.
  await page.addInitScript(() => localStorage.getItem('vrft.settings.v1') ?? localStorage.setItem('vrft.settings.v1', JSON.stringify({ wasmParallel: 'threads' })));
  await page.goto('/#/models');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 30_000 });
  await expect(page.getByRole('status', { name: 'TensorFlow.js backend' })).toContainText('1 thread');
  await expect(page.getByRole('status', { name: 'WASM threads in use' })).toContainText('not cross-origin isolated');
  // Training and inference still work on the single-threaded build.
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  // Workers need no shared memory: given to workers, the cores still compute in parallel without isolation.
  await page.getByLabel('Use the threads as').selectOption('workers');
  await page.getByRole('button', { name: 'Reload now' }).click();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores > 1) await expect(page.getByRole('status', { name: 'TensorFlow.js backend' })).toContainText(`${cores} workers`, { timeout: 30_000 });
});
