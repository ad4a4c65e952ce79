import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_RECORD_SCHEMA, type CheckpointRecord, deleteCheckpoint, findCheckpointBySha, getCheckpoint, listCheckpoints, putCheckpoint } from './checkpoints';

const rec = (id: string, createdAt: string, sha: string): CheckpointRecord => ({
  schema: CHECKPOINT_RECORD_SCHEMA,
  id,
  name: id,
  sha256: sha,
  createdAt,
  bytes: new Uint8Array([1, 2, 3]).buffer,
  provenance: { parent: { name: 'base policy', sha256: 'a'.repeat(64) }, data: { kind: 'dataset', datasetId: 'd', datasetName: 'Desk', split: 'train' }, method: 'grpo', config: { steps: 2 }, runId: 'r', steps: 2, wallSeconds: 3, finalMetrics: { reward: 1 }, history: [{ step: 1, reward: 0.5 }, { step: 2, reward: 1 }] },
});

describe('checkpoint store', () => {
  it('keeps trained checkpoints with their provenance: list (newest first, without weights), get, find by hash, delete', async () => {
    await putCheckpoint(rec('old', '2026-01-01T00:00:00Z', 'b'.repeat(64)));
    await putCheckpoint(rec('new', '2026-02-01T00:00:00Z', 'c'.repeat(64)));
    const list = await listCheckpoints();
    expect(list.map((c) => c.id)).toEqual(['new', 'old']);
    expect('bytes' in list[0]).toBe(false);
    expect(list[0].size).toBe(3);
    expect(list[0].provenance?.history).toHaveLength(2);
    expect(new Uint8Array((await getCheckpoint('old'))!.bytes)).toEqual(new Uint8Array([1, 2, 3]));
    expect((await findCheckpointBySha('c'.repeat(64)))?.id).toBe('new');
    expect(await findCheckpointBySha('d'.repeat(64))).toBeNull();
    await deleteCheckpoint('old');
    expect((await listCheckpoints()).map((c) => c.id)).toEqual(['new']);
  });
});
