/**
 * npm run screenshot : PNGs of the built app for the README (docs/screenshot.png, docs/try-policy.png, and from a
 * short RFT run on the Start here set docs/train.png, docs/inspector.png, then the base against the trained model
 * in docs/compare.png and one answer in the reward debugger in docs/debugger.png). Needs `npm run build` first;
 * serves dist/ with vite preview and drives Debian's Chromium.
 */
import { chromium } from '@playwright/test';
import { startPreview } from './previewServer';

async function main() {
  const server = startPreview(4174);
  try {
    await new Promise((r) => setTimeout(r, 2500));
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto('http://127.0.0.1:4174/');
    await page.getByTestId('backend-name').filter({ hasText: /wasm|webgpu|webgl|cpu/ }).waitFor();
    await page.screenshot({ path: process.argv[2] ?? 'docs/screenshot.png' });
    // The shipped policy on world scene 1 of the grounding task, from the Models view's "Try the policy".
    await page.goto('http://127.0.0.1:4174/#/models');
    await page.getByRole('status', { name: 'Policy' }).filter({ hasText: 'base policy' }).waitFor({ timeout: 60_000 });
    const card = page.getByRole('region', { name: 'Try the policy' });
    await card.getByLabel('Task').selectOption('grounding');
    await card.getByRole('button', { name: 'Run the policy' }).click();
    await card.getByLabel('Policy reasoning').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(300);
    await card.screenshot({ path: process.argv[3] ?? 'docs/try-policy.png' });
    // A short RFT run on the Start here set: the charts and the rollout inspector.
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto('http://127.0.0.1:4174/#/datasets');
    await page.getByRole('region', { name: 'Start here' }).getByRole('button', { name: 'Make a starter set and open Train' }).click();
    await page.getByLabel('Dataset check').waitFor({ timeout: 60_000 });
    await page.getByLabel('Steps').fill('12');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('status', { name: 'Run status' }).filter({ hasText: 'finished' }).waitFor({ timeout: 600_000 });
    await page.getByLabel(/^Smoothing/).fill('0');
    await page.waitForTimeout(500);
    await page.getByRole('region', { name: 'Training curves' }).locator('.charts').screenshot({ path: 'docs/train.png' });
    await page.getByRole('region', { name: /Rollout inspector/ }).screenshot({ path: 'docs/inspector.png' });
    // Compare: the shipped base against the model the run made, on the starter set's eval split; then one answer
    // explained in the reward debugger.
    await page.getByRole('tab', { name: 'Compare' }).click();
    const compare = page.getByRole('region', { name: 'Compare models' });
    await compare.getByRole('checkbox', { name: /· RFT · 12/ }).check();
    const evalSet = compare.getByLabel('Eval set');
    await evalSet.selectOption({ index: 1 });
    await compare.getByRole('button', { name: 'Compare' }).click();
    await compare.getByRole('table', { name: 'Comparison metrics' }).locator('tbody tr').nth(1).waitFor({ timeout: 300_000 });
    await compare.getByLabel('Sort images by').selectOption('disagreement');
    await page.waitForTimeout(500);
    // The table and the first examples (the whole card holds dozens of them).
    const box = (await compare.boundingBox())!;
    await page.screenshot({ path: 'docs/compare.png', fullPage: true, clip: { x: box.x, y: box.y + (await page.evaluate(() => window.scrollY)), width: box.width, height: Math.min(box.height, 1300) } });
    await compare.getByRole('button', { name: /^Explain .*answer to example/ }).first().click();
    const debuggerCard = page.getByRole('region', { name: 'Reward debugger' });
    await debuggerCard.getByRole('table', { name: 'Rewards' }).waitFor();
    await page.waitForTimeout(300);
    await debuggerCard.screenshot({ path: 'docs/debugger.png' });
    await browser.close();
  } finally {
    server.stop();
  }
}

void main();
