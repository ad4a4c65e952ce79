/**
 * Runs the tiny generation probe on the CPU backend and on each requested backend in turn, compares them,
 * and restores the backend that was active before.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_LOGPROB_TOLERANCE, type ProbeOutput, compareProbes, tinyGenerationProbe } from '../core/bench/backendProbe';
import type { BackendName } from './backendChoice';
import { initBackend } from './backendInit';
import type { BackendCheckReport, BackendCheckRow } from './protocol';
import { towerFiles } from './towerHost';
import { VisionTower } from '../core/model/tower';

/**
 * The tower's features may differ from the CPU's by float rounding through its 30-odd convolutions: the check
 * allows 1 % of the features' largest magnitude (measured on Chromium WASM: 0.4 %).
 */
export const TOWER_RELATIVE_TOLERANCE = 1e-2;
const TOWER_PROBE = { resolution: 128, layer: 'stride16' as const };

/**
 * The tower's features of one seeded 128-px image on the active backend, from weights loaded into that backend
 * (weights that tfjs moved over from another backend are not what a page using this one computes with).
 */
async function towerProbe(files: { json: string; bin: Uint8Array }): Promise<Float32Array> {
  const tower = await VisionTower.load(files.json, files.bin, TOWER_PROBE);
  const n = TOWER_PROBE.resolution * TOWER_PROBE.resolution * 3;
  let x = 12345;
  const pixels = Float32Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0) % 1000) / 1000);
  const images = tf.tensor4d(pixels, [1, TOWER_PROBE.resolution, TOWER_PROBE.resolution, 3]);
  const out = tower.features(images);
  const data = (await out.data()) as Float32Array;
  tf.dispose([images, out]);
  tower.dispose();
  return data;
}

function towerDiff(reference: Float32Array, got: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < reference.length; i++) {
    scale = Math.max(scale, Math.abs(reference[i]));
    diff = Math.max(diff, Math.abs(reference[i] - got[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Compare each backend with the CPU: a tiny policy's generation, and (given its location) the vision tower. */
export async function runBackendCheck(backends: BackendName[], towerUrl?: string): Promise<BackendCheckReport> {
  const previous = tf.getBackend() as BackendName;
  try {
    await tf.setBackend('cpu');
    const reference: ProbeOutput = await tinyGenerationProbe();
    const tower = towerUrl ? await towerFiles(towerUrl) : null;
    const towerReference = tower ? await towerProbe(tower) : null;
    const rows: BackendCheckRow[] = [];
    for (const backend of backends) {
      try {
        const report = await initBackend(backend);
        if (report.active !== backend) {
          rows.push({ backend, ok: false, error: report.attempts[0]?.reason ?? 'unavailable' });
          continue;
        }
        const out = await tinyGenerationProbe();
        const row: BackendCheckRow = { backend, ok: true, ...compareProbes(reference, out), ms: out.ms };
        if (tower && towerReference) {
          try {
            const rel = towerDiff(towerReference, await towerProbe(tower));
            row.towerRelDiff = rel;
            row.towerWithinTolerance = rel <= TOWER_RELATIVE_TOLERANCE;
          } catch (e) {
            row.towerError = e instanceof Error ? e.message : String(e);
          }
        }
        rows.push(row);
      } catch (e) {
        rows.push({ backend, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { reference: 'cpu', tolerance: BACKEND_LOGPROB_TOLERANCE, ...(tower ? { towerTolerance: TOWER_RELATIVE_TOLERANCE } : {}), rows, active: previous };
  } finally {
    await tf.setBackend(previous);
    await tf.ready();
  }
}
