/**
 * A disk cache of visual inputs for pretraining's scene stream (docs/design.md §9: an image's features are
 * computed once). A batch is keyed by what determines its images — the tower (weight hash, resolution, layer),
 * the stem layout, the seed, the task mixture and absent share, the batch size and the step — so a resumed run, a
 * later phase over the same steps, and another arm reading the same tower all reuse it. Files are float16
 * (features are read into float32; half precision is well inside what a LayerNormed projector notices).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | ((exp << 10) + ((mant + 0x1000) >>> 13));
}

function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export class FeatureCache {
  hits = 0;
  misses = 0;
  private readonly dir: string;

  constructor(root: string, key: Record<string, unknown>) {
    const id = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
    this.dir = join(root, id);
    mkdirSync(this.dir, { recursive: true });
    const keyFile = join(this.dir, 'key.json');
    if (!existsSync(keyFile)) writeFileSync(keyFile, JSON.stringify(key, null, 1));
  }

  /** The cached visual inputs of `step`, or `compute`d and stored. */
  async get(step: number, length: number, compute: () => Promise<Float32Array>): Promise<Float32Array> {
    const file = join(this.dir, `${step}.f16`);
    if (existsSync(file)) {
      const buf = readFileSync(file);
      if (buf.length === length * 2) {
        this.hits++;
        const h = new Uint16Array(buf.buffer, buf.byteOffset, length);
        const out = new Float32Array(length);
        for (let i = 0; i < length; i++) out[i] = fromHalf(h[i]);
        return out;
      }
    }
    this.misses++;
    const v = await compute();
    if (v.length !== length) throw new Error(`visual inputs of step ${step}: ${v.length} values, expected ${length}`);
    const h = new Uint16Array(v.length);
    for (let i = 0; i < v.length; i++) h[i] = toHalf(v[i]);
    writeFileSync(`${file}.tmp`, new Uint8Array(h.buffer));
    renameSync(`${file}.tmp`, file);
    // What a later read returns, so a run that computed a batch and one that read it train on the same values.
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = fromHalf(h[i]);
    return out;
  }
}
