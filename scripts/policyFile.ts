/** A policy checkpoint named on a script's command line: read and validated, or a one-line message naming the problem. */
import { readFileSync } from 'node:fs';
import { CheckpointError, loadCheckpoint } from '../src/core/model/checkpoint';

/** The file's bytes, or `fail` with why it cannot be read (missing, a directory, no permission). */
export function readPolicyBytes(path: string, fail: (msg: string) => never): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    return fail(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

/** Decode checkpoint bytes (a tf backend must be ready), or `fail` with the checkpoint's own error. */
export function decodePolicy(path: string, bytes: Uint8Array, fail: (msg: string) => never): ReturnType<typeof loadCheckpoint> {
  try {
    return loadCheckpoint(bytes);
  } catch (e) {
    if (e instanceof CheckpointError) return fail(`${path}: ${e.message}`);
    throw e;
  }
}
