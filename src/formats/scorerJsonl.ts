/**
 * The scorer's inputs (issue 2 §6): samples JSONL `{id, task, width, height, image_id, category, solution}`
 * and predictions JSONL `{id, completion}`. Pure parsers: text in, typed records or an InputError out.
 */
import { TASKS, type Task } from '../core/rewards/types';
import { type Prediction, type SampleId, type ScoreSample, idKey } from '../core/scoring/types';
import { InputError } from './jsonlError';

/** A parsed record with the 1-based line it came from, for messages. */
export type Located<T> = T & { line: number };

function* jsonLines(file: string, text: string): Generator<{ line: number; value: Record<string, unknown> }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(i === 0 ? raw.replace(/^\ufeff/, '') : raw);
    } catch (e) {
      throw new InputError(file, i + 1, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(file, i + 1, 'each line must be a JSON object');
    yield { line: i + 1, value: value as Record<string, unknown> };
  }
}

function readId(file: string, line: number, v: Record<string, unknown>): SampleId {
  const id = v.id;
  if (id === undefined) throw new InputError(file, line, 'missing field "id"');
  if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) return id;
  throw new InputError(file, line, 'field "id" must be a string or a number');
}

function readDimension(file: string, line: number, v: Record<string, unknown>, name: 'width' | 'height'): number {
  const d = v[name];
  if (d === undefined) throw new InputError(file, line, `missing field "${name}"`);
  if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) throw new InputError(file, line, `field "${name}" must be a positive number`);
  return d;
}

export function parseSamples(file: string, text: string): Located<ScoreSample>[] {
  const out: Located<ScoreSample>[] = [];
  const seen = new Map<string, number>();
  const pairs = new Map<string, number>();
  const imageSizes = new Map<string, { width: number; height: number; line: number }>();
  for (const { line, value: v } of jsonLines(file, text)) {
    const id = readId(file, line, v);
    const prev = seen.get(idKey(id));
    if (prev !== undefined) throw new InputError(file, line, `duplicate id ${JSON.stringify(id)} (first on line ${prev})`);
    seen.set(idKey(id), line);
    if (v.task === undefined) throw new InputError(file, line, 'missing field "task"');
    if (!TASKS.includes(v.task as Task)) throw new InputError(file, line, `field "task" must be one of ${TASKS.join(', ')}, not ${JSON.stringify(v.task)}`);
    const task = v.task as Task;
    const width = readDimension(file, line, v, 'width');
    const height = readDimension(file, line, v, 'height');
    if (v.solution === undefined) throw new InputError(file, line, 'missing field "solution"');
    if (typeof v.solution !== 'string') throw new InputError(file, line, 'field "solution" must be a string');
    const sample: Located<ScoreSample> = { id, task, width, height, solution: v.solution, line };
    if (task === 'detection') {
      const imageId = v.image_id;
      if (imageId === undefined) throw new InputError(file, line, 'missing field "image_id" (required for detection)');
      if (typeof imageId !== 'string' && !(typeof imageId === 'number' && Number.isFinite(imageId))) throw new InputError(file, line, 'field "image_id" must be a string or a number');
      if (v.category === undefined) throw new InputError(file, line, 'missing field "category" (required for detection)');
      if (typeof v.category !== 'string' || v.category === '') throw new InputError(file, line, 'field "category" must be a non-empty string');
      const pairKey = `${idKey(imageId)}|${v.category}`;
      const prevPair = pairs.get(pairKey);
      if (prevPair !== undefined) throw new InputError(file, line, `image ${JSON.stringify(imageId)} and category ${JSON.stringify(v.category)} already have a sample (line ${prevPair}): one sample holds all boxes of a category on an image`);
      pairs.set(pairKey, line);
      const size = imageSizes.get(idKey(imageId));
      if (size && (size.width !== width || size.height !== height)) throw new InputError(file, line, `image ${JSON.stringify(imageId)} is ${width}×${height} here but ${size.width}×${size.height} on line ${size.line}`);
      imageSizes.set(idKey(imageId), { width, height, line });
      sample.image_id = imageId;
      sample.category = v.category;
    }
    out.push(sample);
  }
  return out;
}

/** Parse predictions and check every id against the samples (unknown and duplicate ids are errors). */
export function parsePredictions(file: string, text: string, samples: ScoreSample[]): Located<Prediction>[] {
  const known = new Set(samples.map((s) => idKey(s.id)));
  const seen = new Map<string, number>();
  const out: Located<Prediction>[] = [];
  for (const { line, value: v } of jsonLines(file, text)) {
    const id = readId(file, line, v);
    if (!known.has(idKey(id))) throw new InputError(file, line, `unknown id ${JSON.stringify(id)}: no sample has it`);
    const prev = seen.get(idKey(id));
    if (prev !== undefined) throw new InputError(file, line, `duplicate id ${JSON.stringify(id)} (first on line ${prev})`);
    seen.set(idKey(id), line);
    if (v.completion === undefined) throw new InputError(file, line, 'missing field "completion"');
    if (typeof v.completion !== 'string') throw new InputError(file, line, 'field "completion" must be a string');
    out.push({ id, completion: v.completion, line });
  }
  return out;
}
