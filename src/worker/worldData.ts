/** Training items generated from the synthetic world in the worker (atlas fetched once from the app). */
import type { Policy } from '../core/model/policy';
import type { TrainItem } from '../core/train/trainer';
import { type Atlas, decodeAtlas } from '../core/world/atlas';
import { worldItemSeed } from '../core/world/batches';
import { sourceResolution } from '../core/model/config';
import { type VisualCache, toTrainItems, worldExample } from '../core/train/trainItems';
import { worldSample } from '../core/world/tasks';
import { fetchWithProgress } from './fetchWithProgress';
import type { ExamplesPayload, WorldDataSpec } from './protocol';
import { type ExampleText, exampleWords, scorerSample } from '../core/dataset/trainingExamples';
import type { ScoreSample } from '../core/scoring/types';
import type { LabelledExample } from '../core/train/trainItems';

let atlas: { url: string; value: Promise<Atlas> } | null = null;

export function loadAtlas(url: string): Promise<Atlas> {
  if (atlas?.url !== url) atlas = { url, value: fetchWithProgress(url, () => {}).then(decodeAtlas) };
  return atlas.value;
}

/** Visual inputs of the page's images and scenes, computed once per page (a tower policy's features). */
const visualCache: VisualCache = new Map();

export async function worldItems(policy: Policy, spec: WorldDataSpec): Promise<TrainItem[]> {
  const a = await loadAtlas(spec.atlasUrl);
  const size = sourceResolution(policy.config);
  const seeds = Array.from({ length: spec.count }, (_, i) => worldItemSeed(spec.seed, i));
  const keys = seeds.map((s) => `world|${spec.task}|${spec.split}|${s}`);
  return toTrainItems(policy, seeds.map((s) => worldExample(worldSample(a, spec.task, spec.split, s, undefined, undefined, size))), keys, visualCache);
}

/** A payload's examples (texts and their pixels) as labelled examples. */
function labelled(size: number, images: Float32Array, texts: ExampleText[]): LabelledExample[] {
  if (images.length !== texts.length * size * size * 3) throw new Error(`expected ${texts.length} images of ${size}×${size}×3 values`);
  const px = size * size * 3;
  return texts.map((t, i) => ({ task: t.task, image: images.subarray(i * px, (i + 1) * px), size, promptWords: t.promptWords, solution: t.solution, completion: t.completion }));
}

/**
 * A user dataset's items and its held-out set: the words the policy does not know grow its vocabulary first
 * (returned, so the page can say which), then the one conversion of core/train/trainItems.ts.
 */
export async function datasetItems(policy: Policy, payload: ExamplesPayload): Promise<{ items: TrainItem[]; evalItems: TrainItem[]; evalSamples: ScoreSample[]; newWords: string[] }> {
  const { size, images, texts } = payload;
  if (!texts.length) throw new Error('the dataset has no training examples');
  const evalTexts = payload.eval?.texts ?? [];
  const newWords = [...new Set([...texts, ...evalTexts].flatMap(exampleWords))].filter((w) => !policy.tokenizer.hasWord(w));
  if (newWords.length) policy.addWords(newWords);
  const items = await toTrainItems(policy, labelled(size, images, texts), texts.map((t) => `image|${t.imageId}`), visualCache);
  const evalItems = payload.eval ? await toTrainItems(policy, labelled(size, payload.eval.images, evalTexts), evalTexts.map((t) => `image|${t.imageId}`), visualCache) : [];
  const evalSamples: ScoreSample[] = evalTexts.map(scorerSample);
  return { items, evalItems, evalSamples, newWords };
}
