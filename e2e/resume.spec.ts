import { expect, test } from '@playwright/test';

test('a reload in the middle of training loses nothing: the run resumes from its last snapshot', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/train');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByLabel('Method').selectOption('sft');
  await page.getByLabel('Training samples').fill('4');
  await page.getByLabel('Steps').fill('30');
  await page.getByRole('button', { name: 'Start training' }).click();
  const status = page.getByRole('status', { name: 'Run status' });
  await expect(status).toContainText(/step ([4-9]|\d\d)/, { timeout: 120_000 });
  await page.reload();
  const banner = page.getByRole('alert', { name: 'Unfinished run' });
  await expect(banner).toContainText(/stopped at step \d+ of 30/);
  await banner.getByRole('button', { name: /Resume from step/ }).click();
  await expect(status).toContainText('finished', { timeout: 180_000 });
  await expect(status).toContainText('step 30');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'New run' })).toBeVisible();
  await expect(page.getByRole('alert', { name: 'Unfinished run' })).toBeHidden();
});
