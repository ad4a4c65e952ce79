/**
 * npm run explain -- --samples S.jsonl --predictions P.jsonl --id ID [--mode reference|strict] [--json]
 *
 * The reward debugger on the scorer's files: for one sample, every stage of its scoring (core/rewards/explain.ts):
 * the answer extracted, the repairs made, the parsed boxes and dropped duplicates, the greedy matching, each
 * reward with its arithmetic, and warnings (pixel coordinates, a whole-image box, an empty answer scoring 1, …).
 * The rewards are the scorer's (`npm run score`) for that sample. With --json, stdout holds only
 * {"id", "task", "mode", "rewards", "steps", "matches", "warnings", "arithmetic"}. Bad input: file:line, exit 2.
 */
import { explainRewards } from '../src/core/rewards/explain';
import { REWARD_MODES, type RewardMode } from '../src/core/rewards/types';
import { idKey } from '../src/core/scoring/types';
import { InputError } from '../src/formats/jsonlError';
import { readText } from './inputFile';
import { parsePredictions, parseSamples } from '../src/formats/scorerJsonl';

const USAGE = 'usage: npm run explain -- --samples S.jsonl --predictions P.jsonl --id ID [--mode reference|strict] [--json]';

function fail(msg: string): never {
  console.error(`explain: ${msg}`);
  process.exit(2);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`--${name} needs a value\n${USAGE}`);
  return v;
}


function main(): void {
  const samplesPath = arg('samples') ?? fail(`--samples is required\n${USAGE}`);
  const predictionsPath = arg('predictions') ?? fail(`--predictions is required\n${USAGE}`);
  const id = arg('id') ?? fail(`--id is required\n${USAGE}`);
  const mode = (arg('mode') ?? 'reference') as RewardMode;
  if (!REWARD_MODES.includes(mode)) fail(`--mode must be reference or strict, not ${mode}`);
  let samples, predictions;
  try {
    samples = parseSamples(samplesPath, readText(samplesPath));
    predictions = parsePredictions(predictionsPath, readText(predictionsPath), samples);
  } catch (e) {
    if (e instanceof InputError) fail(e.message);
    throw e;
  }
  // An id matches as the files write it: the number 3 or the string "3" (a string on the command line matches both).
  const sample = samples.find((s) => String(s.id) === id);
  if (!sample) fail(`no sample with id ${JSON.stringify(id)} in ${samplesPath} (${samples.length} samples)`);
  const prediction = predictions.find((p) => idKey(p.id) === idKey(sample.id));
  if (!prediction) fail(`no prediction for id ${JSON.stringify(id)} in ${predictionsPath}`);
  const s = sample;
  const e = explainRewards(s.task, prediction.completion, s.solution, mode, { width: s.width, height: s.height });
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ id: s.id, task: e.task, mode: e.mode, rewards: e.rewards, steps: e.steps, matches: e.matches, warnings: e.warnings, arithmetic: e.arithmetic })}\n`);
    return;
  }
  console.log(`sample ${JSON.stringify(s.id)} (${s.task}, ${mode} mode)`);
  for (const st of e.steps) console.log(`  ${st.name}: ${st.detail}`);
  for (const [i, m] of e.matches.entries()) console.log(`  match ${i + 1}: box ${m.box ? `[${m.box.join(', ')}]` : 'invalid'} confidence ${m.confidence ?? '—'} → ${m.matched ? `true box ${m.bestTruth + 1}, IoU ${m.iou.toFixed(3)}` : `unmatched (best IoU ${m.iou.toFixed(3)} ≤ 0.5)`}`);
  for (const [k, v] of Object.entries(e.rewards)) console.log(`  ${k} = ${v}${e.arithmetic[k as keyof typeof e.arithmetic] ? `   (${e.arithmetic[k as keyof typeof e.arithmetic]})` : ''}`);
  for (const w of e.warnings) console.log(`  warning: ${w}`);
}

main();
