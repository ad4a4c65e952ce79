/**
 * `npm run experiment -- --bundles DIR`: one run bundle per run (core/bundle/runBundle.ts, docs/design.md §10) —
 * its settings, code version, the few-shot set's items with their scenes as PNGs, every logged metric, the
 * sampled rollouts (RFT) and the start and final checkpoints by hash; `--bundle-weights` adds the final weights.
 * The app's Train view opens it (Open a run bundle).
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { type BundleRolloutStep, type HistoryRow, writeRunBundle } from '../../src/core/bundle/runBundle';
import type { Rollout } from '../../src/core/train/grpoStep';
import type { TrainItem } from '../../src/core/train/trainer';
import { sceneRgba } from '../../src/core/world/raster';
import type { WorldSample } from '../../src/core/world/tasks';

/** The package version and, in a git checkout, the commit: what made the bundle. */
export function codeVersion(): { app: string; commit?: string } {
  const app = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  try {
    return { app, commit: execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() };
  } catch {
    return { app };
  }
}

/** Collects a run's rollouts step by step (runTraining's onRollouts hook), each group tied to its item's index. */
export function rolloutRecorder(items: TrainItem[]): { steps: BundleRolloutStep[]; onRollouts: (step: number, rollouts: Rollout[], batch: TrainItem[]) => void } {
  const steps: BundleRolloutStep[] = [];
  return {
    steps,
    onRollouts: (step, rollouts, batch) =>
      void steps.push({ step, groups: batch.map((b, promptIndex) => ({ promptIndex, itemIndex: items.indexOf(b), solution: b.solution, completions: rollouts.filter((r) => r.promptIndex === promptIndex) })) }),
  };
}

export interface ExperimentBundle {
  suite: string;
  task: string;
  split: string;
  method: 'grpo' | 'sft';
  shots: number;
  seed: number;
  config: Record<string, unknown>;
  samples: WorldSample[];
  history: HistoryRow[];
  rollouts: BundleRolloutStep[];
  start: { name: string; sha256: string };
  final: { sha256: string; bytes?: Uint8Array };
  wallSeconds: number;
  finalMetrics: Record<string, number>;
}

export function experimentBundle(b: ExperimentBundle): Uint8Array {
  const pictures = new Map<string, Uint8Array>();
  const items = b.samples.map((s, i) => {
    const { size, rgba } = sceneRgba(s.scene, 4);
    const png = new PNG({ width: size, height: size });
    png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    pictures.set(`items/${i}.png`, new Uint8Array(PNG.sync.write(png)));
    return { task: s.task, promptWords: s.promptWords, solution: s.solution, image: `items/${i}.png` };
  });
  const name = `${b.suite} · ${b.method === 'grpo' ? 'RFT' : 'SFT'} · ${b.shots}-shot · seed ${b.seed}`;
  return writeRunBundle({
    manifest: {
      format: 'vrft-run-bundle',
      version: 1,
      createdAt: new Date().toISOString(),
      code: codeVersion(),
      run: { id: `${b.suite}-${b.method}-${b.shots}-${b.seed}`, name, method: b.method, data: { kind: 'world', task: b.task, split: b.split, count: items.length, seed: b.seed, note: `the few-shot set of npm run experiment -- --suite ${b.suite}: ${b.shots} shot(s), seed ${b.seed}` }, config: b.config, steps: b.history.length, wallSeconds: b.wallSeconds },
      start: b.start,
      final: { name, sha256: b.final.sha256 },
      finalMetrics: b.finalMetrics,
      contents: { dataset: false, startWeights: false, finalWeights: false },
    },
    history: b.history,
    rollouts: b.rollouts,
    items,
    pictures,
    weights: b.final.bytes ? { final: b.final.bytes } : {},
  });
}
