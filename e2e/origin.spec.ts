import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { setRun } from './helpers';

test('a full visit (load, label, train, try) requests nothing from another origin and breaks no Content-Security-Policy rule', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:')) foreign.push(u);
  });
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto('/#/datasets');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  // Label: a dataset with one photo and one box.
  const form = page.getByRole('form', { name: 'New dataset' });
  await form.getByLabel('Name').fill('Origin check');
  await form.getByRole('button', { name: 'Create dataset' }).click();
  await page.getByLabel('Image files').setInputFiles([{ name: 'coffee.jpg', mimeType: 'image/jpeg', buffer: readFileSync('examples/photos/coffee.jpg') }]);
  await page.getByLabel('New class name').fill('cup');
  await page.getByLabel('New class name').press('Enter');
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');
  // Train: a short world run.
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await setRun(page, { samples: 2, steps: 1, group: 2, prompts: 1 });
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('finished', { timeout: 120_000 });
  // Try: the policy on a world scene.
  await page.getByRole('tab', { name: 'Models' }).click();
  const card = page.getByRole('region', { name: 'Try the policy' });
  await card.getByRole('button', { name: 'Run the policy' }).click();
  await expect(card.getByLabel('Policy reasoning')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Explain the rewards' }).click();
  expect(foreign).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
