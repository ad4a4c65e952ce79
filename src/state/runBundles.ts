/**
 * Run bundles in the app (core/bundle/runBundle.ts holds the format): the Train view exports a finished run as
 * one zip, and opens one — from a file or a URL served beside the app — read-only: its curves in the charts, its
 * rollouts in the inspector, with actions to add its model to Models (then Compare), import its dataset, or
 * resume training from its final weights. A bundle that does not read changes nothing.
 */
import { zipSync } from 'fflate';
import { create } from 'zustand';
import { type BundleItem, type BundleManifest, type RunBundle, readRunBundle, writeRunBundle } from '../core/bundle/runBundle';
import { datasetExamples, type ExampleText } from '../core/dataset/trainingExamples';
import { sourceResolution } from '../core/model/config';
import { sha256Hex } from '../core/model/tower';
import { worldItemSeed } from '../core/world/batches';
import { worldSample } from '../core/world/tasks';
import { parseCoco, serializeCoco } from '../formats/coco';
import { launchKit } from '../formats/launchKit';
import rewardsPy from '../../tools/reference_rewards.py?raw';
import { getCheckpoint } from '../persist/checkpoints';
import { getBlobs } from '../persist/datasets';
import type { DataSource, TrainSpec } from '../worker/protocol';
import { makeCurrent, storeCheckpoint } from './checkpointsStore';
import { importDataset } from './datasetIO';
import { readDataset } from './datasetTraining';
import { saveBlob } from './download';
import { usePolicyStore } from './modelsStore';
import { inspectedRollouts, recordRollouts, resetInspector } from './rolloutLog';
import { setTrainForm, setTrainSource, useTrainStore } from './trainStore';
import { loadWorldAtlas, scenePng } from './worldDataset';

export interface BundleState {
  busy: boolean;
  error?: string;
  /** The bundle on show (read-only in the Train view). */
  open?: { fileName: string; manifest: BundleManifest };
  notice?: string;
}

export const useBundleStore = create<BundleState>(() => ({ busy: false }));

let opened: RunBundle | null = null;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const safeName = (s: string) => s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';

async function busy(run: () => Promise<void>): Promise<void> {
  if (useBundleStore.getState().busy) return;
  useBundleStore.setState({ busy: true, error: undefined, notice: undefined });
  try {
    await run();
  } catch (e) {
    useBundleStore.setState({ error: message(e) });
  } finally {
    useBundleStore.setState({ busy: false });
  }
}

/** The run's items as the rollouts refer to them, and (dataset runs) the dataset with its images. */
async function itemsOf(data: DataSource): Promise<Pick<RunBundle, 'items' | 'dataset' | 'pictures'>> {
  if (data.kind !== 'dataset') {
    const summary = usePolicyStore.getState().summary;
    const size = summary ? sourceResolution(summary.config) : undefined;
    const atlas = await loadWorldAtlas();
    const items: BundleItem[] = [];
    const pictures = new Map<string, Uint8Array>();
    for (let i = 0; i < data.count; i++) {
      const s = worldSample(atlas, data.task, data.split, worldItemSeed(data.seed, i), undefined, undefined, size);
      items.push({ task: s.task, promptWords: s.promptWords, solution: s.solution, image: `items/${i}.png` });
      pictures.set(`items/${i}.png`, new Uint8Array(await (await scenePng(s)).arrayBuffer()));
    }
    return { items, pictures };
  }
  const dataset = await readDataset(data.datasetId);
  const byId = new Map(dataset.images.map((im) => [im.id, im]));
  const images = new Map<string, Uint8Array>();
  for (const im of dataset.images) {
    const b = await getBlobs(im.id);
    if (!b) throw new Error(`${im.fileName}: its pixels are missing from this browser's storage`);
    images.set(`dataset/images/${im.fileName}`, new Uint8Array(await b.original.arrayBuffer()));
  }
  const items: BundleItem[] = datasetExamples(dataset, 'train').map((t) => ({ task: t.task, promptWords: t.promptWords, solution: t.solution, image: `dataset/images/${byId.get(t.imageId)?.fileName}`, width: t.width, height: t.height }));
  return { items, dataset: { coco: serializeCoco(dataset), images } };
}

/** Export the run on show (finished, its model stored) as a bundle; `withWeights` adds the trained model's bytes. */
export function exportRunBundle(withWeights: boolean): Promise<void> {
  return busy(async () => {
    const { run, history } = useTrainStore.getState();
    if (!run?.spec || !run.resultId) throw new Error('a bundle is made from a finished run whose model is stored: finish a run first');
    const rec = await getCheckpoint(run.resultId);
    if (!rec?.provenance) throw new Error('the run’s model is no longer stored (deleted in the Models view?)');
    const p = rec.provenance;
    const data = run.spec.data;
    const manifest: BundleManifest = {
      format: 'vrft-run-bundle',
      version: 1,
      createdAt: new Date().toISOString(),
      code: { app: __APP_VERSION__, ...(__APP_COMMIT__ ? { commit: __APP_COMMIT__ } : {}) },
      run: { id: run.id, name: rec.name, method: run.method, data: data.kind === 'dataset' ? { kind: 'dataset', datasetName: data.datasetName, task: data.task, split: data.split } : { kind: 'world', task: data.task, split: data.split, count: data.count, seed: data.seed }, config: p.config, steps: p.steps, wallSeconds: p.wallSeconds },
      start: p.parent,
      final: { name: rec.name, sha256: rec.sha256 },
      finalMetrics: p.finalMetrics,
      contents: { dataset: false, startWeights: false, finalWeights: false },
    };
    const bytes = writeRunBundle({ manifest, history, rollouts: inspectedRollouts(), ...(await itemsOf(data)), weights: withWeights ? { final: new Uint8Array(rec.bytes) } : {} });
    saveBlob(new Blob([bytes as BlobPart], { type: 'application/zip' }), `${safeName(rec.name)}.bundle.zip`);
  });
}

/** Open a bundle file: shown read-only in the Train view once it reads whole. */
export function openRunBundle(file: File): Promise<void> {
  return busy(async () => show(new Uint8Array(await file.arrayBuffer()), file.name));
}

/** Open a bundle served beside the app (same origin: the page's Content-Security-Policy allows no other). */
export function openRunBundleUrl(url: string): Promise<void> {
  return busy(async () => {
    let res: Response;
    try {
      res = await fetch(new URL(url, document.baseURI));
    } catch (e) {
      throw new Error(`${url}: could not be fetched (${message(e)}); bundles are read from this app's own server`);
    }
    if (!res.ok) throw new Error(`${url}: the server answered ${res.status} ${res.statusText}`);
    await show(new Uint8Array(await res.arrayBuffer()), url.replace(/^.*\//, ''));
  });
}

async function show(bytes: Uint8Array, fileName: string): Promise<void> {
  const status = useTrainStore.getState().run?.status;
  if (status === 'running' || status === 'paused' || status === 'stopping') throw new Error('a run is in progress: stop it before opening a bundle');
  let bundle: RunBundle;
  try {
    bundle = await readRunBundle(bytes, sha256Hex);
  } catch (e) {
    throw new Error(`${fileName}: ${message(e)}`);
  }
  const m = bundle.manifest;
  const d = m.run.data;
  const data: DataSource = d.kind === 'world' ? { kind: 'world', task: d.task as never, split: d.split as never, count: d.count, seed: d.seed, atlasUrl: new URL('world/atlas.bin', document.baseURI).href } : { kind: 'dataset', datasetId: '', datasetName: d.datasetName, task: d.task as never, split: 'train' };
  const spec = { method: m.run.method, config: m.run.config, data, outputName: m.run.name } as unknown as TrainSpec;
  // The inspector's items and pictures come from the bundle (dataset images or the world scenes it holds).
  const texts: ExampleText[] = bundle.items.map((it) => ({ imageId: it.image ?? '', width: it.width ?? 0, height: it.height ?? 0, task: it.task as never, promptWords: it.promptWords, solution: it.solution, completion: '' }));
  const picture = (id: string) => bundle.dataset?.images.get(id) ?? bundle.pictures?.get(id);
  resetInspector(spec, texts, (id) => {
    const bytes = picture(id);
    return bytes ? new Blob([bytes as BlobPart], { type: id.endsWith('.png') ? 'image/png' : '' }) : null;
  });
  for (const s of bundle.rollouts) {
    recordRollouts(s.step, s.groups.flatMap((g) => g.completions), s.groups.map((g) => g.solution), s.groups.map((g) => g.itemIndex), d.task as never);
  }
  opened = bundle;
  useTrainStore.setState({ run: { id: m.run.id, status: 'finished', method: m.run.method, spec, bundle: fileName, detail: `opened from ${fileName} (read-only)` }, history: bundle.history, error: undefined });
  useBundleStore.setState({ open: { fileName, manifest: m } });
}

/** Stop showing the bundle (the Train view returns to an empty run). */
export function closeRunBundle(): void {
  opened = null;
  useBundleStore.setState({ open: undefined, notice: undefined, error: undefined });
  if (useTrainStore.getState().run?.bundle) useTrainStore.setState({ run: null, history: [] });
}

async function addModel(b: RunBundle): Promise<string> {
  const m = b.manifest;
  if (!b.weights.final || !m.final) throw new Error('this bundle holds no weights (it was exported without them)');
  const d = m.run.data;
  const provenance = {
    parent: m.start,
    data: d.kind === 'world' ? d : { kind: 'dataset' as const, datasetId: '', datasetName: d.datasetName, split: d.split },
    method: m.run.method,
    config: m.run.config,
    runId: m.run.id,
    steps: m.run.steps,
    wallSeconds: m.run.wallSeconds,
    finalMetrics: m.finalMetrics,
    history: b.history,
  };
  return storeCheckpoint(b.weights.final.slice().buffer, m.final.sha256, m.final.name, provenance);
}

/** Keep the bundle's trained model in Models (with its provenance), so Compare and Try can use it. */
export function addBundleModel(): Promise<void> {
  return busy(async () => {
    if (!opened) throw new Error('no bundle is open');
    await addModel(opened);
    useBundleStore.setState({ notice: `${opened.manifest.final?.name} is in Models.` });
  });
}

async function importData(b: RunBundle): Promise<string | null> {
  if (!b.dataset || b.manifest.run.data.kind !== 'dataset') throw new Error('this bundle trained on the synthetic world; it holds no dataset');
  const files: Record<string, Uint8Array> = { 'annotations.json': new TextEncoder().encode(b.dataset.coco) };
  for (const [path, bytes] of b.dataset.images) files[path.replace(/^dataset\//, '')] = bytes;
  const name = b.manifest.run.data.datasetName;
  return importDataset([{ file: new File([zipSync(files) as BlobPart], `${name}.zip`) }], name);
}

/** Import the bundle's dataset into the Datasets view. */
export function importBundleDataset(): Promise<void> {
  return busy(async () => {
    if (!opened) throw new Error('no bundle is open');
    if ((await importData(opened)) === null) throw new Error('the dataset could not be imported (see the Datasets view)');
    useBundleStore.setState({ notice: `Dataset “${opened.manifest.run.data.kind === 'dataset' ? opened.manifest.run.data.datasetName : ''}” imported.` });
  });
}

/**
 * Resume training from here: the bundle's final model becomes current, its dataset (if any) is imported and
 * chosen, and the form takes the run's method and settings; Start then trains on from the final weights.
 */
export function resumeFromBundle(): Promise<void> {
  return busy(async () => {
    const b = opened;
    if (!b) throw new Error('no bundle is open');
    const id = await addModel(b);
    await makeCurrent(id);
    const m = b.manifest;
    const d = m.run.data;
    const c = m.run.config as Record<string, unknown>;
    const num = (k: string, fallback: number) => (typeof c[k] === 'number' ? (c[k] as number) : fallback);
    const form = useTrainStore.getState().form;
    if (d.kind === 'dataset') {
      const datasetId = await importData(b);
      if (!datasetId) throw new Error('the dataset could not be imported (see the Datasets view)');
      await setTrainSource(datasetId);
    } else {
      await setTrainSource('world');
      setTrainForm({ task: d.task as never, split: d.split as never, samples: d.count });
    }
    setTrainForm({ method: m.run.method, steps: num('steps', form.steps), learningRate: num('learningRate', form.learningRate), seed: num('seed', form.seed), numGenerations: num('numGenerations', form.numGenerations), promptsPerStep: num('promptsPerStep', form.promptsPerStep), beta: num('beta', form.beta), temperature: num('temperature', form.temperature), maxCompletionLength: num('maxCompletionLength', form.maxCompletionLength) });
    useBundleStore.setState({ notice: `${m.final?.name} is the current model and the form holds the run's settings: press Start training to go on from it.` });
  });
}

/**
 * The open bundle as a launch kit for EasyR1 and VLM-R1 (formats/launchKit.ts): its dataset in both engines'
 * formats, their configs with every setting mapped, the reward function, and a README of what has no counterpart.
 */
export function exportLaunchKit(): Promise<void> {
  return busy(async () => {
    const b = opened;
    if (!b) throw new Error('no bundle is open');
    if (!b.dataset || b.manifest.run.data.kind !== 'dataset') throw new Error('a launch kit needs the run’s dataset; this run trained on the synthetic world (generate it as a dataset in the Datasets view and train on that)');
    const dataset = parseCoco('dataset/annotations.json', b.dataset.coco, b.manifest.run.data.datasetName);
    const images = new Map([...b.dataset.images].map(([path, bytes]) => [path.replace(/^dataset\/images\//, ''), bytes]));
    const files = launchKit({ manifest: b.manifest, dataset, images, rewardsPy });
    const zipped = zipSync(Object.fromEntries(Object.entries(files).map(([path, body]) => [`launch-kit/${path}`, typeof body === 'string' ? new TextEncoder().encode(body) : body])));
    saveBlob(new Blob([zipped as BlobPart], { type: 'application/zip' }), `${safeName(b.manifest.run.name)}.launch-kit.zip`);
  });
}
