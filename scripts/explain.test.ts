import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/explain.ts', ...args], { encoding: 'utf8' });
const files = ['--samples', 'examples/samples.jsonl', '--predictions', 'examples/predictions.jsonl'];

describe('npm run explain', () => {
  it('gives, for every sample and in both modes, exactly the rewards `npm run score` gives; --json prints only the result', () => {
    const ids = readFileSync('examples/samples.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l).id as string);
    for (const mode of ['reference', 'strict']) {
      const score = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/score.ts', ...files, '--mode', mode, '--json'], { encoding: 'utf8' }));
      for (const id of ids) {
        const r = run([...files, '--id', id, '--mode', mode, '--json']);
        expect(r.status, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(Object.keys(out).sort()).toEqual(['arithmetic', 'id', 'matches', 'mode', 'rewards', 'steps', 'task', 'warnings']);
        expect(out.rewards).toEqual(score.samples.find((s: { id: string }) => s.id === id).rewards);
      }
    }
  }, 120_000);

  it('names an unknown id, and bad input as the scorer does (file:line, exit 2)', () => {
    const unknown = run([...files, '--id', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no sample with id "nope"/);
    const bad = run(['--samples', 'package.json', '--predictions', 'examples/predictions.jsonl', '--id', 'x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/package\.json:\d+/);
    expect(run([...files]).stderr).toMatch(/--id is required/);
  });
});
