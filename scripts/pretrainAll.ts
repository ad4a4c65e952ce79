/**
 * npm run pretrain-all -- [--dir .pretrain-all] [--out public/models/base] [--card-samples 1000]
 *                         [--interim-card-samples 96] [--scale 1] [--dry-run] [other scripts/pretrain.ts flags]
 *
 * Replays the shipped base policy's whole recipe (scripts/pretrainRecipe.ts): six `scripts/pretrain.ts` runs in
 * order, each continuing the last, the last writing the checkpoint and model card to --out. Resumable like each
 * phase: after kill -9 (of this script or the phase it runs), rerunning skips finished phases and continues the
 * interrupted one from its last save. Flags it does not know go to every phase (e.g. `--config tiny --batch 4`);
 * --scale 0.01 replays the recipe's shape in 1 % of the steps, to check the chain before spending 8 hours on it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readCheckpointHeader } from '../src/core/model/checkpoint';
import { SHIPPED_RECIPE, planRecipe } from './pretrainRecipe';

const OWN = new Set(['--dir', '--out', '--card-samples', '--interim-card-samples', '--scale']);

function parse(argv: string[]) {
  const own = new Map<string, string>();
  const extra: string[] = [];
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dry-run') dryRun = true;
    else if (OWN.has(argv[i])) {
      if (argv[i + 1] === undefined) throw new Error(`${argv[i]} wants a value`);
      own.set(argv[i], argv[++i]);
    } else extra.push(argv[i]);
  }
  const num = (flag: string, fallback: number) => {
    const v = Number(own.get(flag) ?? fallback);
    if (!Number.isFinite(v)) throw new Error(`${flag} wants a number, got ${own.get(flag)}`);
    return v;
  };
  return {
    dryRun,
    dir: own.get('--dir') ?? '.pretrain-all',
    out: own.get('--out') ?? 'public/models/base',
    cardSamples: num('--card-samples', 1000),
    interimCardSamples: num('--interim-card-samples', 96),
    scale: num('--scale', 1),
    extra,
  };
}

/** The step a checkpoint file records, or null when there is none (or it cannot be read: the phase then reruns). */
function stepOf(path: string): number | null {
  if (!existsSync(path)) return null;
  try {
    return Number(readCheckpointHeader(new Uint8Array(readFileSync(path))).header.meta.step ?? NaN);
  } catch {
    return null;
  }
}

function main(): number {
  const o = parse(process.argv.slice(2));
  const plan = planRecipe(SHIPPED_RECIPE, o, stepOf);
  for (const p of plan) {
    const head = `pretrain-all: phase ${p.phase} of ${plan.length} (to step ${p.end})`;
    if (p.skip) {
      console.error(`${head}: done (${p.skip})`);
      continue;
    }
    console.error(`${head}: npm run pretrain -- ${p.args.join(' ')}`);
    if (o.dryRun) continue;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/pretrain.ts', ...p.args], { stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(`pretrain-all: phase ${p.phase} stopped (${run.signal ?? `exit ${run.status}`}); rerun the same command to continue it`);
      return run.status || 1;
    }
  }
  if (!o.dryRun) console.error(`pretrain-all: the recipe is complete; the checkpoint and model card are in ${o.out}`);
  return 0;
}

try {
  process.exit(main());
} catch (e) {
  console.error(`pretrain-all: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
}
