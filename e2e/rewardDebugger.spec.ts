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
});
