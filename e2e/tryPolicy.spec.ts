import { expect, test } from '@playwright/test';

test.describe('Try the policy', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/#/models');
    await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  });

  test('runs the base policy on a world scene: reasoning beside its boxes, the true boxes, and the rewards', async ({ page }) => {
    test.setTimeout(90_000);
    const card = page.getByRole('region', { name: 'Try the policy' });
    await card.getByRole('button', { name: 'Run the policy' }).click();
    const out = card.getByLabel('Policy output');
    await expect(out.getByLabel('Policy reasoning')).toContainText('I see', { timeout: 60_000 });
    const answer = (await out.getByLabel('Policy answer').textContent()) ?? '';
    // The drawn boxes are the answer's boxes: as many rectangles as Position entries (or none for No Objects).
    await expect(out.getByTestId('predicted-box')).toHaveCount((answer.match(/'Position'/g) ?? []).length);
    // The picture is the scene the policy saw, not a blank: its pixels vary.
    const href = (await out.locator('svg image').getAttribute('href')) ?? '';
    const spread = await page.evaluate(async (url) => {
      const bmp = await createImageBitmap(await (await fetch(url)).blob());
      const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      let lo = 255;
      let hi = 0;
      for (let i = 0; i < d.length; i += 4) {
        lo = Math.min(lo, d[i]);
        hi = Math.max(hi, d[i]);
      }
      return hi - lo;
    }, href);
    expect(spread).toBeGreaterThan(50);
    const rewards = out.getByRole('table', { name: 'Rewards of this completion' });
    await expect(rewards.getByRole('row', { name: /^format/ })).toContainText('1.000');
    await expect(rewards).toContainText('accuracy_iou');
    // The next scene is another image and another completion.
    await card.getByRole('button', { name: 'Next scene' }).click();
    await expect(card.getByLabel('Scene seed')).toHaveValue('2');
    await expect(out.getByLabel('Policy reasoning')).toContainText('I see', { timeout: 60_000 });
  });

  test('runs the policy on an image of the user\'s, and names words it does not know', async ({ page }) => {
    test.setTimeout(90_000);
    const card = page.getByRole('region', { name: 'Try the policy' });
    await card.getByRole('combobox', { name: /^Image/ }).selectOption('file');
    await card.getByLabel('Image to try').setInputFiles('e2e/fixtures/desk.jpg');
    await card.getByLabel('Category').selectOption('cat');
    await card.getByRole('button', { name: 'Run the policy' }).click();
    const out = card.getByLabel('Policy output');
    await expect(out.getByLabel('Policy answer')).not.toBeEmpty({ timeout: 60_000 });
    await expect(out.getByRole('img')).toBeVisible();
    await expect(out.getByRole('table', { name: 'Rewards of this completion' })).toHaveCount(0);

    await card.getByLabel('Task').selectOption('grounding');
    await card.getByLabel('Description').fill('the purple unicorn');
    await card.getByRole('button', { name: 'Run the policy' }).click();
    await expect(card.getByRole('alert')).toContainText('does not know the word');
    await expect(card.getByRole('alert')).toContainText('“unicorn”');
  });

  test('a file that is not an image gives a clear message', async ({ page }) => {
    const card = page.getByRole('region', { name: 'Try the policy' });
    await card.getByRole('combobox', { name: /^Image/ }).selectOption('file');
    await card.getByLabel('Image to try').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
    await card.getByLabel('Category').selectOption('dog');
    await card.getByRole('button', { name: 'Run the policy' }).click();
    await expect(card.getByRole('alert')).toContainText('broken.png: not an image this browser can decode');
  });
});
