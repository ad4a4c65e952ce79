import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiment.ts', ...args], { encoding: 'utf8' });

describe('npm run experiment', () => {
  it('names a missing or corrupt model and a bad option in one line, before any run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'experiment-'));
    const missing = run('--model', join(dir, 'none.vrft'), '--out', dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`experiment: cannot read ${join(dir, 'none.vrft')} (ENOENT)`);
    writeFileSync(join(dir, 'bad.vrft'), 'not a checkpoint');
    const corrupt = run('--model', join(dir, 'bad.vrft'), '--out', dir);
    expect(corrupt.status).toBe(2);
    expect(corrupt.stderr).toContain('bad.vrft: invalid checkpoint');
    const shots = run('--shots', '0', '--out', dir);
    expect(shots.status).toBe(2);
    expect(shots.stderr).toContain('--shots and --seeds take positive integers');
    const loss = run('--loss-type', 'ppo', '--out', dir);
    expect(loss.status).toBe(2);
    expect(loss.stderr).toContain('--loss-type takes grpo, bnpo, dr_grpo or dapo');
  }, 60_000);
});
