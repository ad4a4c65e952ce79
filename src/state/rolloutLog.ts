/**
 * The rollout inspector's data: every step's sampled groups, each prompt with its picture, its ground truth and its
 * G completions read into reasoning, boxes, per-function rewards, advantage and whether it was cut at the maximum
 * length. Kept for the whole run (the newest 300 steps), so any past step can be opened from a chart point.
 */
import { create } from 'zustand';
import { type ReadBox, readCompletion } from '../core/rewards/readCompletion';
import type { Task } from '../core/rewards/types';
import { sourceResolution } from '../core/model/config';
import { worldItemSeed } from '../core/world/batches';
import { worldSample } from '../core/world/tasks';
import type { ExampleText } from '../core/dataset/trainingExamples';
import { getBlobs } from '../persist/datasets';
import type { Rollout, TrainSpec } from '../worker/protocol';
import { usePolicyStore } from './modelsStore';
import { loadWorldAtlas, scenePng } from './worldDataset';

export interface InspectedCompletion extends Rollout {
  think: string | null;
  boxes: ReadBox[];
  label: string | null;
  problem: string | null;
}

export interface InspectedGroup {
  promptIndex: number;
  itemIndex: number;
  task: Task;
  /** The prompt's words (category, family word or description), when the page knows the item. */
  question: string | null;
  solution: string;
  truth: { boxes: ReadBox[]; label: string | null };
  completions: InspectedCompletion[];
  /** Every completion got the same reward: the group moves nothing (zero advantage). */
  noSignal: boolean;
}

export interface InspectorState {
  steps: Record<number, InspectedGroup[]>;
  /** The step shown; null follows the newest. */
  selected: number | null;
  sort: 'order' | 'reward' | 'advantage';
  onlySignal: boolean;
  /** Picture of each training item (object URLs), filled as they are needed. */
  images: Record<number, string>;
  /** World items' prompt words, filled with their pictures. */
  questions: Record<number, string>;
}

export const useInspectorStore = create<InspectorState>(() => ({ steps: {}, selected: null, sort: 'order', onlySignal: false, images: {}, questions: {} }));

const MAX_STEPS = 300;
/** Where a dataset item's picture comes from: this browser's storage, or (a bundle) the lookup given. */
type Pictures = (imageId: string) => Blob | null;
let source: { spec: TrainSpec; texts?: ExampleText[]; pictures?: Pictures } | null = null;

/** A new run (or an opened bundle): forget the last one's rollouts and pictures. */
export function resetInspector(spec: TrainSpec, texts?: ExampleText[], pictures?: Pictures): void {
  Object.values(useInspectorStore.getState().images).forEach((u) => URL.revokeObjectURL(u));
  source = { spec, texts, pictures };
  useInspectorStore.setState({ steps: {}, selected: null, images: {}, questions: {} });
}

/** The raw rollouts of every step kept (what a run bundle holds). */
export function inspectedRollouts(): { step: number; groups: { promptIndex: number; itemIndex: number; solution: string; completions: Rollout[] }[] }[] {
  return Object.entries(useInspectorStore.getState().steps)
    .map(([step, groups]) => ({
      step: Number(step),
      groups: groups.map((g) => ({ promptIndex: g.promptIndex, itemIndex: g.itemIndex, solution: g.solution, completions: g.completions.map(({ promptIndex, completion, rewards, reward, advantage, clipped }) => ({ promptIndex, completion, rewards, reward, advantage, clipped })) })),
    }))
    .sort((a, b) => a.step - b.step);
}

export function setInspector(patch: Partial<Pick<InspectorState, 'selected' | 'sort' | 'onlySignal'>>): void {
  useInspectorStore.setState(patch);
}

export function recordRollouts(step: number, rollouts: Rollout[], solutions: string[], items: number[], task: Task): void {
  const groups: InspectedGroup[] = solutions.map((solution, promptIndex) => {
    const completions = rollouts.filter((r) => r.promptIndex === promptIndex).map((r) => ({ ...r, ...pick(readCompletion(task, r.completion)) }));
    const truth = readCompletion(task, `<think></think> ${solution}`);
    const itemIndex = items[promptIndex] ?? -1;
    return { promptIndex, itemIndex, task, question: questionOf(itemIndex), solution, truth: { boxes: truth.boxes, label: truth.label }, completions, noSignal: completions.every((c) => c.reward === completions[0]?.reward) };
  });
  useInspectorStore.setState((s) => {
    const steps = { ...s.steps, [step]: groups };
    const keys = Object.keys(steps).map(Number).sort((a, b) => a - b);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_STEPS))) delete steps[k];
    return { steps };
  });
  for (const g of groups) void loadImage(g.itemIndex);
}

/** The words an item asks about: from the dataset's texts, or the world sample of that index. */
function questionOf(itemIndex: number): string | null {
  if (!source || itemIndex < 0) return null;
  return source.texts?.[itemIndex]?.promptWords.join(' ') ?? null;
}

function pick(r: ReturnType<typeof readCompletion>) {
  return { think: r.think, boxes: r.boxes, label: r.label, problem: r.problem };
}

const loading = new Set<number>();

async function loadImage(itemIndex: number): Promise<void> {
  if (itemIndex < 0 || !source || useInspectorStore.getState().images[itemIndex] || loading.has(itemIndex)) return;
  loading.add(itemIndex);
  const { spec, texts, pictures } = source;
  // One picture per task: a step's pictures started together would otherwise render (world scenes) and encode in
  // one long main-thread task.
  await new Promise((resolve) => setTimeout(resolve, 0));
  try {
    let blob: Blob | null = null;
    if (pictures) {
      const t = texts?.[itemIndex];
      blob = t ? pictures(t.imageId) : null;
    } else if (spec.data.kind === 'dataset') {
      const t = texts?.[itemIndex];
      const b = t && (await getBlobs(t.imageId));
      blob = b ? (b.display ?? b.original) : null;
    } else {
      const summary = usePolicyStore.getState().summary;
      const size = summary ? sourceResolution(summary.config) : undefined;
      const d = spec.data;
      const sample = worldSample(await loadWorldAtlas(), d.task, d.split, worldItemSeed(d.seed, itemIndex), undefined, undefined, size);
      useInspectorStore.setState((s) => ({ questions: { ...s.questions, [itemIndex]: sample.promptWords.join(' ') } }));
      blob = await scenePng(sample);
    }
    if (blob && source?.spec === spec) useInspectorStore.setState((s) => ({ images: { ...s.images, [itemIndex]: URL.createObjectURL(blob!) } }));
  } catch {
    // A picture that cannot be shown leaves its group with the text only.
  } finally {
    loading.delete(itemIndex);
  }
}
