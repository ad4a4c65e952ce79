/**
 * The policy answering questions about pictures: the one path that Try the policy (in the worker) and
 * `npm run predict` share after decoding — square RGB at the policy's source resolution → visual inputs (the tower's
 * features where it has one) → generation → the answer read as the strict parsers read it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { squareRgbFromRgba } from '../image/resize';
import { readCompletion, type ReadCompletion } from '../rewards/readCompletion';
import type { Task } from '../rewards/types';
import { Rng } from '../rng';
import { sourceResolution, visualShape } from './config';
import { generate } from './generate';
import type { Policy } from './policy';
import { encodeImages } from './visualInput';

export interface Question {
  task: Task;
  /** The prompt's words: a category (detection), a family word (classification) or a description (grounding). */
  words: string[];
}

export interface SamplingOptions {
  samples: number;
  temperature: number;
  maxNewTokens: number;
  seed: number;
}

export const GREEDY: SamplingOptions = { samples: 1, temperature: 0, maxNewTokens: 90, seed: 0 };

/** Prompt words the policy has no token for (they would become `unk`, a question it was never asked). */
export function unknownWords(policy: Policy, questions: Question[]): string[] {
  return [...new Set(questions.flatMap((q) => q.words).filter((w) => !policy.tokenizer.hasWord(w)))];
}

/**
 * Completions, per question, for square RGB images [n, R, R, 3] in 0–1 at R = sourceResolution(config). Unknown
 * prompt words are refused by name.
 */
export async function answerImages(policy: Policy, images: Float32Array, questions: Question[], opts: SamplingOptions = GREEDY): Promise<string[][]> {
  const R = sourceResolution(policy.config);
  if (images.length !== questions.length * R * R * 3) throw new Error(`expected ${questions.length} images of ${R}×${R}×3 values`);
  const unknown = unknownWords(policy, questions);
  if (unknown.length) throw new Error(`the policy does not know the word${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `“${w}”`).join(', ')}: prompts use the words of its training data (the world's categories, colours, shapes and relations)`);
  const t = policy.tokenizer;
  const visual = await encodeImages(policy.config, policy.tower, images, questions.length);
  const tensor = tf.tensor4d(visual, [questions.length, ...visualShape(policy.config)]);
  try {
    const out = await generate(policy, { images: tensor, prompts: questions.map((q) => [t.taskId(q.task), ...q.words.map((w) => t.wordId(w))]), samplesPerPrompt: opts.samples, maxNewTokens: opts.maxNewTokens, temperature: opts.temperature, topK: 0, rng: new Rng(opts.seed) });
    return questions.map((_, i) => out.texts.filter((__, r) => out.promptIndex[r] === i));
  } finally {
    tensor.dispose();
  }
}

export interface PictureAnswer extends ReadCompletion {
  completion: string;
  /** The answer's boxes in the picture's own pixels [x1, y1, x2, y2], in the order the completion writes them. */
  pixelBoxes: [number, number, number, number][];
  ms: number;
}

/** One greedy answer about a decoded picture of any size (RGBA bytes). */
export async function answerPicture(policy: Policy, rgba: ArrayLike<number>, width: number, height: number, question: Question): Promise<PictureAnswer> {
  const t0 = performance.now();
  const R = sourceResolution(policy.config);
  const [[completion]] = await answerImages(policy, squareRgbFromRgba(rgba, width, height, R), [question]);
  const read = readCompletion(question.task, completion);
  const pixelBoxes = read.boxes.map((b) => [(b.box[0] / 1000) * width, (b.box[1] / 1000) * height, (b.box[2] / 1000) * width, (b.box[3] / 1000) * height] as [number, number, number, number]);
  return { completion, ...read, pixelBoxes, ms: performance.now() - t0 };
}
