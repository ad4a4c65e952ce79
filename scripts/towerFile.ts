/**
 * The shipped vision tower for Node scripts (public/models/tower, made by `npm run build-tower`), and checkpoints
 * that need it: a checkpoint whose config reads a tower gets the one at its recorded resolution and layer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadCheckpoint, readCheckpointHeader } from '../src/core/model/checkpoint';
import { usesTower } from '../src/core/model/config';
import { VisionTower } from '../src/core/model/tower';
import { type TowerReading, towerReadingKey } from '../src/core/model/towerSpec';

export const TOWER_DIR = 'public/models/tower';

const loaded = new Map<string, Promise<VisionTower>>();

/** The tower at a resolution, layer and input normalisation (one instance per reading for the process's life). */
export function loadTowerFile(at: TowerReading, dir = TOWER_DIR): Promise<VisionTower> {
  const key = `${dir}|${towerReadingKey(at)}`;
  let t = loaded.get(key);
  if (!t) {
    const json = `${dir}/nanodet-backbone.json`;
    if (!existsSync(json)) throw new Error(`${json} is missing: run \`npm run build-tower\``);
    t = VisionTower.load(readFileSync(json, 'utf8'), new Uint8Array(readFileSync(`${dir}/nanodet-backbone.bin`)), at);
    loaded.set(key, t);
  }
  return t;
}

/** The tower a checkpoint's config names (read as it records), or null for a pixel-stem checkpoint. */
export async function towerForCheckpoint(bytes: Uint8Array): Promise<VisionTower | null> {
  const { config } = readCheckpointHeader(bytes).header;
  return usesTower(config) ? loadTowerFile(config.tower) : null;
}

/** loadCheckpoint with the tower the checkpoint needs. */
export async function loadCheckpointFile(bytes: Uint8Array, opts: { trainable?: boolean } = {}): Promise<ReturnType<typeof loadCheckpoint>> {
  return loadCheckpoint(bytes, { ...opts, tower: await towerForCheckpoint(bytes) });
}
