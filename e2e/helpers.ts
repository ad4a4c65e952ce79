/** Shared steps of the e2e tests, as a user does them. */
import { type Page, expect } from '@playwright/test';

export async function createDataset(page: Page, name: string, task = 'detection'): Promise<void> {
  await page.goto('/#/datasets');
  const form = page.getByRole('form', { name: 'New dataset' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Task').selectOption(task);
  await form.getByRole('button', { name: 'Create dataset' }).click();
  await expect(page.getByRole('toolbar', { name: 'Dataset tools' })).toBeVisible();
}

/** Drag a box on the canvas between two points given as fractions of the displayed image. */
export async function drawBox(page: Page, from: [number, number], to: [number, number], image = { width: 720, height: 477 }): Promise<void> {
  const canvas = page.getByRole('img', { name: /Labeling canvas/ });
  const b = (await canvas.boundingBox())!;
  const s = Math.min((b.width - 16) / image.width, (b.height - 16) / image.height);
  const ox = b.x + (b.width - image.width * s) / 2;
  const oy = b.y + (b.height - image.height * s) / 2;
  const at = (f: [number, number]) => [ox + f[0] * image.width * s, oy + f[1] * image.height * s] as const;
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at([(from[0] + to[0]) / 2, (from[1] + to[1]) / 2]), { steps: 4 });
  await page.mouse.move(...at(to), { steps: 4 });
  await page.mouse.up();
}

/** The Train view's run settings that the tests shorten, each by its label; `samples` only for world data. */
export async function setRun(page: Page, run: { samples?: number; steps: number; group: number; prompts: number; maxTokens?: number }): Promise<void> {
  if (run.samples !== undefined) await page.getByLabel('Training samples').fill(String(run.samples));
  await page.getByLabel('Steps').fill(String(run.steps));
  await page.getByLabel('Completions per prompt (G)').fill(String(run.group));
  await page.getByLabel('Prompts per step').fill(String(run.prompts));
  if (run.maxTokens !== undefined) await page.getByLabel('Max completion tokens').fill(String(run.maxTokens));
}
