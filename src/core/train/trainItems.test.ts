import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY_CONFIGS, validatePolicyConfig } from '../model/config';
import { TEST_WORDS } from '../model/fixtures.testutil';
import { useBackend } from '../model/nodeBackends.testutil';
import { Policy } from '../model/policy';
import { VisionTower } from '../model/tower';
import { Rng } from '../rng';
import { type LabelledExample, type VisualCache, toTrainItems } from './trainItems';

describe('toTrainItems', () => {
  it('makes items with the tower’s features, computed once per image across runs with a cache', async () => {
    await useBackend('wasm');
    const tower = await VisionTower.load(readFileSync('public/models/tower/nanodet-backbone.json', 'utf8'), new Uint8Array(readFileSync('public/models/tower/nanodet-backbone.bin')), { resolution: 64, layer: 'stride16' });
    const policy = Policy.create(validatePolicyConfig({ ...POLICY_CONFIGS.tiny, stem: 'tower', tower: tower.spec }), { coordBins: POLICY_CONFIGS.tiny.coordBins, words: TEST_WORDS }, tower);
    const rng = new Rng(5);
    const ex = (w: string): LabelledExample => ({ task: 'classification', image: Float32Array.from({ length: 64 * 64 * 3 }, () => rng.next()), size: 64, promptWords: ['dog'], solution: `<answer>${w}</answer>`, completion: `<think> I see a ${w}. </think> <answer>${w}</answer>` });
    const examples = [ex('dog'), ex('cat')];
    const cache: VisualCache = new Map();
    const first = await toTrainItems(policy, examples, ['a', 'b'], cache);
    expect(first[0].image.length).toBe(4 * 4 * 128);
    expect(cache.size).toBe(2);
    // Second run: same images by key, one new one; the cached features are reused as they are.
    const second = await toTrainItems(policy, [examples[1], ex('dog')], ['b', 'c'], cache);
    expect(second[0].image).toBe(first[1].image);
    expect(cache.size).toBe(3);
    const uncached = await toTrainItems(policy, examples);
    expect(Array.from(uncached[1].image)).toEqual(Array.from(first[1].image));
    expect(first[0].target.at(-1)).toBe(policy.tokenizer.id('eos'));
    policy.dispose();
    tower.dispose();
  });
});
