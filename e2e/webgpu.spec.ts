import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';

// With --enable-unsafe-webgpu, headless Chromium exposes a (software) WebGPU adapter: the app must pick it first.
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu', '--enable-features=Vulkan'] } });

test('prefers WebGPU when an adapter exists', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 45_000 });
  await expect(page.getByRole('alert', { name: 'Backend fallback' })).toBeHidden();
});
