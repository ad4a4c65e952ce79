import { expect, test } from '@playwright/test';
import { setRun } from './helpers';

test('a short GRPO run on the base policy streams curves and rollouts while the page stays usable', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/train');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await setRun(page, { samples: 4, steps: 3, group: 2, prompts: 1, maxTokens: 24 });
  await page.getByRole('button', { name: 'Start training' }).click();
  const status = page.getByRole('status', { name: 'Run status' });
  await expect(status).toContainText('running');
  // The UI answers while the worker trains: switching views is immediate.
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Current policy' })).toBeVisible({ timeout: 2_000 });
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(status).toContainText('finished', { timeout: 200_000 });
  await expect(status).toContainText('step 3');
  await expect(page.getByRole('table', { name: 'Latest metrics' })).toContainText('frac_reward_zero_std');
  await expect(page.getByRole('table', { name: 'Rollouts' }).locator('tbody tr')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
  // Memory: the estimate before a run, what the steps left in use after it.
  await expect(page.getByLabel('Memory', { exact: true })).toContainText(/about \d+ MB of tensors per step .*In use after step 3: \d+ MB of tensors/);
});

test('a run whose steps will not fit in memory is refused with the reason and the micro-batch size that fits', async ({ page }) => {
  await page.goto('/#/train');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByLabel('Prompts per step').fill('16');
  await page.getByText('All GRPO settings').click();
  await page.getByLabel('Micro-batch size').fill('0');
  const problem = page.getByRole('alert', { name: 'Memory problem' });
  await expect(problem).toContainText(/needs about \d+\.\d GB .* Set the micro-batch size to \d+ or fewer/);
  await expect(page.getByRole('button', { name: 'Start training' })).toBeDisabled();
  await page.getByLabel('Micro-batch size').fill('8');
  await expect(problem).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
});
