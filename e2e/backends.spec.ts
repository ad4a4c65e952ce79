import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';

// A software WebGPU adapter (--enable-unsafe-webgpu) and SwiftShader WebGL give every backend to the check.
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu', '--enable-features=Vulkan'] } });

test('a tiny generation on webgpu, wasm and webgl matches the CPU log-probs within the stated tolerance', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/models');
  await expect(page.getByTestId('backend-name')).toHaveText(/webgpu|wasm/);
  await page.getByRole('button', { name: 'Run backend check' }).click();
  const table = page.getByRole('table', { name: 'Backend check results' });
  await expect(table).toBeVisible({ timeout: 150_000 });
  await expect(page.getByText('(tolerance 0.001)')).toBeVisible();
  for (const backend of ['webgpu', 'wasm', 'webgl']) {
    const row = table.locator(`tr[data-backend="${backend}"]`);
    await expect(row.getByRole('cell').first()).toHaveText('agrees');
    await expect(row.getByRole('cell').nth(1)).toHaveText('yes');
    // The vision tower's features agree with the CPU's within 1 % of their largest value.
    await expect(row.getByRole('cell').nth(4)).toHaveText(/^agrees \(\d\.\de-\d+ of the largest value\)$/);
  }
  // The check restores the backend that was active before it.
  await expect(page.getByTestId('backend-name')).toHaveText(/webgpu|wasm/);
});

test('with only a software WebGPU adapter, the automatic choice runs WASM and says why', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 30_000 });
  await expect(page.getByRole('alert').filter({ hasText: 'software' })).toContainText('50× slower than WASM');
});
