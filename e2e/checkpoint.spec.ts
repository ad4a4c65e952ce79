import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

test('a policy downloads as a checkpoint file and loads back; a corrupt file is refused with a reason', async ({ page }, testInfo) => {
  await page.goto('/#/models');
  // The base policy loads at start; wait for it, so the tiny policy below is what gets downloaded.
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByRole('button', { name: 'New untrained tiny policy' }).click();
  await expect(page.getByLabel('Policy summary')).toContainText('untrained tiny');
  const params = page.getByTestId('policy-parameters');
  const count = await params.textContent();

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download checkpoint' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.vrft$/);
  const file = testInfo.outputPath('policy.vrft');
  await download.saveAs(file);

  await page.reload();
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByLabel('Load checkpoint file').setInputFiles(file);
  await expect(page.getByLabel('Policy summary')).toContainText('policy.vrft');
  await expect(params).toHaveText(count as string);

  const corrupt = testInfo.outputPath('corrupt.vrft');
  const bytes = readFileSync(file);
  writeFileSync(corrupt, bytes.subarray(0, bytes.length - 100));
  await page.getByLabel('Load checkpoint file').setInputFiles(corrupt);
  await expect(page.getByRole('region', { name: 'Current policy' }).getByRole('alert')).toContainText('invalid checkpoint: weights truncated');
  await expect(page.getByLabel('Policy summary')).toContainText('policy.vrft');
});
