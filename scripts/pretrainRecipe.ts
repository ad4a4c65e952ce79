/**
 * The recipe of the shipped base policy: the six pretraining phases, each a `scripts/pretrain.ts` run continuing
 * the last. `npm run pretrain-all` (scripts/pretrainAll.ts) replays them in order, and the model card
 * (scripts/modelCard.ts) describes them from the same list, so the card and the command cannot drift apart.
 *
 * Phases that share a `state` directory continue one run: weights, Adam moments and step carry over, as they did
 * when phases 1–3 were trained. A phase with its own state starts from the previous phase's checkpoint (--init)
 * with new Adam moments and a 50-step re-warm-up, as phases 4–6 were.
 */

export interface RecipePhase {
  /** Step at which the phase ends (cumulative over the whole run). */
  end: number;
  /** Name of the state directory (under the recipe's directory); phases sharing it continue one run. */
  state: string;
  /** Flags of scripts/pretrain.ts for this phase, apart from --steps/--state/--out/--init/--card-samples. */
  args: string[];
  /** One line for the model card. */
  text: string;
}

export const SHIPPED_RECIPE: readonly RecipePhase[] = [
  {
    end: 3200,
    state: 'phases-1-3',
    args: ['--fresh', '--lr', '5e-4', '--warmup', '150', '--mixture', '0.5,0.2,0.3', '--image-attention', 'causal', '--no-box-pointer'],
    text: 'peak learning rate 5e-4, 150 warm-up steps, mixture detection 0.5 / classification 0.2 / grounding 0.3, causal image attention, no box pointer',
  },
  {
    end: 4800,
    state: 'phases-1-3',
    args: ['--phase-start', '3200', '--lr', '3e-4', '--warmup', '50', '--mixture', '0.6,0.1,0.3', '--box-pointer', '--image-attention', 'full'],
    text: 'peak learning rate 3e-4, 50 warm-up steps, mixture 0.6 / 0.1 / 0.3; the box pointer and full image attention added to the trained weights (new weights start neutral)',
  },
  {
    end: 6600,
    state: 'phases-1-3',
    args: ['--phase-start', '4800', '--lr', '3e-4', '--warmup', '50', '--mixture', '0.6,0.1,0.3'],
    text: 'the same settings, a second learning-rate cycle',
  },
  {
    end: 7400,
    state: 'phase-4',
    args: ['--phase-start', '6600', '--lr', '2e-4', '--warmup', '50', '--mixture', '0.6,0.1,0.3', '--pointer-weight', '1'],
    text: 'peak learning rate 2e-4, 50 warm-up steps, the pointer loss added',
  },
  {
    end: 9400,
    state: 'phase-5',
    args: ['--phase-start', '7400', '--lr', '2e-4', '--warmup', '50', '--mixture', '0.6,0.1,0.3', '--pointer-weight', '1'],
    text: 'the same settings, a second learning-rate cycle of 2,000 steps',
  },
  {
    end: 10400,
    state: 'phase-6',
    args: ['--phase-start', '9400', '--lr', '2e-4', '--warmup', '50', '--mixture', '0.6,0.1,0.3', '--pointer-weight', '1'],
    text: 'the same settings, a third learning-rate cycle of 1,000 steps',
  },
];

export interface RecipeOptions {
  /** Directory holding each phase's state and intermediate checkpoint. */
  dir: string;
  /** Where the last phase writes the shipped checkpoint and model card. */
  out: string;
  /** Multiplies every step count (phase ends, --phase-start, warm-ups): a short replay of the recipe's shape. */
  scale: number;
  /** Held-out samples per row in the last phase's card (intermediate phases use `interimCardSamples`). */
  cardSamples: number;
  interimCardSamples: number;
  /** Appended to every phase's flags (e.g. --config tiny --batch 4 for a smoke run). */
  extra: string[];
}

/** What is on disk: the step of a checkpoint file, or null when it does not exist. */
export type StepOf = (path: string) => number | null;

export interface PhasePlan {
  phase: number;
  end: number;
  /** Why it is skipped, or null when it runs. */
  skip: string | null;
  /** Arguments of scripts/pretrain.ts. */
  args: string[];
}

const STEP_FLAGS = new Set(['--phase-start', '--warmup']);

/** The phase's end and step-valued flags scaled; ends stay strictly increasing and at least 1 step apart. */
export function scaledRecipe(recipe: readonly RecipePhase[], scale: number): RecipePhase[] {
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], got ${scale}`);
  const ends: number[] = [];
  for (const p of recipe) ends.push(Math.max(Math.round(p.end * scale), (ends[ends.length - 1] ?? 0) + 1));
  const starts = new Map(recipe.map((p, i) => [p.end, ends[i]]));
  return recipe.map((p, i) => ({
    ...p,
    end: ends[i],
    args: p.args.map((a, j) => {
      if (!STEP_FLAGS.has(p.args[j - 1])) return a;
      if (p.args[j - 1] === '--phase-start') return String(starts.get(Number(a)) ?? Math.round(Number(a) * scale));
      return String(Math.max(1, Math.round(Number(a) * scale)));
    }),
  }));
}

export const phaseOut = (dir: string, phase: number) => `${dir}/phase-${phase}-out`;

/**
 * The runs that replay the recipe from what is on disk. A phase is skipped when its checkpoint already holds its end
 * step, or when its run already went past its end (a later phase of the same state continued it); once a phase
 * runs, every later one runs too, because it starts from that phase's new weights.
 */
export function planRecipe(recipe: readonly RecipePhase[], o: RecipeOptions, stepOf: StepOf): PhasePlan[] {
  const phases = scaledRecipe(recipe, o.scale);
  let rerun = false;
  return phases.map((p, i) => {
    const last = i === phases.length - 1;
    const out = last ? o.out : phaseOut(o.dir, i + 1);
    const state = `${o.dir}/${p.state}`;
    // A phase continues its state's run when there is one, else the previous phase's checkpoint (new Adam moments).
    const init = i > 0 ? ['--init', `${phaseOut(o.dir, i)}/model.vrft`] : [];
    const args = [...p.args, '--steps', String(p.end), '--state', state, '--out', out, ...init, '--card-samples', String(last ? o.cardSamples : o.interimCardSamples), ...o.extra];
    let skip: string | null = null;
    if (!rerun) {
      const stateStep = stepOf(`${state}/policy.vrft`);
      if (stepOf(`${out}/model.vrft`) === p.end && (stateStep === null || stateStep >= p.end)) skip = `${out}/model.vrft holds step ${p.end}`;
      else if (stateStep !== null && stateStep > p.end) skip = `its run in ${state} is past step ${p.end}`;
    }
    if (!skip) rerun = true;
    return { phase: i + 1, end: p.end, skip, args };
  });
}
