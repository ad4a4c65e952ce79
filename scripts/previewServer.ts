/**
 * `vite preview` of the production build for the browser suites, in its own process group: `npx` starts vite as a
 * child, so killing npx alone left vite serving (and its port taken) after the bench.
 */
import { spawn } from 'node:child_process';
import type { Page } from '@playwright/test';

export function startPreview(port: number): { stop(): void } {
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
  return {
    stop() {
      try {
        if (server.pid) process.kill(-server.pid, 'SIGTERM');
      } catch {
        server.kill();
      }
    },
  };
}

/** Open `url` once the preview answers (it takes a moment to start): retries for up to 15 s. */
export async function gotoWhenServing(page: Page, url: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await page.goto(url);
      return;
    } catch (e) {
      if (i >= 29) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
