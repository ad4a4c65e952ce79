/**
 * npm run score -- --samples S.jsonl --predictions P.jsonl [--mode reference|strict] [--json]
 *
 * Grades model completions (from the in-browser policy or from Qwen2-VL and friends) with the Visual-RFT
 * rewards and COCO-style metrics. Exit codes: 0 scored, 2 bad input (message names file and line).
 */
import { REWARD_MODES, type RewardMode } from '../src/core/rewards/types';
import { scoreSamples } from '../src/core/scoring/scoreSamples';
import { InputError } from '../src/formats/jsonlError';
import { readText } from './inputFile';
import { parsePredictions, parseSamples } from '../src/formats/scorerJsonl';
import { formatScoreTable } from './scoreTable';

const USAGE = 'usage: npm run score -- --samples S.jsonl --predictions P.jsonl [--mode reference|strict] [--json]';

interface Args {
  samples: string;
  predictions: string;
  mode: RewardMode;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const out: Partial<Args> = { mode: 'reference', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--samples') out.samples = value();
    else if (a === '--predictions') out.predictions = value();
    else if (a === '--mode') {
      const m = value();
      if (!REWARD_MODES.includes(m as RewardMode)) throw new UsageError(`--mode must be reference or strict, not ${m}`);
      out.mode = m as RewardMode;
    } else if (a === '--json') out.json = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown argument ${a}`);
  }
  if (!out.samples) throw new UsageError('--samples is required');
  if (!out.predictions) throw new UsageError('--predictions is required');
  return out as Args;
}

class UsageError extends Error {}


function main(): number {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`score: ${e.message}\n${USAGE}`);
    return 2;
  }
  try {
    const samples = parseSamples(args.samples, readText(args.samples));
    const predictions = parsePredictions(args.predictions, readText(args.predictions), samples);
    const report = scoreSamples(samples, predictions, args.mode);
    if (report.missing.length) {
      const shown = report.missing.slice(0, 5).map((id) => JSON.stringify(id)).join(', ');
      console.error(`score: warning: ${report.missing.length} sample(s) have no prediction and score 0 (${shown}${report.missing.length > 5 ? ', …' : ''})`);
    }
    const { samples: scored, metrics } = report;
    if (args.json) process.stdout.write(`${JSON.stringify({ samples: scored, metrics })}\n`);
    else process.stdout.write(formatScoreTable(report, samples.map((s) => s.task), args.mode));
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      console.error(`score: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main();
