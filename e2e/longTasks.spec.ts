import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { setRun } from './helpers';

/**
 * The page stays responsive while the worker trains: every main-thread long task (PerformanceObserver
 * 'longtask', ≥ 50 ms) between Start and the end of a run is recorded in reports/long-tasks.json. The target is no
 * task over 100 ms. Measured on this project's 2-core machine with the other core idle (README, "Responsiveness"): the
 * longest task of a 6-step run is 52–67 ms over eight runs, since every chart takes its data through the frame
 * queue. The test fails at 150 ms: a margin for a shared CI machine, still below any regression to one commit per
 * step for the chart grid (100–160 ms) or to snapshots cloned on the page (0.3–0.66 s).
 */
test('the page never freezes while training, and its long tasks are recorded', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/#/train');
  await expect(page.getByRole('status', { name: 'Policy' })).toContainText('base policy', { timeout: 30_000 });
  await setRun(page, { samples: 4, steps: 6, group: 4, prompts: 2, maxTokens: 48 });
  // Settle the page first: the policy load and first render are not part of training.
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    const w = window as unknown as { __long: { start: number; duration: number; name: string }[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push({ start: Math.round(e.startTime), duration: Math.round(e.duration), name: e.name });
    }).observe({ type: 'longtask', buffered: false });
  });
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('finished', { timeout: 200_000 });
  const tasks = await page.evaluate(() => (window as unknown as { __long: { start: number; duration: number; name: string }[] }).__long);
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/long-tasks.json', `${JSON.stringify({ steps: 6, longTasks: tasks, maxMs: Math.max(0, ...tasks.map((t) => t.duration)) }, null, 1)}\n`);
  expect(tasks.filter((t) => t.duration > 150), JSON.stringify(tasks)).toEqual([]);
});
