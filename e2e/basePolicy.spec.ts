import { expect, test } from '@playwright/test';

test('the shipped base policy loads at start with no network beyond the app', async ({ page, baseURL }) => {
  const external: string[] = [];
  const origin = new URL(baseURL!).origin;
  page.on('request', (r) => {
    if (!r.url().startsWith(`${origin}/`) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) external.push(r.url());
  });
  await page.goto('/#/models');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await expect(page.getByLabel('Policy summary')).toContainText('base policy');
  expect(Number((await page.getByTestId('policy-parameters').textContent())?.replaceAll(',', ''))).toBeGreaterThan(500_000);
  expect(external).toEqual([]);
});

test('a missing base policy gives a clear message, not a blank page', async ({ page }) => {
  await page.route('**/models/base/model.vrft', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/#/models');
  await expect(page.getByRole('heading', { name: 'Visual-RFT Workbench' })).toBeVisible();
  const region = page.getByRole('region', { name: 'Current policy' });
  await expect(region.getByRole('alert')).toContainText('The base policy could not be loaded');
  await expect(region.getByRole('alert')).toContainText('npm run pretrain');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('not loaded');
});

test('a corrupt base policy gives a clear message', async ({ page }) => {
  await page.route('**/models/base/model.vrft', (route) => route.fulfill({ status: 200, body: Buffer.from('VRFTCKPT\u00ff\u00ff\u00ff\u00ffgarbage') }));
  await page.goto('/#/models');
  await expect(page.getByRole('region', { name: 'Current policy' }).getByRole('alert')).toContainText('invalid checkpoint');
});

test('the base policy can be evaluated on a held-out world set in the browser', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/#/models');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByRole('region', { name: 'Evaluate' }).getByLabel('Task').selectOption('grounding');
  await page.getByRole('button', { name: 'Evaluate 32 samples' }).click();
  const metrics = page.getByRole('table', { name: 'Evaluation metrics' });
  await expect(metrics).toContainText('acc50', { timeout: 100_000 });
  await expect(metrics).toContainText('reward format');
  await expect(page.getByRole('table', { name: 'Evaluation examples' }).locator('tbody tr')).toHaveCount(6);
});
