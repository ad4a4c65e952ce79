/**
 * npm run eval -- --model PATH --task detection|classification|grounding --split base|novel|ood [--n 200] [--json] [--given-trace]
 *
 * The scorer's metrics (issue 2) for a policy checkpoint on the world's fixed held-out set of a task and split.
 * --given-trace: the policy starts its completion from the reference reasoning trace and writes only the answer,
 * which separates errors of reasoning (what the trace says is there) from errors of answering (the boxes).
 * Exit codes: 0 evaluated, 2 bad arguments or an unreadable checkpoint.
 */
import { readFileSync } from 'node:fs';
import { TASKS, type Task } from '../src/core/rewards/types';
import { decodeAtlas } from '../src/core/world/atlas';
import { WORLD_SPLITS, type WorldSplit } from '../src/core/world/tasks';
import { confidenceSummary } from '../src/core/scoring/detectionDiagnosis';
import { evaluateSplit, headline } from './evalWorld';
import { decodePolicy, readPolicyBytes } from './policyFile';
import { useNodeBackend } from './tfNode';

const USAGE = 'usage: npm run eval -- --model PATH --task detection|classification|grounding --split base|novel|ood [--n 200] [--json] [--given-trace]';

function fail(msg: string): never {
  console.error(`eval: ${msg}\n${USAGE}`);
  process.exit(2);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const model = arg('model') ?? fail('--model is required');
  const task = (arg('task') ?? fail('--task is required')) as Task;
  const split = (arg('split') ?? fail('--split is required')) as WorldSplit;
  const n = Number(arg('n') ?? '200');
  if (!TASKS.includes(task)) fail(`--task must be one of ${TASKS.join(', ')}`);
  if (!WORLD_SPLITS.includes(split)) fail(`--split must be one of ${WORLD_SPLITS.join(', ')}`);
  if (!Number.isInteger(n) || n < 1) fail('--n must be a positive integer');
  const bytes = readPolicyBytes(model, fail);
  await useNodeBackend('wasm');
  const loaded = await decodePolicy(model, bytes, fail);
  const atlas = decodeAtlas(new Uint8Array(readFileSync('public/world/atlas.bin')));
  const givenTrace = process.argv.includes('--given-trace');
  const res = await evaluateSplit(loaded.policy, atlas, task, split, n, givenTrace);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ model, task, split, samples: n, givenTrace, rewards: res.meanRewards, metrics: res.metrics, ...(res.diagnosis ? { diagnosis: res.diagnosis } : {}), ...(res.traceAgreement ? { traceAgreement: res.traceAgreement } : {}), ...(res.groundingDiagnosis ? { groundingDiagnosis: res.groundingDiagnosis } : {}) })}\n`);
  else {
    console.log(`${task} / ${split}, ${n} held-out samples, greedy decoding${givenTrace ? ' after the reference reasoning trace' : ''}: ${headline(res)}`);
    console.log(`mean rewards: ${Object.entries(res.meanRewards).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
    const d = res.diagnosis;
    if (d) {
      const f = (v: number) => v.toFixed(2);
      console.log(`errors: recall of ${d.gtBoxes} true boxes at IoU 0.3 / 0.5 / 0.75: ${f(d.recall['0.3'])} / ${f(d.recall['0.5'])} / ${f(d.recall['0.75'])}; category absent → "No Objects" ${d.absentAnsweredEmpty}/${d.absent}; present → no box ${d.presentAnsweredEmpty}/${d.present}; box count too few / right / too many ${d.countUnder} / ${d.countRight} / ${d.countOver}; confidences written: ${confidenceSummary(d.confidences)}`);
    }
    const rb = res.rankingBound;
    if (rb) console.log(`ranking: the same boxes ranked by their true IoU instead of the confidence written would score mAP ${rb.rankedByIou.map.toFixed(3)}, AP50 ${rb.rankedByIou.ap50.toFixed(3)} (written: ${rb.written.map.toFixed(3)}, ${rb.written.ap50.toFixed(3)})`);
    const ta = res.traceAgreement;
    if (ta) console.log(`trace: names ${ta.namedObjects} of ${ta.sceneObjects} objects in the scenes (${ta.hallucinated} names not in them); absent category: named in the trace ${ta.absentNamed}/${ta.absent}, boxed ${ta.absentBoxed}/${ta.absent}, boxed although the trace did not name it ${ta.absentBoxedUnnamed}/${ta.absent}`);
    const gd = res.groundingDiagnosis;
    if (gd) {
      console.log('answers by kind of question: hit (IoU ≥ 0.5 with the target) / other object (IoU ≥ 0.5 with another) / loose (on the target, below 0.5) / miss');
      for (const [kind, r] of Object.entries(gd).sort((a, b) => a[0].localeCompare(b[0]))) console.log(`  ${kind.padEnd(20)} ${r.hit} / ${r.other} / ${r.loose} / ${r.miss}  (of ${r.hit + r.other + r.loose + r.miss})`);
    }
    for (const ex of res.examples) console.log(`  e.g. ${ex.completion}\n       solution ${ex.solution}`);
  }
  loaded.policy.dispose();
}

void main();
