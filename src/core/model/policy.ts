/**
 * A policy: config + tokenizer + weights, the unit that is trained, frozen as a reference, saved and loaded.
 */
import { type PolicyConfig, validatePolicyConfig } from './config';
import type { VisionTower } from './tower';
import { checkTower } from './visualInput';
import { PolicyParams, freshValues, paramShapes } from './params';
import { Tokenizer, type TokenizerSpec } from './tokenizer';

export class Policy {
  constructor(
    readonly config: PolicyConfig,
    readonly tokenizer: Tokenizer,
    readonly params: PolicyParams,
    /**
     * The frozen vision tower a 'tower' or 'hybrid' config reads (checked against the config's spec); shared, not
     * owned: a policy, its reference and its copies use one tower, and dispose() leaves it alone.
     */
    readonly tower: VisionTower | null = null,
  ) {
    if (tokenizer.coordBins !== config.coordBins) throw new Error(`tokenizer has ${tokenizer.coordBins} coordinate bins, config ${config.coordBins}`);
    checkTower(config, tower);
  }

  static create(config: PolicyConfig, tokenizerSpec: TokenizerSpec, tower: VisionTower | null = null): Policy {
    const c = validatePolicyConfig(config);
    const tok = new Tokenizer({ ...tokenizerSpec, coordBins: c.coordBins });
    return new Policy(c, tok, PolicyParams.init(c, tok.size), tower);
  }

  /** A trainable deep copy (a run trains a copy: the checkpoint it started from never changes). */
  copy(): Policy {
    return new Policy(this.config, new Tokenizer(this.tokenizer.spec()), this.params.clone(true), this.tower);
  }

  /** A frozen deep copy (the reference policy of GRPO's KL term). */
  frozenCopy(): Policy {
    return new Policy(this.config, new Tokenizer(this.tokenizer.spec()), this.params.clone(false), this.tower);
  }

  /** Adds unknown words to the vocabulary and grows the weights; returns how many were added. */
  addWords(words: Iterable<string>): number {
    const oldSize = this.tokenizer.size;
    const added = this.tokenizer.addWords(words);
    if (added) this.params.growVocab(this.config, oldSize, this.tokenizer.size, this.config.seed + oldSize);
    return added;
  }

  /**
   * A policy with config `changes` (new parts switched on: the coordinate code, the box pointer, full image
   * attention): the same weights, new ones initialised fresh. The coordinate code's gates start at `coordGate`
   * (default 0: it computes exactly what this one does, but measured, training then leaves the gates shut; a small
   * open gate perturbs the function a little and lets gradients reach the code). Disposes nothing.
   */
  async upgraded(changes: Partial<PolicyConfig>, coordGate = 0): Promise<Policy> {
    const config = validatePolicyConfig({ ...this.config, ...changes });
    const arrays = await this.params.toArrays();
    for (const [name] of paramShapes(config, this.tokenizer.size)) {
      if (arrays.has(name)) continue;
      arrays.set(name, name.startsWith('coord.') ? new Float32Array(1).fill(coordGate) : freshValues(config, this.tokenizer.size, name));
    }
    return new Policy(config, new Tokenizer(this.tokenizer.spec()), PolicyParams.fromArrays(config, this.tokenizer.size, arrays), this.tower);
  }

  parameterCount(): number {
    return this.params.count();
  }

  dispose(): void {
    this.params.dispose();
  }
}
