/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Plugin, defineConfig } from 'vite';

/** The code version a run bundle records: the package version and the commit the build was made from. */
const APP_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return ''; // not a git checkout (a tarball): bundles then record the version only
  }
}

/**
 * Cross-origin isolation (COOP same-origin + COEP require-corp) from `npm run dev`, `npm start` and `npm run preview`:
 * it is what lets a browser give the page SharedArrayBuffer (threaded WASM). A static host serves the same two headers.
 */
const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * The page's own origin only (issue 23): scripts, workers, styles, images, fetches and WASM from 'self' (plus the
 * blob: and data: URLs the app makes itself, and 'wasm-unsafe-eval' to compile TensorFlow.js's WASM). Inline
 * style attributes (React, recharts) need 'unsafe-inline' for styles. Only in the production build: Vite's dev
 * server injects inline scripts for hot reload.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self' blob: data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/**
 * Threaded WASM in a production bundle. TensorFlow.js hands the threaded build's factory to its pthread workers as
 * source text (`factory.toString()` in a Blob), so the function must not reference anything outside itself. It
 * does in two places, both `_scriptDir` of the enclosing closure; the minifier renames that variable and drops
 * the `typeof` guard, and every pthread worker then dies with "ReferenceError: e is not defined". Both uses are
 * dead here (tfjs sets locateFile and mainScriptUrlOrBlob), so they are removed before bundling.
 *
 * The thread count. tfjs caps XNNPACK's pool at half of navigator.hardwareConcurrency (it assumes two hardware
 * threads per core), so a 2-core machine gets one thread whatever setThreadsCount asks. The cores the module
 * reads come from `self.__vrftLogicalCores` when backendInit.ts sets it (twice the chosen count), so the chosen
 * count is what runs (at most the 8 workers the build pre-creates).
 */
function selfContainedWasmThreads(): Plugin {
  return {
    name: 'self-contained-wasm-threads',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id)) return null;
      const guard = 'if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}';
      const fallback = '"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir,';
      const cores = 'return navigator["hardwareConcurrency"]}';
      if (!code.includes(guard) || !code.includes(fallback) || !code.includes(cores)) this.error('tfjs-backend-wasm-threaded-simd.js changed: review selfContainedWasmThreads in vite.config.ts');
      return {
        code: code
          .replace(guard, '')
          .replace(fallback, '"urlOrBlob":Module["mainScriptUrlOrBlob"],')
          .replace(cores, 'return self["__vrftLogicalCores"]||navigator["hardwareConcurrency"]}'),
        map: null,
      };
    },
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), selfContainedWasmThreads()],
  base: './',
  define: { __APP_VERSION__: JSON.stringify(APP_VERSION), __APP_COMMIT__: JSON.stringify(gitCommit()) },
  worker: { format: 'es', plugins: () => [selfContainedWasmThreads()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
