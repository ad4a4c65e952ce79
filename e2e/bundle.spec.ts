import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import { createDataset, drawBox, setRun } from './helpers';

const photo = (name: string) => readFileSync(`examples/photos/${name}`);

test.use({ viewport: { width: 1600, height: 1000 } });

test('a run exports as a bundle; with storage cleared, the bundle opens with the same curves and rollouts, and its model and dataset come back', async ({ page }, info) => {
  test.setTimeout(300_000);
  await createDataset(page, 'Espresso photos');
  await page.getByLabel('Image files').setInputFiles([
    { name: 'coffee.jpg', mimeType: 'image/jpeg', buffer: photo('coffee.jpg') },
    { name: 'chelsea.jpg', mimeType: 'image/jpeg', buffer: photo('chelsea.jpg') },
  ]);
  await page.getByLabel('New class name').fill('espresso');
  await page.getByLabel('New class name').press('Enter');
  await page.getByRole('region', { name: 'Classes' }).getByRole('button', { name: /espresso/ }).click();
  await page.getByRole('listbox', { name: 'Image thumbnails' }).getByRole('option', { name: /coffee\.jpg/ }).click();
  await drawBox(page, [0.29, 0.05], [0.68, 0.75], { width: 600, height: 400 });
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByLabel('Training data').selectOption({ label: 'Dataset: Espresso photos (detection, 2 images)' });
  await setRun(page, { steps: 2, group: 2, prompts: 1, maxTokens: 24 });
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('finished', { timeout: 240_000 });
  const metrics = await page.getByRole('table', { name: 'Latest metrics' }).innerText();
  const rollouts = await page.getByRole('table', { name: 'Rollouts' }).textContent();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export run bundle' }).click();
  const file = info.outputPath('run.bundle.zip');
  await (await download).saveAs(file);
  expect((await download).suggestedFilename()).toBe('Espresso-photos-RFT-2.bundle.zip');

  // A new visitor: nothing of the run in this browser.
  await page.evaluate(async () => {
    localStorage.clear();
    await new Promise((resolve) => {
      const req = indexedDB.deleteDatabase('visual-rft-workbench');
      req.onsuccess = req.onerror = req.onblocked = resolve;
    });
  });
  await page.reload();
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Latest metrics' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByRole('row', { name: /Espresso/ })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Train' }).click();

  // A damaged file is refused with the reason, and nothing changes.
  await page.getByLabel('Open a run bundle').setInputFiles({ name: 'cut.bundle.zip', mimeType: 'application/zip', buffer: readFileSync(file).subarray(0, 2000) });
  await expect(page.getByRole('alert', { name: 'Bundle problem' })).toContainText('cut.bundle.zip: not a complete zip');
  await expect(page.getByRole('table', { name: 'Latest metrics' })).toHaveCount(0);

  await page.getByLabel('Open a run bundle').setInputFiles(file);
  const opened = page.getByRole('region', { name: 'Opened bundle' });
  await expect(opened).toContainText('Espresso photos · RFT · 2, RFT on dataset “Espresso photos”, 2 steps, from base policy');
  await expect(page.getByRole('alert', { name: 'Bundle problem' })).toHaveCount(0);
  await expect.poll(() => page.getByRole('table', { name: 'Latest metrics' }).innerText()).toBe(metrics);
  await expect.poll(() => page.getByRole('table', { name: 'Rollouts' }).textContent()).toBe(rollouts);
  await expect(page.getByRole('figure', { name: 'Chart: Reward (mean and group std)' })).toBeVisible();
  // The pictures come from the bundle's dataset.
  await expect(page.getByRole('img', { name: /^Prompt 1: \d true box\(es\)/ })).toBeVisible();

  // A launch kit for GPU engines: the dataset in their formats, their configs, the reward function, the README.
  const kitDownload = page.waitForEvent('download');
  await opened.getByRole('button', { name: 'Export launch kit (EasyR1, VLM-R1)' }).click();
  const kit = unzipSync(readFileSync(await (await kitDownload).path()));
  expect(Object.keys(kit)).toEqual(expect.arrayContaining(['launch-kit/README.md', 'launch-kit/easyr1/config.yaml', 'launch-kit/easyr1/reward_function/visual_rft.py', 'launch-kit/vlm-r1/run_grpo.sh', 'launch-kit/data/vlm-r1/train.jsonl', 'launch-kit/data/images/coffee.jpg']));
  expect(new TextDecoder().decode(kit['launch-kit/easyr1/config.yaml'])).toContain('    n: 2\n');

  // Resume training from here: the model and the dataset come back, the form holds the run's settings.
  await opened.getByRole('button', { name: 'Resume training from here' }).click();
  await expect(page.getByRole('status', { name: 'Bundle notice' })).toContainText('press Start training', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('Espresso photos · RFT · 2');
  await expect(page.getByLabel('Training data')).toHaveValue(/.+/);
  await expect(page.getByLabel('Training data').locator('option:checked')).toHaveText('Dataset: Espresso photos (detection, 2 images)');
  await expect(page.getByLabel('Completions per prompt (G)')).toHaveValue('2');
  await expect(page.getByLabel('Max completion tokens')).toHaveValue('24');
});
