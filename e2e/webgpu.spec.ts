import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';

// With --enable-unsafe-webgpu, headless Chromium exposes a software (SwiftShader) WebGPU adapter. The automatic
// choice skips it (backends.spec.ts); picked by hand, WebGPU runs on it.
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu', '--enable-features=Vulkan'] } });

test('WebGPU on a software adapter can still be picked by hand', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 45_000 });
  await page.getByRole('combobox', { name: 'Choose backend' }).selectOption('webgpu');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 45_000 });
  await expect(page.getByRole('alert', { name: 'Backend fallback' })).toBeHidden();
});
