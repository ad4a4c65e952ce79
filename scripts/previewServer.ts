/**
 * `vite preview` of the production build for the browser suites, in its own process group: `npx` starts vite as a
 * child, so killing npx alone left vite serving (and its port taken) after the bench.
 */
import { spawn } from 'node:child_process';

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
