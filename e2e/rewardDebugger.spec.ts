import { expect, test } from '@playwright/test';

test('the reward debugger explains a pixel-coordinate completion and warns about it', async ({ page }) => {
  await page.goto('/#/compare');
  const card = page.getByRole('region', { name: 'Reward debugger' });
  // The example: the right box written in the pixels of a 640×480 image instead of 0–1000.
  await card.getByRole('button', { name: 'Explain the rewards' }).click();
  await expect(card.getByRole('list', { name: 'Reward warnings' })).toContainText('fit 640×480 pixel coordinates');
  await expect(card.getByRole('table', { name: 'Rewards' })).toContainText('accuracy_iou');
  await expect(card.getByRole('table', { name: 'Matching' })).toContainText('[76, 96, 307, 432]');
  // Written in 0–1000, the same box matches and the warning is gone.
  await card.getByLabel('Completion').fill("<think> One dog. </think> <answer>[{'Position': [120, 200, 480, 900], 'Confidence': 0.9}]</answer>");
  await card.getByRole('button', { name: 'Explain the rewards' }).click();
  await expect(card.getByRole('list', { name: 'Reward warnings' })).toHaveCount(0);
  await expect(card.getByRole('table', { name: 'Matching' })).toContainText('yes (IoU > 0.5)');
  await expect(card.getByRole('table', { name: 'Rewards' })).toContainText('(1) / max(1 true, 1 predicted) = 1');
  // With an image, the boxes are drawn over it and its size fills the pixel check's width and height.
  await card.getByLabel(/^Image \(optional/).setInputFiles('examples/photos/chelsea.jpg');
  await expect(card.getByLabel('Image width (px)')).toHaveValue('451');
  await expect(card.getByLabel('Image height (px)')).toHaveValue('300');
  await card.getByRole('button', { name: 'Explain the rewards' }).click();
  await expect(card.getByRole('img', { name: 'Boxes: 1 true (dashed), 1 predicted' })).toBeVisible();
  await expect(card.getByRole('img', { name: 'Boxes: 1 true (dashed), 1 predicted' }).locator('image')).toHaveAttribute('href', /^blob:/);
});

test('a completion picked in Compare opens in the debugger with its picture', async ({ page }) => {
  await page.goto('/#/compare');
  const compare = page.getByRole('region', { name: 'Compare models' });
  await compare.getByLabel('Samples file (scorer JSONL)').setInputFiles('examples/samples.jsonl');
  await compare.getByLabel(/Add a predictions file/).setInputFiles('examples/predictions.jsonl');
  await compare.getByRole('button', { name: 'Compare' }).click();
  await compare.getByRole('button', { name: "Explain predictions.jsonl's answer to example 1" }).click();
  const card = page.getByRole('region', { name: 'Reward debugger' });
  await expect(card.getByLabel('Explained completion')).toHaveText('From Compare: example 1, predictions.jsonl.');
  await expect(card.getByLabel('Image width (px)')).toHaveValue('640');
  await expect(card.getByRole('table', { name: 'Rewards' })).toContainText('accuracy_iou');
});
