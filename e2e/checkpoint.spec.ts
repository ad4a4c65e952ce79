import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

test('a policy downloads as a checkpoint file and loads back; a corrupt file is refused with a reason', async ({ page }, testInfo) => {
  await page.goto('/#/models');
  await page.getByRole('button', { name: 'New untrained tiny policy' }).click();
  const params = page.getByTestId('policy-parameters');
  await expect(params).not.toBeEmpty();
  const count = await params.textContent();

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download checkpoint' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.vrft$/);
  const file = testInfo.outputPath('policy.vrft');
  await download.saveAs(file);

  await page.reload();
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
