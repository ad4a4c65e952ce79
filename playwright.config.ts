import { execSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

/**
 * A free loopback port for the preview server, chosen once by the main process and inherited by the workers
 * through the environment, so a run never depends on a fixed port being free. E2E_PORT sets it by hand.
 */
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execSync(`node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"`).toString().trim();
}
const port = Number(process.env.E2E_PORT);

/**
 * e2e tests run against the production build (`vite preview`) in Debian's Chromium: Playwright's own browser
 * download is not available on these machines. CHROMIUM_PATH overrides the binary.
 */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'reports/playwright.json' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}`,
    // Only a server this run started: another app on a port is never mistaken for ours.
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
