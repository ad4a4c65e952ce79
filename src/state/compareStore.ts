/**
 * The Compare view (issue 21): two to four models on one eval set, side by side. Each model's greedy completions
 * come from the worker (cached per model hash and eval set, so a second visit is instant); they are graded by the
 * scorer of `npm run score` (core/scoring/scoreSamples.ts), overall and per image, and read into boxes and reasoning.
 */
import { create } from 'zustand';
import { readCheckpointHeader } from '../core/model/checkpoint';
import { sourceResolution } from '../core/model/config';
import { sha256Hex } from '../core/model/tower';
import { type ReadCompletion, readCompletion } from '../core/rewards/readCompletion';
import { taskRewards } from '../core/rewards/registry';
import { ERROR_TYPES, type ErrorType, errorTypes } from '../core/scoring/errorTypes';

export { ERROR_TYPES };
import { scoreSamples } from '../core/scoring/scoreSamples';
import type { ScoreMetrics, ScoreSample } from '../core/scoring/types';
import { type ExampleText, scorerSample } from '../core/dataset/trainingExamples';
import { evalSamples } from '../core/world/batches';
import type { WorldSplit } from '../core/world/tasks';
import type { Task } from '../core/rewards/types';
import { getCheckpoint } from '../persist/checkpoints';
import { getBlobs } from '../persist/datasets';
import { BASE_ID } from './checkpointsStore';
import { datasetPayload } from './datasetTraining';
import { saveBlob } from './download';
import { fetchBasePolicyBytes, towerUrl } from './modelsStore';
import { mlWorker } from './workerClient';
import { idKey } from '../core/scoring/types';
import { parsePredictions, parseSamples } from '../formats/scorerJsonl';
import { loadWorldAtlas, scenePng } from './worldDataset';

/** The eval set: a dataset's eval split, a world held-out set, or a samples file of the scorer (no pictures). */
export type CompareSource = { kind: 'dataset'; datasetId: string } | { kind: 'world'; task: Task; split: WorldSplit; count: number } | { kind: 'samples'; file: string };

/** A predictions file of some model (Qwen2-VL, …) in the scorer's JSONL, compared like a checkpoint. */
export interface ImportedPredictions {
  id: string;
  name: string;
  /** Completion by sample id key (idKey). */
  completions: Map<string, string>;
}

export interface CompareExample {
  id: number;
  /** The image this example asks about (several detection examples share one). */
  imageId: string;
  task: Task;
  question: string;
  solution: string;
  width: number;
  height: number;
  category?: string;
  imageUrl?: string;
  truth: ReadCompletion;
}

export interface ModelResult {
  id: string;
  name: string;
  /** Why this model has no results on the eval set. */
  error?: string;
  /** Something the user should know about its results (samples without a prediction). */
  note?: string;
  completions: string[];
  reads: ReadCompletion[];
  /** Total reward (reference mode, the task's reference set) of each example. */
  totals: number[];
  rewards: Record<string, number>[];
  metrics: ScoreMetrics;
  /** The scorer's metrics on each category's examples alone (what `npm run score` gives on that subset). */
  perCategory: Record<string, ScoreMetrics>;
  /** Each example's error types (core/scoring/errorTypes.ts). */
  errors: ErrorType[][];
}

export interface CompareState {
  selected: string[];
  /** Predictions files added by the user; their ids (`file:<name>`) can be selected like models. */
  imported: ImportedPredictions[];
  /** The samples file behind a `samples` eval set. */
  samplesFile: { name: string; samples: ScoreSample[] } | null;
  /** A file that could not be read: the message, shown beside the file inputs. */
  fileError?: string;
  source: CompareSource | null;
  status: 'idle' | 'running' | 'done' | 'failed';
  progress?: string;
  examples: CompareExample[];
  results: ModelResult[];
  sort: CompareSort;
  /** Only the examples of this category (null: all). */
  category: string | null;
  error?: string;
}

/** Example orders: as given, by disagreement, by the difference of two models, or by how many models make an error type. */
export type CompareSort = 'order' | 'disagreement' | 'difference' | `error:${ErrorType}`;

export const useCompareStore = create<CompareState>(() => ({ selected: [BASE_ID], imported: [], samplesFile: null, source: null, status: 'idle', examples: [], results: [], sort: 'order', category: null }));

/** Use a samples JSONL of the scorer as the eval set (its predictions files can then be compared). */
export async function loadSamplesFile(file: File): Promise<void> {
  try {
    const samples = parseSamples(file.name, await file.text()).map(({ line: _l, ...s }) => s);
    useCompareStore.setState({ samplesFile: { name: file.name, samples }, source: { kind: 'samples', file: file.name }, imported: [], fileError: undefined });
  } catch (e) {
    useCompareStore.setState({ fileError: e instanceof Error ? e.message : String(e) });
  }
}

/** Add a predictions JSONL (`{id, completion}` per line) as a model, checked against the samples file. */
export async function addPredictionsFile(file: File): Promise<void> {
  const { samplesFile, imported, selected } = useCompareStore.getState();
  if (!samplesFile) return useCompareStore.setState({ fileError: 'load the samples file these predictions answer first' });
  try {
    const preds = parsePredictions(file.name, await file.text(), samplesFile.samples);
    const id = `file:${file.name}`;
    const entry = { id, name: file.name, completions: new Map(preds.map((p) => [idKey(p.id), p.completion])) };
    useCompareStore.setState({ imported: [...imported.filter((x) => x.id !== id), entry], selected: [...selected.filter((x) => x !== id), id].slice(-4), fileError: undefined });
  } catch (e) {
    useCompareStore.setState({ fileError: e instanceof Error ? e.message : String(e) });
  }
}

export function setCompare(patch: Partial<Pick<CompareState, 'selected' | 'source' | 'sort' | 'category'>>): void {
  useCompareStore.setState(patch);
}

const cache = new Map<string, string[]>();
let cancelled = false;

export function cancelCompare(): void {
  cancelled = true;
}

async function modelBytes(id: string): Promise<{ bytes: ArrayBuffer; name: string }> {
  if (id === BASE_ID) return { bytes: await fetchBasePolicyBytes(), name: 'base policy' };
  const r = await getCheckpoint(id);
  if (!r) throw new Error('that checkpoint is no longer stored');
  return { bytes: r.bytes, name: r.name };
}

/** The eval set's texts and pixels at one resolution. */
async function evalSet(source: CompareSource, size: number): Promise<{ texts: ExampleText[]; images: Float32Array; urls: (() => Promise<string>)[] }> {
  if (source.kind === 'samples') throw new Error('a checkpoint needs pictures to answer: compare it on a dataset or a world set (a samples file has no images)');
  if (source.kind === 'dataset') {
    const { dataset, payload } = await datasetPayload(source.datasetId, size);
    if (!payload.eval) throw new Error(`“${dataset.name}” has no image in the eval split: set some images to eval in the Datasets view`);
    const texts = payload.eval.texts;
    return {
      texts,
      images: payload.eval.images,
      urls: texts.map((t) => async () => {
        const b = await getBlobs(t.imageId);
        return b ? URL.createObjectURL(b.display ?? b.original) : '';
      }),
    };
  }
  const samples = evalSamples(await loadWorldAtlas(), source.task, source.split, source.count, size);
  const images = new Float32Array(samples.length * size * size * 3);
  samples.forEach((s, i) => images.set(s.scene.image, i * size * size * 3));
  const texts: ExampleText[] = samples.map((s, i) => ({ imageId: String(i), width: s.scene.size, height: s.scene.size, task: s.task, promptWords: s.promptWords, solution: s.solution, completion: s.completion, ...(s.category ? { category: s.category } : {}) }));
  return { texts, images, urls: samples.map((s) => async () => URL.createObjectURL(await scenePng(s))) };
}

const sourceKey = (s: CompareSource) => JSON.stringify(s);

/** Generate (or reuse) every selected model's completions on the eval set, and grade them. */
export async function runCompare(): Promise<void> {
  const { selected, source } = useCompareStore.getState();
  if (!source) return useCompareStore.setState({ error: 'choose an eval set first' });
  if (selected.length < 2 || selected.length > 4) return useCompareStore.setState({ error: 'choose two to four models' });
  cancelled = false;
  useCompareStore.getState().examples.forEach((e) => e.imageUrl && URL.revokeObjectURL(e.imageUrl));
  useCompareStore.setState({ status: 'running', error: undefined, results: [], examples: [], category: null });
  try {
    const results: ModelResult[] = [];
    let samples: ScoreSample[] = [];
    const { imported, samplesFile } = useCompareStore.getState();
    if (source.kind === 'samples') {
      if (!samplesFile) throw new Error('load the samples file again');
      samples = samplesFile.samples.map((x, i) => ({ ...x, id: i }));
      const keys = samplesFile.samples.map((x) => idKey(x.id));
      useCompareStore.setState({ examples: samplesFile.samples.map((x, i) => ({ id: i, imageId: String(x.image_id ?? x.id), task: x.task, question: x.category ?? String(x.id), solution: x.solution, width: x.width, height: x.height, category: x.category, truth: readCompletion(x.task, `<think></think> ${x.solution}`) })) });
      for (const id of selected) {
        const file = imported.find((x) => x.id === id);
        if (!file) {
          results.push(emptyResult(id, id === BASE_ID ? 'base policy' : id, samples, 'a checkpoint needs pictures to answer: compare it on a dataset or a world set (a samples file has no images)'));
          continue;
        }
        const completions = keys.map((k) => file.completions.get(k) ?? '');
        results.push(grade(id, file.name, completions, samples, keys.filter((k) => !file.completions.has(k)).length ? `${keys.filter((k) => !file.completions.has(k)).length} sample(s) without a prediction score 0` : undefined));
      }
      useCompareStore.setState({ results: [...results], status: 'done', progress: undefined });
      return;
    }
    // One eval set per input resolution: models that read the same size share its decoded pictures.
    const sets = new Map<number, ReturnType<typeof evalSet>>();
    for (const [k, id] of selected.entries()) {
      if (cancelled) throw new Error('cancelled');
      if (id.startsWith('file:')) {
        results.push(emptyResult(id, id.slice(5), samples, 'a predictions file answers its samples file: choose that as the eval set'));
        continue;
      }
      useCompareStore.setState({ progress: `model ${k + 1} of ${selected.length}: reading` });
      const { bytes, name } = await modelBytes(id);
      const config = readCheckpointHeader(new Uint8Array(bytes)).header.config;
      const size = sourceResolution(config);
      if (!sets.has(size)) sets.set(size, evalSet(source, size));
      const set = await sets.get(size)!;
      if (!samples.length) {
        samples = set.texts.map(scorerSample);
        const examples: CompareExample[] = set.texts.map((t, i) => ({ id: i, imageId: t.imageId, task: t.task, question: t.promptWords.join(' '), solution: t.solution, width: t.width, height: t.height, category: t.category, truth: readCompletion(t.task, `<think></think> ${t.solution}`) }));
        useCompareStore.setState({ examples });
        void Promise.all(set.urls.map(async (u, i) => ({ i, url: await u() }))).then((urls) =>
          useCompareStore.setState((s) => ({ examples: s.examples.map((e) => ({ ...e, imageUrl: urls.find((x) => x.i === e.id)?.url })) })),
        );
      }
      const key = `${await sha256Hex(new Uint8Array(bytes))}|${sourceKey(source)}`;
      let completions = cache.get(key);
      let error: string | undefined;
      if (!completions) {
        useCompareStore.setState({ progress: `model ${k + 1} of ${selected.length} (${name}): answering ${set.texts.length} examples…` });
        try {
          const r = await mlWorker().request({ type: 'generate-with', bytes: bytes.slice(0), towerUrl: towerUrl(), images: set.images, prompts: set.texts.map((t) => ({ task: t.task, words: t.promptWords })), maxNewTokens: 90 });
          completions = r.completions;
          cache.set(key, completions);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
          completions = set.texts.map(() => '');
        }
      }
      results.push(error ? emptyResult(id, name, samples, error) : grade(id, name, completions, samples));
      useCompareStore.setState({ results: [...results] });
    }
    useCompareStore.setState({ status: 'done', progress: undefined });
  } catch (e) {
    useCompareStore.setState({ status: 'failed', progress: undefined, error: e instanceof Error ? e.message : String(e) });
  }
}

/** A model's completions graded by the scorer, per example and overall (reference mode). */
function grade(id: string, name: string, completions: string[], samples: ScoreSample[], note?: string): ModelResult {
  const report = scoreSamples(samples, completions.map((completion, i) => ({ id: samples[i].id, completion })), 'reference');
  const rewards = samples.map((x, i) => taskRewards(x.task, completions[i], x.solution, 'reference') as Record<string, number>);
  const perCategory: Record<string, ScoreMetrics> = {};
  for (const c of [...new Set(samples.map(categoryOf).filter((c): c is string => !!c))].sort()) {
    const idx = samples.flatMap((x, i) => (categoryOf(x) === c ? [i] : []));
    perCategory[c] = scoreSamples(idx.map((i) => samples[i]), idx.map((i) => ({ id: samples[i].id, completion: completions[i] })), 'reference').metrics;
  }
  const errors = samples.map((x, i) => errorTypes(x.task, completions[i], x.solution));
  return { id, name, ...(note ? { note } : {}), completions, reads: completions.map((c, i) => readCompletion(samples[i].task, c)), totals: rewards.map((r) => Object.values(r).reduce((a, b) => a + b, 0)), rewards, metrics: report.metrics, perCategory, errors };
}

/** The category an example belongs to: the one it asks about (detection), or its true class (classification). */
function categoryOf(s: ScoreSample): string | undefined {
  if (s.category) return String(s.category);
  return s.task === 'classification' ? (readCompletion('classification', `<think></think> ${s.solution}`).label ?? undefined) : undefined;
}

/** The categories of the eval set, for the filter (examples' asked category or true class). */
export function exampleCategory(e: CompareExample): string | null {
  return e.category ?? (e.task === 'classification' ? e.truth.label : null);
}

function emptyResult(id: string, name: string, samples: ScoreSample[], error: string): ModelResult {
  return { ...grade(id, name, samples.map(() => ''), samples), error };
}

/** Example order: as given, by disagreement between models (spread of total reward), or by model 2 − model 1. */
export function exampleOrder(s: Pick<CompareState, 'examples' | 'results' | 'sort' | 'category'>): number[] {
  const ids = s.examples.filter((e) => s.category === null || exampleCategory(e) === s.category).map((e) => e.id);
  const ok = s.results.filter((r) => !r.error);
  const sort = s.sort;
  if (sort.startsWith('error:')) {
    const type = sort.slice('error:'.length) as ErrorType;
    const count = (i: number) => ok.filter((r) => r.errors[i]?.includes(type)).length;
    return [...ids].sort((a, b) => count(b) - count(a) || a - b);
  }
  if (sort === 'order' || ok.length < 2) return ids;
  const key = (i: number) => {
    const t = ok.map((r) => r.totals[i]);
    if (sort === 'difference') return t[1] - t[0];
    const m = t.reduce((a, b) => a + b, 0) / t.length;
    return t.reduce((a, b) => a + (b - m) ** 2, 0);
  };
  return [...ids].sort((a, b) => key(b) - key(a) || a - b);
}

/** The comparison as JSON: per example and model the completion, parsed boxes and rewards, and the metrics table. */
export function comparisonJson(s: Pick<CompareState, 'examples' | 'results' | 'source'>): string {
  return JSON.stringify(
    {
      source: s.source,
      models: s.results.map((r) => ({ id: r.id, name: r.name, error: r.error ?? null, metrics: r.metrics, per_category: r.perCategory })),
      examples: s.examples.map((e) => ({ id: e.id, image_id: e.imageId, task: e.task, question: e.question, solution: e.solution, width: e.width, height: e.height, category: e.category ?? null, models: s.results.map((r) => ({ name: r.name, completion: r.completions[e.id], boxes: r.reads[e.id].boxes.map((b) => b.box), rewards: r.rewards[e.id], errors: r.errors[e.id] })) })),
    },
    null,
    1,
  );
}

/** Download the comparison as `comparison.json` (what the view shows). */
export function downloadComparison(): void {
  saveBlob(new Blob([comparisonJson(useCompareStore.getState())], { type: 'application/json' }), 'comparison.json');
}
