/** A policy checkpoint named on a script's command line: read and validated, or a one-line message naming the problem. */
import { readFileSync } from 'node:fs';
import { CheckpointError, type loadCheckpoint } from '../src/core/model/checkpoint';
import { loadCheckpointFile } from './towerFile';

/** The file's bytes, or `fail` with why it cannot be read (missing, a directory, no permission). */
export function readPolicyBytes(path: string, fail: (msg: string) => never): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    return fail(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

/**
 * Decode checkpoint bytes (a tf backend must be ready), with the vision tower it reads if any, or `fail` with the
 * checkpoint's own error.
 */
export async function decodePolicy(path: string, bytes: Uint8Array, fail: (msg: string) => never): Promise<ReturnType<typeof loadCheckpoint>> {
  try {
    return await loadCheckpointFile(bytes);
  } catch (e) {
    if (e instanceof CheckpointError) return fail(`${path}: ${e.message}`);
    throw e;
  }
}
