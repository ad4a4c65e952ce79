import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/core/model/checkpoint';
import { useBackend } from '../src/core/model/nodeBackends.testutil';
import { type RecipeOptions, SHIPPED_RECIPE, planRecipe, scaledRecipe } from './pretrainRecipe';

const opts: RecipeOptions = { dir: 'R', out: 'OUT', scale: 1, cardSamples: 1000, interimCardSamples: 96, extra: [] };
const flag = (args: string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

describe('the shipped recipe', () => {
  it('is the six phases of the shipped card, each starting where the last ended', () => {
    expect(SHIPPED_RECIPE.map((p) => p.end)).toEqual([3200, 4800, 6600, 7400, 9400, 10400]);
    SHIPPED_RECIPE.slice(1).forEach((p, i) => expect(flag(p.args, '--phase-start')).toBe(String(SHIPPED_RECIPE[i].end)));
  });

  it('scales steps, phase starts and warm-ups together, keeping phases at least a step long', () => {
    const s = scaledRecipe(SHIPPED_RECIPE, 0.002);
    expect(s.map((p) => p.end)).toEqual([6, 10, 13, 15, 19, 21]);
    s.slice(1).forEach((p, i) => expect(flag(p.args, '--phase-start')).toBe(String(s[i].end)));
    expect(s.map((p) => flag(p.args, '--warmup'))).toEqual(['1', '1', '1', '1', '1', '1']);
    expect(flag(s[0].args, '--lr')).toBe('5e-4');
    expect(scaledRecipe(SHIPPED_RECIPE, 1e-6).map((p) => p.end)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => scaledRecipe(SHIPPED_RECIPE, 0)).toThrow(/--scale/);
  });

  it('on an empty disk runs every phase, each from the last one\'s checkpoint, the last into --out', () => {
    const plan = planRecipe(SHIPPED_RECIPE, opts, () => null);
    expect(plan.every((p) => p.skip === null)).toBe(true);
    expect(flag(plan[0].args, '--init')).toBeUndefined();
    expect(plan[0].args).toContain('--fresh');
    plan.slice(1).forEach((p, i) => expect(flag(p.args, '--init')).toBe(`R/phase-${i + 1}-out/model.vrft`));
    expect(plan.map((p) => flag(p.args, '--state'))).toEqual(['R/phases-1-3', 'R/phases-1-3', 'R/phases-1-3', 'R/phase-4', 'R/phase-5', 'R/phase-6']);
    expect(flag(plan[5].args, '--out')).toBe('OUT');
    expect(plan.map((p) => flag(p.args, '--card-samples'))).toEqual(['96', '96', '96', '96', '96', '1000']);
    expect(plan.map((p) => flag(p.args, '--steps'))).toEqual(['3200', '4800', '6600', '7400', '9400', '10400']);
  });

  it('skips finished phases and continues the interrupted one; everything after it reruns', () => {
    const disk: Record<string, number> = { 'R/phase-1-out/model.vrft': 3200, 'R/phase-2-out/model.vrft': 4800, 'R/phases-1-3/policy.vrft': 5100, 'R/phase-4-out/model.vrft': 7400, 'R/phase-5-out/model.vrft': 9400 };
    const plan = planRecipe(SHIPPED_RECIPE, opts, (p) => disk[p] ?? null);
    expect(plan.map((p) => p.skip !== null)).toEqual([true, true, false, false, false, false]);
  });

  it('skips a phase whose shared run went past it even if its checkpoint is gone, and nothing when all is done', () => {
    const past = planRecipe(SHIPPED_RECIPE, opts, (p) => ({ 'R/phases-1-3/policy.vrft': 5000 })[p] ?? null);
    expect(past.map((p) => p.skip !== null)).toEqual([true, true, false, false, false, false]);
    const done: Record<string, number> = { 'R/phase-1-out/model.vrft': 3200, 'R/phase-2-out/model.vrft': 4800, 'R/phase-3-out/model.vrft': 6600, 'R/phases-1-3/policy.vrft': 6600, 'R/phase-4-out/model.vrft': 7400, 'R/phase-4/policy.vrft': 7400, 'R/phase-5-out/model.vrft': 9400, 'R/phase-5/policy.vrft': 9400, 'OUT/model.vrft': 10400, 'R/phase-6/policy.vrft': 10400 };
    expect(planRecipe(SHIPPED_RECIPE, opts, (p) => done[p] ?? null).every((p) => p.skip !== null)).toBe(true);
    // A checkpoint in --out at the right step (the shipped one) does not stand in for a last phase that never ran.
    const onlyShipped = planRecipe(SHIPPED_RECIPE, opts, (p) => ({ 'OUT/model.vrft': 10400 })[p] ?? null);
    expect(onlyShipped.every((p) => p.skip === null)).toBe(true);
  });

  it('npm run pretrain-all replays the recipe\'s shape at small scale, and a rerun finds it done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recipe-'));
    const args = ['--import', 'tsx', 'scripts/pretrainAll.ts', '--dir', join(dir, 'r'), '--out', join(dir, 'out'), '--scale', '0.002', '--card-samples', '1', '--interim-card-samples', '1', '--config', 'tiny', '--batch', '2', '--eval-every', '1000'];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('pretrain-all: the recipe is complete');
    await useBackend('cpu');
    const first = loadCheckpoint(new Uint8Array(readFileSync(join(dir, 'r', 'phase-1-out', 'model.vrft'))));
    const last = loadCheckpoint(new Uint8Array(readFileSync(join(dir, 'out', 'model.vrft'))));
    // Phase 1 trains without the box pointer and with causal image attention; phase 2 adds both.
    expect([first.policy.config.boxPointer, first.policy.config.imageAttention, first.meta.step]).toEqual([false, 'causal', 6]);
    expect([last.policy.config.boxPointer, last.policy.config.imageAttention, last.meta.step, last.meta.pointerWeight]).toEqual([true, 'full', 21, 1]);
    first.policy.dispose();
    last.policy.dispose();
    expect(readFileSync(join(dir, 'out', 'MODEL_CARD.md'), 'utf8')).toContain('Steps: 21 of 21');
    const again = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr.match(/: done \(/g)).toHaveLength(6);
  }, 300_000);
});
