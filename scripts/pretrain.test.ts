import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const steps = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('{"step"') && !l.includes('"eval"')).length : 0);

describe('npm run pretrain', () => {
  it('continues from the last save after kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
    const args = ['--import', 'tsx', 'scripts/pretrain.ts', '--config', 'tiny', '--batch', '4', '--save-every', '3', '--eval-every', '1000', '--state', join(dir, 'state'), '--out', join(dir, 'out'), '--card-samples', '2'];
    const log = join(dir, 'state', 'log.jsonl');
    const child = spawn(process.execPath, [...args, '--steps', '1000'], { stdio: 'ignore' });
    while (steps(log) < 8) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const done = steps(log);
    const rerun = spawnSync(process.execPath, [...args, '--steps', String(done + 4)], { encoding: 'utf8' });
    expect(rerun.status).toBe(0);
    // Saves happen every 3 steps, after the step's log line: the run resumes at the last completed save, which is the
    // last multiple of 3 logged, or the one before if the kill landed while that save was being written.
    const resumed = Number(/resuming from .*policy\.vrft at step (\d+)/.exec(rerun.stderr)?.[1]);
    const lastSave = Math.floor(done / 3) * 3;
    expect([lastSave, lastSave - 3]).toContain(resumed);
    expect(existsSync(join(dir, 'out', 'model.vrft'))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'MODEL_CARD.md'), 'utf8')).toContain(`Steps: ${done + 4} of ${done + 4}`);
  }, 120_000);
});
