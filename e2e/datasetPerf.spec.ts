import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/**
 * A 500-image dataset: how long it takes to open, how smoothly the grid scrolls, and how long switching images
 * takes (key press → the new image drawn on the canvas). Measured inside the page with performance.now();
 * written to reports/datasets-perf.json and printed. The figures in the README come from this test.
 */
test.use({ viewport: { width: 1600, height: 1000 } });
test.setTimeout(180_000);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

test('a dataset of 500 images opens, scrolls and switches images quickly', async ({ page }) => {
  await page.goto('/#/datasets');
  const gen = page.getByRole('form', { name: 'Generate from the world' });
  await gen.getByRole('button', { name: 'Clear' }).click();
  for (const name of ['cat', 'dog', 'bus', 'train', 'bed']) await gen.getByRole('checkbox', { name, exact: true }).check();
  await gen.getByLabel('Train images per category').fill('80');
  await gen.getByLabel('Eval images per category').fill('20');
  await gen.getByRole('button', { name: 'Generate 500 images' }).click();
  const total = page.getByRole('combobox', { name: 'Label status filter' }).getByRole('option').first();
  await expect(total).toHaveText('all (500)', { timeout: 120_000 });
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');
  await page.getByRole('button', { name: '← Datasets' }).click();

  // Open: click → the first image drawn and the first thumbnails shown.
  const open = page.getByRole('button', { name: /^Open World detection/ });
  await open.waitFor();
  const t0 = Date.now();
  await open.click();
  await expect(page.getByRole('img', { name: /Labeling canvas/ })).toHaveAttribute('data-loaded-image', /.+/);
  await expect(page.locator('.thumb img').first()).toBeVisible();
  const openMs = Date.now() - t0;

  // Scroll the grid from top to bottom while recording frame intervals.
  const frames: number[] = await page.evaluate(async () => {
    const el = document.querySelector('.grid-scroller') as HTMLElement;
    const gaps: number[] = [];
    let last = performance.now();
    await new Promise<void>((done) => {
      const tick = (t: number) => {
        gaps.push(t - last);
        last = t;
        el.scrollTop += 120;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) done();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return gaps.slice(1);
  });

  // Switch images with D: time from the key event to the new image on the canvas.
  const switches: number[] = [];
  for (let i = 0; i < 40; i++) {
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const canvas = document.querySelector('.canvas-wrap') as HTMLElement;
          const before = canvas.dataset.loadedImage;
          const t = performance.now();
          const obs = new MutationObserver(() => {
            const now = canvas.dataset.loadedImage;
            if (now && now !== before) {
              obs.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - t));
            }
          });
          obs.observe(canvas, { attributes: true, attributeFilter: ['data-loaded-image'] });
          window.dispatchEvent(new KeyboardEvent('keydown', { key: 'd', bubbles: true }));
        }),
    );
    switches.push(ms);
  }
  const result = {
    images: 500,
    openMs,
    scroll: { frames: frames.length, medianFrameMs: pct(frames, 50), p95FrameMs: pct(frames, 95), maxFrameMs: Math.max(...frames) },
    switchImage: { n: switches.length, medianMs: pct(switches, 50), p95Ms: pct(switches, 95), maxMs: Math.max(...switches) },
  };
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/datasets-perf.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`datasets perf: ${JSON.stringify(result)}`);
  expect(result.switchImage.medianMs).toBeLessThan(100);
});
