import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../model/tower';
import { BUNDLE_VERSION, type RunBundle, readRunBundle, writeRunBundle } from './runBundle';

const weights = new Uint8Array([1, 2, 3, 4, 5]);

async function sample(): Promise<RunBundle> {
  return {
    manifest: {
      format: 'vrft-run-bundle',
      version: BUNDLE_VERSION,
      createdAt: '2026-12-01T00:00:00Z',
      code: { app: '0.1.0', commit: 'abc1234' },
      run: { id: 'run-1', name: 'cats · RFT · 2', method: 'grpo', data: { kind: 'dataset', datasetName: 'cats', task: 'detection', split: 'train' }, config: { beta: 0.04 }, steps: 2, wallSeconds: 3 },
      start: { name: 'base policy', sha256: 'f'.repeat(64) },
      final: { name: 'cats · RFT · 2', sha256: await sha256Hex(weights) },
      finalMetrics: { reward: 0.5, 'eval/map': 0.25 },
      contents: { dataset: true, startWeights: false, finalWeights: true },
    },
    history: [{ step: 1, reward: 0.25 }, { step: 2, reward: 0.5, 'eval/map': 0.25 }],
    rollouts: [{ step: 1, groups: [{ promptIndex: 0, itemIndex: 0, solution: '<answer>[]</answer>', completions: [{ promptIndex: 0, completion: 'x', rewards: { format: 1 }, reward: 1, advantage: 0.5, clipped: false }] }] }],
    items: [{ task: 'detection', promptWords: ['cat'], solution: '<answer>[]</answer>', image: 'dataset/images/a.png', width: 4, height: 4 }, { task: 'detection', promptWords: ['dog'], solution: '<answer>[]</answer>', image: 'items/1.png' }],
    dataset: { coco: '{"images":[]}', images: new Map([['dataset/images/a.png', new Uint8Array([9, 9])]]) },
    pictures: new Map([['items/1.png', new Uint8Array([8])]]),
    weights: { final: weights },
  };
}

describe('run bundles', () => {
  it('read back what was written, every part', async () => {
    const b = await sample();
    const back = await readRunBundle(writeRunBundle(b), sha256Hex);
    expect(back.manifest).toEqual(b.manifest);
    expect(back.history).toEqual(b.history);
    expect(back.rollouts).toEqual(b.rollouts);
    expect(back.items).toEqual(b.items);
    expect(back.dataset?.coco).toBe(b.dataset?.coco);
    expect([...(back.dataset?.images.get('dataset/images/a.png') ?? [])]).toEqual([9, 9]);
    expect([...(back.weights.final ?? [])]).toEqual([...weights]);
    expect([...(back.pictures?.get('items/1.png') ?? [])]).toEqual([8]);
  });

  it('name what is wrong: not a zip, cut short, another format, a newer version, a bad line, damaged weights', async () => {
    const bytes = writeRunBundle(await sample());
    const read = (b: Uint8Array) => readRunBundle(b, sha256Hex);
    await expect(read(new TextEncoder().encode('hello'))).rejects.toThrow(/not a complete zip/);
    await expect(read(bytes.slice(0, bytes.length - 40))).rejects.toThrow(/not a complete zip|cut short/);
    const swap = (path: string, text: string) => {
      const files: Record<string, Uint8Array> = { 'bundle.json': new TextEncoder().encode(''), 'metrics.jsonl': new Uint8Array(), 'rollouts.jsonl': new Uint8Array(), 'items.json': new TextEncoder().encode('[]') };
      files[path] = new TextEncoder().encode(text);
      return zipSync(files);
    };
    await expect(read(zipSync({ 'a.txt': new Uint8Array([1]) }))).rejects.toThrow(/bundle.json is missing/);
    await expect(read(swap('bundle.json', '{"format":"other","version":1}'))).rejects.toThrow(/format is "other"/);
    await expect(read(swap('bundle.json', '{"format":"vrft-run-bundle","version":9}'))).rejects.toThrow(/newer version of the app \(bundle version 9/);
    const good = JSON.stringify((await sample()).manifest);
    const parts = (metrics: string) => zipSync({ 'bundle.json': new TextEncoder().encode(good.replace('"dataset":true', '"dataset":false').replace('"finalWeights":true', '"finalWeights":false')), 'metrics.jsonl': new TextEncoder().encode(metrics), 'rollouts.jsonl': new Uint8Array(), 'items.json': new TextEncoder().encode('[]') });
    await expect(read(parts('{"step":1}\n{"step":'))).rejects.toThrow(/metrics.jsonl:2: not valid JSON/);
    await expect(read(parts('{"reward":1}'))).rejects.toThrow(/metrics.jsonl:1: not a metrics row/);
    const b = await sample();
    b.weights.final = new Uint8Array([7, 7, 7]);
    await expect(read(writeRunBundle(b))).rejects.toThrow(/final.vrft does not match its hash/);
    const noPicture = await sample();
    noPicture.pictures = new Map();
    await expect(read(writeRunBundle(noPicture))).rejects.toThrow(/items\/1.png is missing/);
  });
});
