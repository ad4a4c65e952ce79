/**
 * The vision tower in the worker: fetched once from the app (public/models/tower) when a checkpoint that reads it
 * is loaded, and kept for the page's life per (resolution, layer); policies share it, none owns it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { usesTower, type PolicyConfig } from '../core/model/config';
import { VisionTower } from '../core/model/tower';
import { type TowerReading, towerReadingKey } from '../core/model/towerSpec';
import { fetchWithProgress } from './fetchWithProgress';

const towers = new Map<string, Promise<VisionTower>>();

/** The tower `config` reads, from the folder at `towerUrl` (absolute, ending in /), or null for a pixel stem. */
export async function towerFor(config: PolicyConfig, towerUrl: string | undefined, onProgress: (loaded: number, total: number | null) => void = () => {}): Promise<VisionTower | null> {
  if (!usesTower(config)) return null;
  if (!towerUrl) throw new Error('this checkpoint reads the vision tower, and no tower location was given');
  return towerAt(towerUrl, config.tower, onProgress);
}

/** The tower's two files (model.json text and weights) from its folder. */
export async function towerFiles(towerUrl: string, onProgress: (loaded: number, total: number | null) => void = () => {}): Promise<{ json: string; bin: Uint8Array }> {
  const json = new TextDecoder().decode(await fetchWithProgress(new URL('nanodet-backbone.json', towerUrl).href, () => {}));
  return { json, bin: await fetchWithProgress(new URL('nanodet-backbone.bin', towerUrl).href, onProgress) };
}

/**
 * The tower at a resolution, layer and input normalisation, loaded once per backend: weights that tfjs moves from one backend to another
 * gave wrong features in the backend check (WASM after WebGPU: 100 % off), so a backend switch loads its own copy.
 */
export function towerAt(towerUrl: string, at: TowerReading, onProgress: (loaded: number, total: number | null) => void = () => {}): Promise<VisionTower> {
  const key = `${tf.getBackend()}|${towerUrl}|${towerReadingKey(at)}`;
  let t = towers.get(key);
  if (!t) {
    t = (async () => {
      const { json, bin } = await towerFiles(towerUrl, onProgress);
      return VisionTower.load(json, bin, at);
    })();
    towers.set(key, t);
    t.catch(() => towers.delete(key));
  }
  return t;
}
