/** Training items generated from the synthetic world in the worker (atlas fetched once from the app). */
import type { Policy } from '../core/model/policy';
import type { TrainItem } from '../core/train/trainer';
import { type Atlas, decodeAtlas } from '../core/world/atlas';
import { promptTokens, seedOf } from '../core/world/batches';
import { resizeImage } from '../core/image/resize';
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
  const tok = policy.tokenizer;
  const size = policy.config.imageSize;
  return Array.from({ length: spec.count }, (_, i) => {
    const s = worldSample(a, spec.task, spec.split, seedOf(spec.seed, 0x7a11, i));
    return { image: resizeImage(s.scene.image, s.scene.size, size), prompt: promptTokens(tok, s), task: s.task, solution: s.solution, target: [...tok.tokenize(s.completion), tok.id('eos')] };
  });
}
