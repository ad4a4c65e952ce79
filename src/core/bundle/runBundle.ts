/**
 * Run bundles (docs/design.md §10): one zip that holds a training run so that anyone can open it — its manifest
 * (config, code version, data, start and final checkpoints by hash, final metrics), every logged metric, the
 * sampled rollouts, the items they refer to, optionally the dataset (the app's COCO export) and the weights.
 * Pure: written by the app's Train view and by `npm run experiment -- --bundles DIR`, read back by the app with
 * every problem named (not a zip, cut short, another format, a newer version, a damaged part).
 */
import { unzipSync, zipSync } from 'fflate';
import type { Rollout } from '../train/grpoStep';

export const BUNDLE_FORMAT = 'vrft-run-bundle';
/** The version this code writes and the newest it reads. */
export const BUNDLE_VERSION = 1;

export type HistoryRow = { step: number } & Record<string, number>;

/** What a run trained on: a world few-shot set (regenerated from its spec) or a dataset (bundled as COCO). */
export type BundleData = { kind: 'world'; task: string; split: string; count: number; seed: number; /** How the set was drawn, when not by the app's world sets (an experiment's few-shot set). */ note?: string } | { kind: 'dataset'; datasetName: string; task: string; split: string };

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  createdAt: string;
  /** The app (package version) and, where known, the commit that made the run. */
  code: { app: string; commit?: string };
  run: { id: string; name: string; method: 'grpo' | 'sft'; data: BundleData; config: Record<string, unknown>; steps: number; wallSeconds: number };
  /** The checkpoint the run started from, and the one it produced (null when it stopped without one). */
  start: { name: string; sha256: string };
  final: { name: string; sha256: string } | null;
  /** The last value of each metric (eval/* included). */
  finalMetrics: Record<string, number>;
  /** Which optional parts the zip holds. */
  contents: { dataset: boolean; startWeights: boolean; finalWeights: boolean };
}

/** One item of the run's data, as the rollouts refer to it (by index). */
export interface BundleItem {
  task: string;
  promptWords: string[];
  solution: string;
  /** The item's picture in the zip: dataset/images/<file> (dataset runs) or items/<index>.png (world scenes). */
  image?: string;
  width?: number;
  height?: number;
}

export interface BundleRolloutStep {
  step: number;
  groups: { promptIndex: number; itemIndex: number; solution: string; completions: Rollout[] }[];
}

export interface RunBundle {
  manifest: BundleManifest;
  history: HistoryRow[];
  rollouts: BundleRolloutStep[];
  items: BundleItem[];
  /** The dataset: its COCO annotations and its images by path (dataset/images/<file>). */
  dataset?: { coco: string; images: Map<string, Uint8Array> };
  /** World runs: each item's scene as a PNG, by path (items/<index>.png). */
  pictures?: Map<string, Uint8Array>;
  weights: { start?: Uint8Array; final?: Uint8Array };
}

export class BundleError extends Error {}

const enc = (s: string) => new TextEncoder().encode(s);
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');

/** The zip of a bundle. Text parts are deflated; images and weights are stored as they are. */
export function writeRunBundle(b: RunBundle): Uint8Array {
  const m: BundleManifest = { ...b.manifest, contents: { dataset: !!b.dataset, startWeights: !!b.weights.start, finalWeights: !!b.weights.final } };
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {
    'bundle.json': [enc(`${JSON.stringify(m, null, 2)}\n`), { level: 6 }],
    'metrics.jsonl': [enc(jsonl(b.history)), { level: 6 }],
    'rollouts.jsonl': [enc(jsonl(b.rollouts)), { level: 6 }],
    'items.json': [enc(JSON.stringify(b.items)), { level: 6 }],
  };
  if (b.dataset) {
    files['dataset/annotations.json'] = [enc(b.dataset.coco), { level: 6 }];
    for (const [path, bytes] of b.dataset.images) files[path] = [bytes, { level: 0 }];
  }
  for (const [path, bytes] of b.pictures ?? []) files[path] = [bytes, { level: 0 }];
  if (b.weights.start) files['checkpoints/start.vrft'] = [b.weights.start, { level: 0 }];
  if (b.weights.final) files['checkpoints/final.vrft'] = [b.weights.final, { level: 0 }];
  return zipSync(files);
}

/**
 * Read and check a bundle. `sha256` hashes included weights against the manifest. Throws a BundleError that says
 * what is wrong; nothing is returned half-read.
 */
export async function readRunBundle(bytes: Uint8Array, sha256: (b: Uint8Array) => Promise<string>): Promise<RunBundle> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new BundleError(`not a complete zip file (${e instanceof Error ? e.message : String(e)}): a run bundle is a .zip, and this one may be cut short`);
  }
  const text = (path: string, required = true): string | null => {
    const f = files[path];
    if (!f) {
      if (required) throw new BundleError(`${path} is missing: not a run bundle, or an incomplete one`);
      return null;
    }
    return new TextDecoder().decode(f);
  };
  const manifest = parseJson<BundleManifest>('bundle.json', text('bundle.json') as string);
  if (manifest.format !== BUNDLE_FORMAT) throw new BundleError(`bundle.json: format is ${JSON.stringify(manifest.format)}, not "${BUNDLE_FORMAT}"`);
  if (!Number.isInteger(manifest.version) || manifest.version < 1) throw new BundleError(`bundle.json: version ${JSON.stringify(manifest.version)} is not a bundle version`);
  if (manifest.version > BUNDLE_VERSION) throw new BundleError(`made by a newer version of the app (bundle version ${manifest.version}; this one reads up to ${BUNDLE_VERSION}): update the app to open it`);
  const missing = ['run', 'start', 'finalMetrics', 'contents'].filter((k) => !(k in manifest));
  if (missing.length || !manifest.run?.method || !manifest.run?.data || !manifest.start?.sha256) throw new BundleError(`bundle.json: missing ${missing.length ? missing.join(', ') : 'run.method, run.data or start.sha256'}`);
  const history = parseJsonl<HistoryRow>('metrics.jsonl', text('metrics.jsonl') as string, (r) => Number.isInteger(r.step));
  const rollouts = parseJsonl<BundleRolloutStep>('rollouts.jsonl', text('rollouts.jsonl') as string, (r) => Number.isInteger(r.step) && Array.isArray(r.groups));
  const items = parseJson<BundleItem[]>('items.json', text('items.json') as string);
  if (!Array.isArray(items)) throw new BundleError('items.json: not a list of items');
  let dataset: RunBundle['dataset'];
  if (manifest.contents.dataset) dataset = { coco: text('dataset/annotations.json') as string, images: new Map(Object.entries(files).filter(([p]) => p.startsWith('dataset/images/'))) };
  const pictures = new Map(Object.entries(files).filter(([p]) => p.startsWith('items/')));
  for (const it of items) if (it.image && !dataset?.images.has(it.image) && !pictures.has(it.image)) throw new BundleError(`${it.image} is missing: the bundle is incomplete`);
  const weights: RunBundle['weights'] = {};
  for (const [part, path, want] of [['start', 'checkpoints/start.vrft', manifest.start.sha256], ['final', 'checkpoints/final.vrft', manifest.final?.sha256]] as const) {
    const w = files[path];
    const listed = part === 'start' ? manifest.contents.startWeights : manifest.contents.finalWeights;
    if (!listed) continue;
    if (!w) throw new BundleError(`${path} is missing although bundle.json lists it`);
    if (!want || (await sha256(w)) !== want) throw new BundleError(`${path} does not match its hash in bundle.json: the bundle is damaged`);
    weights[part] = w;
  }
  return { manifest, history, rollouts, items, dataset, ...(pictures.size ? { pictures } : {}), weights };
}

function parseJson<T>(file: string, s: string): T {
  try {
    return JSON.parse(s) as T;
  } catch (e) {
    throw new BundleError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function parseJsonl<T>(file: string, s: string, valid: (r: T) => boolean): T[] {
  const out: T[] = [];
  s.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const row = parseJson<T>(`${file}:${i + 1}`, line);
    if (typeof row !== 'object' || row === null || !valid(row)) throw new BundleError(`${file}:${i + 1}: not a ${file === 'metrics.jsonl' ? 'metrics row (needs an integer step)' : 'rollout step (needs step and groups)'}`);
    out.push(row);
  });
  return out;
}
