/**
 * npm run predict -- --model PATH --image FILE --task detection --category NAME [--json]
 *                    (--task classification --family NAME | --task grounding --query TEXT)
 *
 * The policy on any image file (JPEG or PNG): decoded here, then the path Try the policy takes in the app
 * (core/model/answer.ts: square RGB at the policy's resolution → the tower's features where it has one →
 * greedy generation → the strict reading of the answer). With --json, stdout holds only
 * {"completion", "boxes": [[x1, y1, x2, y2], ...] in the image's own pixels, "confidences", "ms"}.
 * An unreadable image, an unknown prompt word or a missing model file: a message and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { answerPicture, unknownWords } from '../src/core/model/answer';
import type { Task } from '../src/core/rewards/types';
import { decodePolicy, readPolicyBytes } from './policyFile';
import { decodeImageFile } from './imageFile';
import { useNodeBackend } from './tfNode';

function fail(msg: string): never {
  console.error(`predict: ${msg}`);
  process.exit(2);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const model = arg('model') ?? 'public/models/base/model.vrft';
  const imagePath = arg('image') ?? fail('--image FILE is required');
  const task = (arg('task') ?? 'detection') as Task;
  const text = task === 'detection' ? arg('category') : task === 'classification' ? arg('family') : task === 'grounding' ? arg('query') : fail(`--task must be detection, classification or grounding (got ${task})`);
  if (!text) fail(task === 'detection' ? '--category NAME is required' : task === 'classification' ? '--family NAME is required' : '--query TEXT is required');
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  let bytes: Buffer;
  try {
    bytes = readFileSync(imagePath);
  } catch (e) {
    fail(`cannot read ${imagePath} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const picture = (() => {
    try {
      return decodeImageFile(new Uint8Array(bytes));
    } catch (e) {
      return fail(`${imagePath}: ${(e as Error).message}`);
    }
  })();
  const policyBytes = readPolicyBytes(model, fail);
  await useNodeBackend('wasm');
  const { policy } = await decodePolicy(model, policyBytes, fail);
  const question = { task, words };
  const unknown = unknownWords(policy, [question]);
  if (unknown.length) fail(`the policy does not know the word${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `“${w}”`).join(', ')}`);
  const out = await answerPicture(policy, picture.rgba, picture.width, picture.height, question);
  policy.dispose();
  const boxes = out.pixelBoxes.map((b) => b.map((v) => Math.round(v * 10) / 10));
  const confidences = out.boxes.map((b) => b.confidence ?? 1);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ completion: out.completion, boxes, confidences, ms: Math.round(out.ms) })}\n`);
    return;
  }
  console.log(out.completion);
  console.log(`${picture.width}×${picture.height} px; ${boxes.length ? boxes.map((b, i) => `[${b.join(', ')}] (confidence ${confidences[i].toFixed(2)})`).join(', ') : out.label ? `label: ${out.label}` : 'no boxes'}${out.problem ? `; ${out.problem}` : ''}; ${Math.round(out.ms)} ms`);
}

void main();
