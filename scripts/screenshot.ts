/**
 * npm run screenshot : a PNG of the built app for the README (docs/screenshot.png). Needs `npm run build`
 * first; serves dist/ with vite preview and drives Debian's Chromium.
 */
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

async function main() {
  const server = spawn('npx', ['vite', 'preview', '--port', '4174', '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto('http://127.0.0.1:4174/');
    await page.getByTestId('backend-name').filter({ hasText: /wasm|webgpu|webgl|cpu/ }).waitFor();
    await page.screenshot({ path: process.argv[2] ?? 'docs/screenshot.png' });
    await browser.close();
  } finally {
    server.kill();
  }
}

void main();
