import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FeatureCache } from './featureCache';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);
const predict = (args: string[]) => run('npx', ['tsx', 'scripts/predict.ts', ...args]).then(
  (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);

describe('npm run predict', () => {
  it('answers on a real photo with boxes in its own pixels; --json prints only the result', async () => {
    const r = await predict(['--image', 'examples/photos/coffee.jpg', '--task', 'detection', '--category', 'cup', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['boxes', 'completion', 'confidences', 'ms']);
    expect(out.boxes.length).toBe(out.confidences.length);
    for (const b of out.boxes) {
      expect(b).toHaveLength(4);
      expect(b[2]).toBeLessThanOrEqual(600);
      expect(b[3]).toBeLessThanOrEqual(400);
    }
  }, 60_000);

  it('exits 2 with a message for an unreadable image, an unknown word and a missing model', async () => {
    for (const [args, message] of [
      [['--image', 'package.json', '--category', 'cup'], /not a JPEG or PNG image/],
      [['--image', 'examples/photos/coffee.jpg', '--category', 'zebraa'], /does not know the word “zebraa”/],
      [['--model', 'no/such.vrft', '--image', 'examples/photos/coffee.jpg', '--category', 'cup'], /cannot read no\/such\.vrft/],
      [['--image', 'examples/photos/coffee.jpg', '--task', 'grounding'], /--query TEXT is required/],
    ] as const) {
      const r = await predict([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  }, 90_000);
});

describe('feature cache', () => {
  it('returns the same (half-precision) values whether it computed a batch or read it back', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fc-'));
    const values = Float32Array.from([0, 1, -2.5, 3.14159, 1e-3, 65000, -0.1]);
    const a = new FeatureCache(root, { k: 1 });
    const first = await a.get(3, values.length, async () => values);
    const second = await new FeatureCache(root, { k: 1 }).get(3, values.length, async () => { throw new Error('should be cached'); });
    expect(Array.from(second)).toEqual(Array.from(first));
    first.forEach((v, i) => expect(Math.abs(v - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) / 1000 + 1e-7));
    expect(a.misses).toBe(1);
  });
});
