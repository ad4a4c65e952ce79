/**
 * Runs the tiny generation probe on the CPU backend and on each requested backend in turn, compares them,
 * and restores the backend that was active before.
 */
import * as tf from '@tensorflow/tfjs';
import { BACKEND_LOGPROB_TOLERANCE, type ProbeOutput, compareProbes, tinyGenerationProbe } from '../core/bench/backendProbe';
import type { BackendName } from './backendChoice';
import { initBackend } from './backendInit';
import type { BackendCheckReport, BackendCheckRow } from './protocol';

export async function runBackendCheck(backends: BackendName[]): Promise<BackendCheckReport> {
  const previous = tf.getBackend() as BackendName;
  try {
    await tf.setBackend('cpu');
    const reference: ProbeOutput = await tinyGenerationProbe();
    const rows: BackendCheckRow[] = [];
    for (const backend of backends) {
      try {
        const report = await initBackend(backend);
        if (report.active !== backend) {
          rows.push({ backend, ok: false, error: report.attempts[0]?.reason ?? 'unavailable' });
          continue;
        }
        const out = await tinyGenerationProbe();
        rows.push({ backend, ok: true, ...compareProbes(reference, out), ms: out.ms });
      } catch (e) {
        rows.push({ backend, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { reference: 'cpu', tolerance: BACKEND_LOGPROB_TOLERANCE, rows, active: previous };
  } finally {
    await tf.setBackend(previous);
    await tf.ready();
  }
}
