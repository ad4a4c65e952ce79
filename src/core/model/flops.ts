/**
 * Floating-point operation counts of the policy's matrix products (2 per multiply-add), used to express a
 * training step as effective GFLOP/s. Element-wise work (LayerNorm, softmax, GELU) is not counted: it is
 * overhead the effective rate should expose, not hide.
 */
import { type PolicyConfig, imageTokenCount } from './config';

/** Forward matMul FLOPs for `rows` sequences of `textTokens` text tokens, with logits at `logitTokens` per row. */
export function forwardFlops(c: PolicyConfig, vocab: number, rows: number, textTokens: number, logitTokens = textTokens): number {
  const nImg = imageTokenCount(c);
  const n = nImg + textTokens;
  const d = c.dModel;
  const h = d * c.mlpRatio;
  const tokens = rows * n;
  const perLayer = 2 * tokens * d * 3 * d + 2 * 2 * rows * n * n * d + 2 * tokens * d * d + 2 * 2 * tokens * d * h;
  const pd = c.patchSize * c.patchSize * 3;
  const patch = c.stem === 'conv' ? 2 * rows * nImg * (pd * c.stemChannels + 4 * c.stemChannels * d) : 2 * rows * nImg * pd * d;
  const head = 2 * rows * logitTokens * d * vocab;
  return c.nLayers * perLayer + patch + head;
}

/**
 * A training step: forward plus backward (twice the forward for every product: input and weight gradients),
 * plus the embedding gradients, which are one-hot products [V, n] · [n, d] for tokens and text positions.
 */
export function trainStepFlops(c: PolicyConfig, vocab: number, rows: number, textTokens: number): number {
  const embedGrad = 2 * rows * textTokens * d(c) * (vocab + c.maxTextLength);
  return 3 * forwardFlops(c, vocab, rows, textTokens) + embedGrad;
}

const d = (c: PolicyConfig) => c.dModel;
