/**
 * Adam with decoupled weight decay (AdamW), keyed by parameter name so its state can be saved and restored
 * across processes (tfjs's optimizers key state by variable names, which differ from run to run).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type PolicyParams, variableFrom } from '../model/params';

export interface AdamConfig {
  /** Exponential decay of the first moment. Default 0.9. */
  beta1: number;
  /** Exponential decay of the second moment. Default 0.999. */
  beta2: number;
  /** Added to the denominator for stability. Default 1e-8. */
  epsilon: number;
  /** Decoupled weight decay applied to matrices (not biases, norms or embeddings). Default 0. */
  weightDecay: number;
}

export const DEFAULT_ADAM: AdamConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

export class Adam {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  step = 0;

  constructor(readonly config: AdamConfig = DEFAULT_ADAM) {}

  /** Apply one update with learning rate `lr` from gradients by parameter name. */
  apply(params: PolicyParams, grads: Map<string, tf.Tensor>, lr: number): void {
    this.step++;
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    for (const [name, g] of grads) {
      const p = params.get(name);
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m || !v || !arraysEqual(m.shape, p.shape)) {
        m?.dispose();
        v?.dispose();
        m = variableFrom(tf.zerosLike(p), false);
        v = variableFrom(tf.zerosLike(p), false);
        this.m.set(name, m);
        this.v.set(name, v);
      }
      const mv = m;
      const vv = v;
      tf.tidy(() => {
        const newM = tf.add(tf.mul(mv, beta1), tf.mul(g, 1 - beta1));
        const newV = tf.add(tf.mul(vv, beta2), tf.mul(tf.square(g), 1 - beta2));
        mv.assign(newM);
        vv.assign(newV);
        let update = tf.div(tf.div(newM, c1), tf.add(tf.sqrt(tf.div(newV, c2)), epsilon));
        if (weightDecay > 0 && p.rank === 2 && !name.startsWith('tok.') && !name.startsWith('pos.')) update = tf.add(update, tf.mul(p, weightDecay));
        p.assign(tf.sub(p, tf.mul(update, lr)));
      });
    }
  }

  /** Apply gradients keyed by tfjs variable name (as tf.variableGrads returns them). */
  applyVariableGrads(params: PolicyParams, grads: tf.NamedTensorMap, lr: number): void {
    const names = params.nameMap();
    this.apply(params, new Map(Object.entries(grads).map(([k, g]) => [names.get(k) ?? k, g])), lr);
  }

  /** Moments by parameter name, for saving (`m:<name>` and `v:<name>`) with the step count. */
  async exportState(): Promise<{ step: number; arrays: Map<string, Float32Array>; shapes: Map<string, number[]> }> {
    const arrays = new Map<string, Float32Array>();
    const shapes = new Map<string, number[]>();
    for (const [kind, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, t] of map) {
        arrays.set(`${kind}:${name}`, (await t.data()) as Float32Array);
        shapes.set(`${kind}:${name}`, t.shape);
      }
    }
    return { step: this.step, arrays, shapes };
  }

  importState(step: number, arrays: Map<string, Float32Array>, shapes: Map<string, number[]>): void {
    this.dispose();
    this.step = step;
    for (const [key, data] of arrays) {
      const [kind, name] = [key.slice(0, 1), key.slice(2)];
      const t = variableFrom(tf.tensor(data, shapes.get(key)), false);
      (kind === 'm' ? this.m : this.v).set(name, t);
    }
  }

  dispose(): void {
    this.m.forEach((t) => t.dispose());
    this.v.forEach((t) => t.dispose());
    this.m.clear();
    this.v.clear();
  }
}

const arraysEqual = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
