import { expect, test } from '@playwright/test';

test.describe('app shell', () => {
  test('opens on the workbench and shows the backend it runs on', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Visual-RFT Workbench' })).toBeVisible();
    const badge = page.getByRole('status', { name: 'TensorFlow.js backend' });
    await expect(badge).toContainText(/Backend: (webgpu|wasm|webgl|cpu)/);
  });

  test('falls back from WebGPU with a visible reason when no adapter exists', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('backend-name')).toHaveText('wasm');
    const notice = page.getByRole('alert', { name: 'Backend fallback' });
    await expect(notice).toContainText('WebGPU is unavailable');
    await notice.getByRole('button', { name: 'Dismiss backend notice' }).click();
    await expect(notice).toBeHidden();
  });

  test('lets the user choose another backend and remembers the choice', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('backend-name')).toHaveText(/wasm|webgpu/);
    await page.getByRole('combobox', { name: 'Choose backend' }).selectOption('cpu');
    await expect(page.getByTestId('backend-name')).toHaveText('cpu');
    await page.reload();
    await expect(page.getByTestId('backend-name')).toHaveText('cpu');
    await expect(page.getByRole('combobox', { name: 'Choose backend' })).toHaveValue('cpu');
    await page.getByRole('combobox', { name: 'Choose backend' }).selectOption('auto');
    await expect(page.getByTestId('backend-name')).toHaveText(/wasm|webgpu/);
  });

  test('has four views, each with its heading', async ({ page }) => {
    await page.goto('/');
    const tabs = page.getByRole('tablist', { name: 'Workbench views' }).getByRole('tab');
    await expect(tabs).toHaveText(['Datasets', 'Train', 'Compare', 'Models']);
    const headings: Record<string, string> = { Datasets: 'Datasets', Train: 'New run', Compare: 'Compare models', Models: 'Current policy' };
    for (const [name, heading] of Object.entries(headings)) {
      await page.getByRole('tab', { name }).click();
      await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
      const panel = page.getByRole('tabpanel');
      await expect(panel.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    }
    await page.getByRole('tab', { name: 'Models' }).press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Datasets' })).toHaveAttribute('aria-selected', 'true');
    await page.goto('/#/compare');
    await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  });
});
