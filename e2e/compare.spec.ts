import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

test('compare the base with a model trained here: the metrics equal the scorer’s, disagreement sorts, export holds what is shown', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/#/datasets');
  await page.getByRole('region', { name: 'Start here' }).getByRole('button', { name: 'Make a starter set and open Train' }).click();
  await expect(page.getByLabel('Dataset check')).toContainText('held-out examples', { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await page.getByLabel('Steps').fill('3');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('finished', { timeout: 200_000 });

  await page.getByRole('tab', { name: 'Compare' }).click();
  const card = page.getByRole('region', { name: 'Compare models' });
  await card.getByRole('checkbox', { name: /· RFT · 3/ }).check();
  const option = card.getByLabel('Eval set').locator('option', { hasText: /^Dataset: Start here.*\(eval split\)$/ });
  await card.getByLabel('Eval set').selectOption({ label: (await option.textContent())! });
  await card.getByRole('button', { name: 'Compare' }).click();
  const table = card.getByRole('table', { name: 'Comparison metrics' });
  await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 200_000 });
  await expect(card.getByRole('button', { name: 'Compare' })).toBeEnabled({ timeout: 200_000 });
  await expect(table).toContainText('mAP');
  await card.getByLabel('Sort images by').selectOption('disagreement');
  const [file] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Export comparison (JSON)' }).click()]);
  const exported = JSON.parse(readFileSync((await file.path())!, 'utf8'));
  expect(exported.models).toHaveLength(2);
  expect(exported.examples).toHaveLength(18);
  // The scorer on the exported completions gives the metrics the table shows.
  const dir = mkdtempSync(join(tmpdir(), 'compare-'));
  const samples = exported.examples.map((e: { id: number; image_id: string; task: string; width: number; height: number; category: string; solution: string }) => JSON.stringify({ id: e.id, task: e.task, width: e.width, height: e.height, image_id: e.image_id, category: e.category, solution: e.solution }));
  writeFileSync(join(dir, 's.jsonl'), `${samples.join('\n')}\n`);
  for (const [k, m] of exported.models.entries()) {
    writeFileSync(join(dir, 'p.jsonl'), `${exported.examples.map((e: { id: number; models: { completion: string }[] }) => JSON.stringify({ id: e.id, completion: e.models[k].completion })).join('\n')}\n`);
    const scored = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/score.ts', '--samples', join(dir, 's.jsonl'), '--predictions', join(dir, 'p.jsonl'), '--json'], { encoding: 'utf8' }));
    expect(scored.metrics.detection.ap50).toBeCloseTo(m.metrics.detection.ap50, 10);
    await expect(table.locator('tbody tr').nth(k)).toContainText(`AP50 ${(100 * scored.metrics.detection.ap50).toFixed(1)}`);
  }
  // Sorted by disagreement: the first image shown is one where the two models' rewards differ most.
  const totals = (e: { models: { rewards: Record<string, number> }[] }) => e.models.map((m) => Object.values(m.rewards).reduce((a, b) => a + b, 0));
  const spread = (e: { models: { rewards: Record<string, number> }[] }) => { const t = totals(e); return Math.abs(t[0] - t[1]); };
  const best = Math.max(...exported.examples.map(spread));
  const first = Number((await card.getByRole('article').first().getAttribute('aria-label'))!.replace('Example ', '')) - 1;
  expect(spread(exported.examples[first])).toBeCloseTo(best, 10);
});

test('predictions files of real models on a samples file: the table equals npm run score; bad files are refused beside the inputs', async ({ page }, info) => {
  await page.goto('/#/compare');
  const card = page.getByRole('region', { name: 'Compare models' });
  const files = card.getByRole('group', { name: 'Files of real models' });
  await files.getByLabel('Samples file (scorer JSONL)').setInputFiles('examples/samples.jsonl');
  await files.getByLabel(/Add a predictions file/).setInputFiles({ name: 'broken.jsonl', mimeType: 'application/json', buffer: Buffer.from('{"id": "nope", "completion": "x"}\n') });
  await expect(files.getByRole('alert')).toContainText('broken.jsonl:1: unknown id "nope"');
  await files.getByLabel(/Add a predictions file/).setInputFiles('examples/predictions.jsonl');
  // A second "model": every answer empty.
  const ids = readFileSync('examples/samples.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
  await files.getByLabel(/Add a predictions file/).setInputFiles({ name: 'empty.jsonl', mimeType: 'application/json', buffer: Buffer.from(ids.map((id: string) => JSON.stringify({ id, completion: '' })).join('\n')) });
  await card.getByRole('checkbox', { name: 'base policy (shipped)' }).uncheck();
  await expect(card.getByLabel('Eval set')).toHaveValue(/samples/);
  await card.getByRole('button', { name: 'Compare' }).click();
  const table = card.getByRole('table', { name: 'Comparison metrics' });
  await expect(table.locator('tbody tr')).toHaveCount(2);
  const scored = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/score.ts', '--samples', 'examples/samples.jsonl', '--predictions', 'examples/predictions.jsonl', '--json'], { encoding: 'utf8' }));
  await expect(table.locator('tbody tr').first()).toContainText(`mAP ${(100 * scored.metrics.detection.map).toFixed(1)}`);
  await expect(table.locator('tbody tr').nth(1)).toContainText('mAP 0.0');

  // Per category: the scorer's numbers on that category's samples alone (npm run score on the filtered file).
  await card.getByText(/^Per category/).click();
  const perCategory = card.getByRole('table', { name: 'Per-category metrics' });
  const dogLines = readFileSync('examples/samples.jsonl', 'utf8').trim().split('\n').filter((l) => JSON.parse(l).category === 'dog');
  const dogIds = new Set(dogLines.map((l) => JSON.parse(l).id));
  const [dogSamples, dogPredictions] = [info.outputPath('dog.jsonl'), info.outputPath('dog-predictions.jsonl')];
  writeFileSync(dogSamples, dogLines.join('\n'));
  writeFileSync(dogPredictions, readFileSync('examples/predictions.jsonl', 'utf8').trim().split('\n').filter((l) => dogIds.has(JSON.parse(l).id)).join('\n'));
  const dog = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/score.ts', '--samples', dogSamples, '--predictions', dogPredictions, '--json'], { encoding: 'utf8' }));
  await expect(perCategory.getByRole('row', { name: /^dog/ }).getByRole('cell').first()).toHaveText(`mAP ${(100 * dog.metrics.detection.map).toFixed(1)} · AP50 ${(100 * dog.metrics.detection.ap50).toFixed(1)}`);
  // Sorting by an error type puts an example with that error first; the category filter keeps only its examples.
  await card.getByLabel('Sort images by').selectOption('error:miss');
  await expect(card.getByRole('article').first().getByLabel(/^Errors of/).filter({ hasText: 'miss' })).not.toHaveCount(0);
  await card.getByLabel('Category', { exact: true }).selectOption('cat');
  await expect(card.getByRole('article')).toHaveCount(2);
});
