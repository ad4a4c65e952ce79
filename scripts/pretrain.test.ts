import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/core/model/checkpoint';
import { useBackend } from '../src/core/model/nodeBackends.testutil';

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

  it('runs a confidence phase that changes only the confidence columns of the head and ties their inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pretrain-conf-'));
    const common = ['--import', 'tsx', 'scripts/pretrain.ts', '--config', 'tiny', '--batch', '4', '--eval-every', '1000', '--card-samples', '2'];
    const first = spawnSync(process.execPath, [...common, '--steps', '3', '--state', join(dir, 'a'), '--out', join(dir, 'outA')], { encoding: 'utf8' });
    expect(first.status).toBe(0);
    const init = join(dir, 'outA', 'model.vrft');
    const conf = spawnSync(process.execPath, [...common, '--init', init, '--confidence-phase', '--phase-start', '3', '--steps', '5', '--lr', '1e-2', '--warmup', '1', '--state', join(dir, 'b'), '--out', join(dir, 'outB')], { encoding: 'utf8' });
    expect(conf.status, conf.stderr).toBe(0);
    const card = readFileSync(join(dir, 'outB', 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('Steps: 3 of 3 of pretraining, then the confidence phase below');
    expect(card).toContain('Confidence phase (steps 3–5, batch 4, peak learning rate 0.01');
    await useBackend('cpu');
    const before = loadCheckpoint(new Uint8Array(readFileSync(init))).policy;
    const after = loadCheckpoint(new Uint8Array(readFileSync(join(dir, 'outB', 'model.vrft')))).policy;
    const tok = after.tokenizer;
    const [a0, b0] = [await before.params.toArrays(), await after.params.toArrays()];
    const d = before.config.dModel;
    const V = tok.size;
    for (const [name, a] of a0) {
      const b = b0.get(name) as Float32Array;
      if (name === 'tok.emb') {
        // Every confidence row now holds 1.00's input embedding; every other row is unchanged.
        for (let id = 0; id < V; id++) {
          const src = tok.kind(id) === 'conf' ? tok.confId(1) : id;
          expect(Array.from(b.subarray(id * d, (id + 1) * d))).toEqual(Array.from(a.subarray(src * d, (src + 1) * d)));
        }
      } else if (name === 'head.w') {
        // Gradients reach only the confidence columns; the others only feel weight decay (lr × 0.01 per step).
        for (let i = 0; i < a.length; i++) if (tok.kind(i % V) !== 'conf') expect(Math.abs(b[i] - a[i])).toBeLessThanOrEqual(Math.abs(a[i]) * 1e-3 + 1e-9);
      } else expect(b, name).toEqual(a);
    }
    before.dispose();
    after.dispose();
  }, 180_000);
});
