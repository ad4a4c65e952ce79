/**
 * The policy's weights: named tf.Variables with one owner. Initialisation draws from the project's seeded
 * RNG (not tfjs's random ops), so the same seed gives identical weights on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng';
import { BOX_SLOTS, POINTER_DIM, offsetCount } from './boxPointer';
import { type PolicyConfig, imageTokenCount, usesTower } from './config';
import { towerLayer } from './towerSpec';

export type ParamName = string;

/** Standard normal samples from the seeded RNG (Box–Muller). */
export function gaussian(rng: Rng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = Math.max(rng.next(), 1e-12);
    const u2 = rng.next();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** Shapes of every parameter for a config and vocabulary size, in a fixed order. */
export function paramShapes(c: PolicyConfig, vocabSize: number): [ParamName, number[]][] {
  const d = c.dModel;
  const h = d * c.mlpRatio;
  const patchDim = c.patchSize * c.patchSize * 3;
  const sc = c.stemChannels;
  const convStem: [ParamName, number[]][] = [['stem.w', [patchDim / 4, sc]], ['stem.b', [sc]], ['patch.w', [4 * sc, d]], ['patch.b', [d]]];
  // The tower's projector: a LayerNorm over each cell's features (their scale is the backbone's, not ours), then
  // linear, or linear–GELU–linear.
  const projector: [ParamName, number[]][] = [];
  if (usesTower(c)) {
    const ch = towerLayer(c.tower.layer).channels;
    projector.push(['proj.ln.g', [ch]], ['proj.ln.b', [ch]], ['proj.w1', [ch, d]], ['proj.b1', [d]]);
    if (c.projector === 'mlp') projector.push(['proj.w2', [d, d]], ['proj.b2', [d]]);
  }
  const stem: [ParamName, number[]][] =
    c.stem === 'conv' ? convStem : c.stem === 'hybrid' ? [...convStem, ...projector] : c.stem === 'tower' ? projector : [['patch.w', [patchDim, d]], ['patch.b', [d]]];
  const shapes: [ParamName, number[]][] = [
    ...stem,
    ['pos.image', [imageTokenCount(c), d]],
    ['pos.text', [c.maxTextLength, d]],
    ['tok.emb', [vocabSize, d]],
  ];
  for (let i = 0; i < c.nLayers; i++) {
    shapes.push(
      [`b${i}.ln1.g`, [d]], [`b${i}.ln1.b`, [d]],
      [`b${i}.attn.wqkv`, [d, 3 * d]], [`b${i}.attn.bqkv`, [3 * d]],
      [`b${i}.attn.wo`, [d, d]], [`b${i}.attn.bo`, [d]],
      [`b${i}.ln2.g`, [d]], [`b${i}.ln2.b`, [d]],
      [`b${i}.mlp.w1`, [d, h]], [`b${i}.mlp.b1`, [h]],
      [`b${i}.mlp.w2`, [h, d]], [`b${i}.mlp.b2`, [d]],
    );
  }
  shapes.push(['lnf.g', [d]], ['lnf.b', [d]], ['head.w', [d, vocabSize]]);
  // Gates of the coordinate-aligned position code (coordFeatures.ts).
  if (c.coordFeatures > 0) shapes.push(['coord.in', [1]], ['coord.out', [1]]);
  // The box pointer (boxPointer.ts).
  if (c.boxPointer) shapes.push(['ptr.q', [d, POINTER_DIM]], ['ptr.k', [d, POINTER_DIM]], ['box.w', [d, BOX_SLOTS * offsetCount(c)]], ['box.b', [BOX_SLOTS * offsetCount(c)]]);
  return shapes;
}

function initValues(name: ParamName, shape: number[], c: PolicyConfig, rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (name.endsWith('.g')) return new Float32Array(n).fill(1);
  if (/\.(b|bqkv|bo|b1|b2)$/.test(name)) return new Float32Array(n);
  // The projector's first layer reads LayerNormed features (unit scale): LeCun initialisation.
  if (name === 'proj.w1') return gaussian(rng, n, Math.sqrt(1 / shape[0]));
  // A new policy uses the coordinate code from the start (gate 1 = 0.1 × GATE_SCALE); Policy.upgraded
  // adds it to a trained one with the gates closed instead.
  if (name.startsWith('coord.')) return new Float32Array(n).fill(0.1);
  // Box distributions start uniform, so the pointer starts neutral (log-odds 0).
  if (name === 'box.w') return new Float32Array(n);
  // The conv stem feeds a GELU: He initialisation keeps its pre-activations in the non-linear range.
  if (name === 'stem.w') return gaussian(rng, n, Math.sqrt(2 / shape[0]));
  // GPT-2 scheme: N(0, 0.02), residual projections scaled down by √(2·layers).
  const std = /\.(wo|w2)$/.test(name) ? 0.02 / Math.sqrt(2 * c.nLayers) : 0.02;
  return gaussian(rng, n, std);
}

/** Initial values of one parameter, drawn from its own seeded stream (weights added to a trained policy). */
export function freshValues(c: PolicyConfig, vocabSize: number, name: ParamName): Float32Array {
  const shape = paramShapes(c, vocabSize).find(([n]) => n === name)?.[1];
  if (!shape) throw new Error(`no parameter ${name} in this config`);
  let h = c.seed >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return initValues(name, shape, c, new Rng(h));
}

export class PolicyParams {
  private constructor(readonly vars: Map<ParamName, tf.Variable>) {}

  static init(c: PolicyConfig, vocabSize: number): PolicyParams {
    const rng = new Rng(c.seed);
    const vars = new Map<ParamName, tf.Variable>();
    for (const [name, shape] of paramShapes(c, vocabSize)) {
      vars.set(name, variableFrom(tf.tensor(initValues(name, shape, c, rng), shape), true, uniqueName(name)));
    }
    return new PolicyParams(vars);
  }

  /** Weights from named arrays (a checkpoint); shapes must match the config exactly. */
  static fromArrays(c: PolicyConfig, vocabSize: number, arrays: Map<ParamName, Float32Array>, trainable = true): PolicyParams {
    const vars = new Map<ParamName, tf.Variable>();
    try {
      for (const [name, shape] of paramShapes(c, vocabSize)) {
        const data = arrays.get(name);
        const n = shape.reduce((a, b) => a * b, 1);
        if (!data) throw new Error(`checkpoint lacks weight ${name}`);
        if (data.length !== n) throw new Error(`weight ${name} has ${data.length} values; the config needs ${n} (${shape.join('×')})`);
        vars.set(name, variableFrom(tf.tensor(data, shape), trainable, uniqueName(name)));
      }
    } catch (e) {
      vars.forEach((v) => v.dispose());
      throw e;
    }
    return new PolicyParams(vars);
  }

  get(name: ParamName): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  /** Parameter name of each trainable variable's (engine-unique) variable name. */
  nameMap(): Map<string, ParamName> {
    const out = new Map<string, ParamName>();
    this.vars.forEach((v, name) => out.set(v.name, name));
    return out;
  }

  get trainable(): tf.Variable[] {
    return [...this.vars.values()].filter((v) => v.trainable);
  }

  count(): number {
    let n = 0;
    this.vars.forEach((v) => (n += v.size));
    return n;
  }

  /** A deep copy; `trainable: false` makes the frozen reference policy. */
  clone(trainable = true): PolicyParams {
    const vars = new Map<ParamName, tf.Variable>();
    this.vars.forEach((v, name) => vars.set(name, tf.variable(v, trainable, uniqueName(name))));
    return new PolicyParams(vars);
  }

  /** Copy values from another set of the same shapes (periodic reference sync). */
  assignFrom(other: PolicyParams): void {
    this.vars.forEach((v, name) => v.assign(other.get(name)));
  }

  async toArrays(): Promise<Map<ParamName, Float32Array>> {
    const out = new Map<ParamName, Float32Array>();
    for (const [name, v] of this.vars) out.set(name, (await v.data()) as Float32Array);
    return out;
  }

  /**
   * Grow the vocabulary to `newSize`: new embedding rows and output columns are appended, drawn from the
   * seeded RNG; every existing value is kept, so old tokens' logits do not change.
   */
  growVocab(c: PolicyConfig, oldSize: number, newSize: number, seed: number): void {
    if (newSize === oldSize) return;
    if (newSize < oldSize) throw new Error('the vocabulary can only grow');
    const rng = new Rng(seed);
    const d = c.dModel;
    const extra = newSize - oldSize;
    const emb = this.get('tok.emb');
    const head = this.get('head.w');
    const newEmb = tf.tidy(() => tf.concat([emb, tf.tensor(gaussian(rng, extra * d, 0.02), [extra, d])], 0));
    const newHead = tf.tidy(() => tf.concat([head, tf.tensor(gaussian(rng, extra * d, 0.02), [d, extra])], 1));
    this.replace('tok.emb', newEmb);
    this.replace('head.w', newHead);
  }

  private replace(name: ParamName, value: tf.Tensor): void {
    const old = this.get(name);
    this.vars.set(name, variableFrom(value, old.trainable, uniqueName(name)));
    old.dispose();
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
    this.vars.clear();
  }
}

/**
 * A variable initialised from a fresh tensor, which is then disposed: tf.variable shares the tensor's data but
 * leaves the tensor itself alive, so without this every initial value would leak.
 */
export function variableFrom(value: tf.Tensor, trainable: boolean, name?: string): tf.Variable {
  const v = tf.variable(value, trainable, name);
  value.dispose();
  return v;
}

let counter = 0;
/** tfjs requires globally unique variable names; several policies (policy, reference) coexist. */
function uniqueName(name: ParamName): string {
  return `${name}#${++counter}`;
}
