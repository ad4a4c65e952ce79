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
import { scoreSamples } from '../core/scoring/scoreSamples';
import type { ScoreMetrics, ScoreSample } from '../core/scoring/types';
import type { ExampleText } from '../core/dataset/trainingExamples';
import { evalSamples } from '../core/world/batches';
import type { WorldSplit } from '../core/world/tasks';
import type { Task } from '../core/rewards/types';
import { getCheckpoint } from '../persist/checkpoints';
import { getBlobs } from '../persist/datasets';
import { BASE_ID } from './checkpointsStore';
import { datasetPayload } from './datasetTraining';
import { BASE_POLICY_URL } from './modelsStore';
import { mlWorker } from './workerClient';
import { loadWorldAtlas, scenePng } from './worldDataset';

export type CompareSource = { kind: 'dataset'; datasetId: string } | { kind: 'world'; task: Task; split: WorldSplit; count: number };

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
  error?: string;
  completions: string[];
  reads: ReadCompletion[];
  /** Total reward (reference mode, the task's reference set) of each example. */
  totals: number[];
  rewards: Record<string, number>[];
  metrics: ScoreMetrics;
}

export interface CompareState {
  selected: string[];
  source: CompareSource | null;
  status: 'idle' | 'running' | 'done' | 'failed';
  progress?: string;
  examples: CompareExample[];
  results: ModelResult[];
  sort: 'order' | 'disagreement' | 'difference';
  error?: string;
}

export const useCompareStore = create<CompareState>(() => ({ selected: [BASE_ID], source: null, status: 'idle', examples: [], results: [], sort: 'order' }));

export function setCompare(patch: Partial<Pick<CompareState, 'selected' | 'source' | 'sort'>>): void {
  useCompareStore.setState(patch);
}

const cache = new Map<string, string[]>();
let cancelled = false;

export function cancelCompare(): void {
  cancelled = true;
}

async function modelBytes(id: string): Promise<{ bytes: ArrayBuffer; name: string }> {
  if (id === BASE_ID) return { bytes: await (await fetch(new URL(BASE_POLICY_URL, document.baseURI))).arrayBuffer(), name: 'base policy' };
  const r = await getCheckpoint(id);
  if (!r) throw new Error('that checkpoint is no longer stored');
  return { bytes: r.bytes, name: r.name };
}

/** The eval set's texts and pixels at one resolution. */
async function evalSet(source: CompareSource, size: number): Promise<{ texts: ExampleText[]; images: Float32Array; urls: (() => Promise<string>)[] }> {
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
  useCompareStore.setState({ status: 'running', error: undefined, results: [], examples: [] });
  try {
    const results: ModelResult[] = [];
    let samples: ScoreSample[] = [];
    for (const [k, id] of selected.entries()) {
      if (cancelled) throw new Error('cancelled');
      useCompareStore.setState({ progress: `model ${k + 1} of ${selected.length}: reading` });
      const { bytes, name } = await modelBytes(id);
      const config = readCheckpointHeader(new Uint8Array(bytes)).header.config;
      const set = await evalSet(source, sourceResolution(config));
      if (!samples.length) {
        samples = set.texts.map((t, i) => ({ id: i, task: t.task, width: t.width, height: t.height, image_id: t.imageId, ...(t.category ? { category: t.category } : {}), solution: t.solution }));
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
          const r = await mlWorker().request({ type: 'generate-with', bytes: bytes.slice(0), towerUrl: new URL('models/tower/', document.baseURI).href, images: set.images, prompts: set.texts.map((t) => ({ task: t.task, words: t.promptWords })), maxNewTokens: 90 });
          completions = r.completions;
          cache.set(key, completions);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
          completions = set.texts.map(() => '');
        }
      }
      const report = scoreSamples(samples, completions.map((completion, i) => ({ id: i, completion })), 'reference');
      const rewards = set.texts.map((t, i) => taskRewards(t.task, completions![i], t.solution, 'reference') as Record<string, number>);
      results.push({ id, name, error, completions, reads: completions.map((c, i) => readCompletion(set.texts[i].task, c)), totals: rewards.map((r) => Object.values(r).reduce((a, b) => a + b, 0)), rewards, metrics: report.metrics });
      useCompareStore.setState({ results: [...results] });
    }
    useCompareStore.setState({ status: 'done', progress: undefined });
  } catch (e) {
    useCompareStore.setState({ status: 'failed', progress: undefined, error: e instanceof Error ? e.message : String(e) });
  }
}

/** Example order: as given, by disagreement between models (spread of total reward), or by model 2 − model 1. */
export function exampleOrder(s: Pick<CompareState, 'examples' | 'results' | 'sort'>): number[] {
  const ids = s.examples.map((e) => e.id);
  const ok = s.results.filter((r) => !r.error);
  if (s.sort === 'order' || ok.length < 2) return ids;
  const key = (i: number) => {
    const t = ok.map((r) => r.totals[i]);
    if (s.sort === 'difference') return t[1] - t[0];
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
      models: s.results.map((r) => ({ id: r.id, name: r.name, error: r.error ?? null, metrics: r.metrics })),
      examples: s.examples.map((e) => ({ id: e.id, image_id: e.imageId, task: e.task, question: e.question, solution: e.solution, width: e.width, height: e.height, category: e.category ?? null, models: s.results.map((r) => ({ name: r.name, completion: r.completions[e.id], boxes: r.reads[e.id].boxes.map((b) => b.box), rewards: r.rewards[e.id] })) })),
    },
    null,
    1,
  );
}
