/** Training items generated from the synthetic world in the worker (atlas fetched once from the app). */
import type { Policy } from '../core/model/policy';
import type { TrainItem } from '../core/train/trainer';
import { type Atlas, decodeAtlas } from '../core/world/atlas';
import { seedOf } from '../core/world/batches';
import { sourceResolution } from '../core/model/config';
import { toTrainItems, worldExample } from '../core/train/trainItems';
import { worldSample } from '../core/world/tasks';
import { fetchWithProgress } from './fetchWithProgress';
import type { WorldDataSpec } from './protocol';

let atlas: { url: string; value: Promise<Atlas> } | null = null;

export function loadAtlas(url: string): Promise<Atlas> {
  if (atlas?.url !== url) atlas = { url, value: fetchWithProgress(url, () => {}).then(decodeAtlas) };
  return atlas.value;
}

export async function worldItems(policy: Policy, spec: WorldDataSpec): Promise<TrainItem[]> {
  const a = await loadAtlas(spec.atlasUrl);
  const size = sourceResolution(policy.config);
  return toTrainItems(policy, Array.from({ length: spec.count }, (_, i) => worldExample(worldSample(a, spec.task, spec.split, seedOf(spec.seed, 0x7a11, i), undefined, undefined, size))));
}
