/**
 * A training run's resumable state in one byte array: the policy checkpoint, the optimizer's moments, the
 * step and the RNG position. Written every N steps; a crash loses at most N steps.
 */
import type { Rng } from '../rng';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import type { Policy } from '../model/policy';
import type { VisionTower } from '../model/tower';
import { decodeBundle, encodeBundle } from '../model/tensorBundle';
import type { Adam } from './adam';

export interface RunSnapshot {
  step: number;
  checkpoint: Uint8Array;
  optimizer: Uint8Array;
  rngState: number;
  meta: Record<string, unknown>;
}

export async function snapshotRun(policy: Policy, adam: Adam, step: number, rng: Rng, meta: Record<string, unknown>): Promise<RunSnapshot> {
  const st = await adam.exportState();
  return {
    step,
    checkpoint: await saveCheckpoint(policy, { ...meta, step }),
    optimizer: encodeBundle({ meta: { adamStep: st.step, step }, arrays: st.arrays, shapes: st.shapes }),
    rngState: rng.state(),
    meta,
  };
}

/** The snapshot's policy (reading `tower` if its config has one), with the optimizer and RNG restored. */
export function restoreRun(s: RunSnapshot, adam: Adam, rng: Rng, tower: VisionTower | null = null): Policy {
  const { policy } = loadCheckpoint(s.checkpoint, { tower });
  const b = decodeBundle(s.optimizer);
  adam.importState(Number(b.meta.adamStep), b.arrays, b.shapes);
  rng.setState(s.rngState);
  return policy;
}
