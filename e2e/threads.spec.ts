import { expect, test } from '@playwright/test';

test('WASM runs on every core the browser reports, and the thread count is a setting applied on reload', async ({ page }) => {
  await page.goto('/#/models');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const badge = page.getByRole('status', { name: 'TensorFlow.js backend' });
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 30_000 });
  await expect(badge).toContainText(cores === 1 ? '1 thread' : `${cores} threads`);
  await expect(page.getByRole('status', { name: 'WASM threads in use' })).toContainText(`WASM runs on ${cores}`);
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
  await page.goto('/#/models');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 30_000 });
  await expect(page.getByRole('status', { name: 'TensorFlow.js backend' })).toContainText('1 thread');
  await expect(page.getByRole('status', { name: 'WASM threads in use' })).toContainText('not cross-origin isolated');
  // Training and inference still work on the single-threaded build.
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
});
