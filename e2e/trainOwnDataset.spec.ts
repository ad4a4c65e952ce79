import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createDataset, drawBox, setRun } from './helpers';

/** Openly licensed real photos (scikit-image's sample data, CC0: examples/photos/photos.json). */
const photo = (name: string) => readFileSync(`examples/photos/${name}`);



test.describe('training on your own dataset', () => {
  test.use({ viewport: { width: 1600, height: 1000 } });

  test('label real photos, then train RFT on them: curves move and the new class word joins the vocabulary', async ({ page }) => {
    test.setTimeout(300_000);
    await createDataset(page, 'Espresso photos');
    await page.getByLabel('Image files').setInputFiles([
      { name: 'coffee.jpg', mimeType: 'image/jpeg', buffer: photo('coffee.jpg') },
      { name: 'chelsea.jpg', mimeType: 'image/jpeg', buffer: photo('chelsea.jpg') },
    ]);
    await expect(page.getByRole('listbox', { name: 'Image thumbnails' }).getByRole('option')).toHaveCount(2);
    await page.getByLabel('New class name').fill('espresso');
    await page.getByLabel('New class name').press('Enter');
    await page.getByRole('region', { name: 'Classes' }).getByRole('button', { name: /espresso/ }).click();
    await page.getByRole('listbox', { name: 'Image thumbnails' }).getByRole('option', { name: /coffee\.jpg/ }).click();
    await drawBox(page, [0.29, 0.05], [0.68, 0.75], { width: 600, height: 400 });
    await expect(page.getByRole('region', { name: 'Boxes' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');

    await page.getByRole('tab', { name: 'Train' }).click();
    await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
    await page.getByLabel('Training data').selectOption({ label: 'Dataset: Espresso photos (detection, 2 images)' });
    const check = page.getByLabel('Dataset check');
    await expect(check).toContainText('detection: 2 training examples from the train split');
    await expect(check).toContainText('1 train image has no boxes: they are trained as negatives');
    // World-only fields are gone; the run uses the dataset's own task.
    await expect(page.getByLabel('Training samples')).toHaveCount(0);
    await setRun(page, { steps: 2, group: 2, prompts: 1, maxTokens: 24 });
    await page.getByRole('button', { name: 'Start training' }).click();
    const status = page.getByRole('status', { name: 'Run status' });
    await expect(page.getByLabel('New words')).toContainText('espresso', { timeout: 60_000 });
    await expect(status).toContainText('finished', { timeout: 240_000 });
    await expect(status).toContainText('step 2');
    await expect(page.getByRole('table', { name: 'Latest metrics' })).toContainText('rewards/accuracy_iou/mean');
    await expect(page.getByRole('table', { name: 'Rollouts' }).locator('tbody tr')).toHaveCount(2);
    // Charts of every logged metric, smoothed; the inspector shows the step's picture with true and predicted boxes.
    await expect(page.getByRole('figure', { name: 'Chart: Reward (mean and group std)' })).toBeVisible();
    await expect(page.getByRole('figure', { name: 'Chart: KL to the reference' })).toBeVisible();
    await expect(page.getByLabel(/^Smoothing 0\.60/)).toHaveValue('0.6');
    await expect(page.getByRole('heading', { name: 'Rollout inspector: step 2' })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Prompt 1: \d true box\(es\)/ })).toBeVisible();
    await page.getByLabel('Step', { exact: true }).fill('1');
    await expect(page.getByRole('heading', { name: 'Rollout inspector: step 1' })).toBeVisible();

    // The run made a new model, current now; the base it started from is unchanged and still there.
    await expect(page.getByRole('status', { name: 'Policy' })).toContainText('Espresso photos · RFT · 2');
    await page.getByRole('tab', { name: 'Models' }).click();
    const trained = page.getByRole('row', { name: 'Model Espresso photos · RFT · 2' });
    await expect(trained).toContainText('current');
    await expect(trained).toContainText('RFT of “base policy”');
    await expect(trained).toContainText('on dataset “Espresso photos” (train), 2 steps');
    await page.reload();
    await expect(page.getByRole('row', { name: 'Model Espresso photos · RFT · 2' })).toBeVisible({ timeout: 30_000 });
    const base = page.getByRole('row', { name: 'Model base policy' });
    await expect(base).toContainText('current');
    await expect(base.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    // Making the trained model current again loads it from this browser's storage.
    await page.getByRole('row', { name: 'Model Espresso photos · RFT · 2' }).getByRole('button', { name: 'Make current' }).click();
    await expect(page.getByRole('status', { name: 'Policy' })).toContainText('Espresso photos · RFT · 2');
    await expect(page.getByLabel('Policy summary')).toContainText('Espresso photos · RFT · 2');
  });

  test('a dataset that cannot be trained on says why beside the choice, and Start stays off', async ({ page }) => {
    await createDataset(page, 'One class', 'classification');
    await page.getByLabel('Image files').setInputFiles([{ name: 'chelsea.jpg', mimeType: 'image/jpeg', buffer: photo('chelsea.jpg') }]);
    await expect(page.getByRole('listbox', { name: 'Image thumbnails' }).getByRole('option')).toHaveCount(1);
    await page.getByLabel('New class name').fill('cat');
    await page.getByLabel('New class name').press('Enter');
    await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Training data').selectOption({ label: 'Dataset: One class (classification, 1 image)' });
    await expect(page.getByLabel('Dataset check').getByRole('alert').first()).toContainText('classification needs at least two classes');
    await expect(page.getByRole('button', { name: 'Start training' })).toBeDisabled();
  });
});

test('a reload in the middle of a dataset run resumes it: the curve stays whole and KL stays continuous', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/#/datasets');
  await page.getByRole('region', { name: 'Start here' }).getByRole('button', { name: 'Make a starter set and open Train' }).click();
  await expect(page.getByLabel('Dataset check')).toContainText('training examples', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await setRun(page, { steps: 12, group: 2, prompts: 1, maxTokens: 32 });
  await page.getByRole('button', { name: 'Start training' }).click();
  const status = page.getByRole('status', { name: 'Run status' });
  await expect(status).toContainText(/step ([4-9]|1\d) of 12/, { timeout: 120_000 });
  await page.reload();
  const banner = page.getByRole('alert', { name: 'Unfinished run' });
  await expect(banner).toContainText(/stopped at step \d+ of 12/);
  const stoppedAt = Number((await banner.textContent())!.match(/stopped at step (\d+)/)![1]);
  await banner.getByRole('button', { name: /Resume from step/ }).click();
  await expect(status).toContainText('finished', { timeout: 240_000 });
  // The stored model's curves: every step once, and KL after the resume in line with KL before it.
  const history = await page.evaluate(
    () =>
      new Promise<{ step: number; kl?: number }[]>((resolve, reject) => {
        const open = indexedDB.open('visual-rft-workbench');
        open.onsuccess = () => {
          const req = open.result.transaction('checkpoints').objectStore('checkpoints').getAll();
          req.onsuccess = () => resolve((req.result as { provenance: { history: { step: number; kl?: number }[] } }[]).at(-1)!.provenance.history);
          req.onerror = () => reject(req.error);
        };
      }),
  );
  const steps = history.map((h) => h.step).filter((s) => s > 0);
  expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  const kl = history.filter((h) => h.step > 0).map((h) => h.kl ?? 0);
  const before = Math.max(...kl.slice(0, stoppedAt));
  expect(kl[stoppedAt], `KL ${JSON.stringify(kl)} resumed after step ${stoppedAt}`).toBeLessThan(10 * before + 0.05);
});

test('presets set the experiment suites’ settings, and every other trainer setting shows its default', async ({ page }) => {
  await page.goto('/#/train');
  await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name: 'Experiment suite' }).click();
  await expect(page.getByLabel('Completions per prompt (G)')).toHaveValue('8');
  await expect(page.getByLabel('Prompts per step')).toHaveValue('4');
  await expect(page.getByLabel('Steps')).toHaveValue('80');
  await page.getByText('All GRPO settings').click();
  await expect(page.getByLabel('Loss aggregation')).toHaveValue('grpo');
  await expect(page.getByText('how per-token losses are averaged: grpo, bnpo, dr_grpo, dapo; default grpo')).toBeVisible();
  await page.getByLabel('Loss aggregation').selectOption('dr_grpo');
  await expect(page.getByLabel('Weight of accuracy_iou')).toHaveValue('1');
  await expect(page.getByLabel('Reward mode')).toHaveValue('reference');
});

test('a newcomer’s first minute: Start here makes a starter set and opens Train, where curves move', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/datasets');
  await page.getByRole('region', { name: 'Start here' }).getByRole('button', { name: 'Make a starter set and open Train' }).click();
  await expect(page.getByRole('heading', { name: 'New run' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Training data')).toHaveValue(/.+/);
  await expect(page.getByLabel('Dataset check')).toContainText('detection: 36 training examples');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByLabel('Steps').fill('2');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('figure', { name: 'Chart: Reward (mean and group std)' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'Latest metrics' })).toContainText('eval/map');
});
