/**
 * Choosing the next token from logits, in plain JS with the seeded RNG, so a run replays exactly whatever
 * the backend. The returned log-probability is that of the full temperature-scaled distribution (before
 * top-k), which is what teacher forcing computes and what GRPO's ratio needs (as TRL does).
 */
import type { Rng } from '../rng';

export interface SamplerConfig {
  /** Softmax temperature; ≤ 0 means greedy (argmax), with log-probs at temperature 1. Default 1.0. */
  temperature: number;
  /** Sample only among the k most likely tokens; 0 = no limit. Default 0. */
  topK: number;
  /** Tokens never chosen (their log-probs are still reported from the full distribution). Default none. */
  suppressTokens?: readonly number[];
}

/** log-softmax of one row of logits divided by the temperature. */
export function logSoftmaxRow(logits: Float32Array | number[], temperature: number): Float64Array {
  const t = temperature > 0 ? temperature : 1;
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v / t);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v / t - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i] / t - lse;
  return out;
}

export function sampleToken(logits: Float32Array, cfg: SamplerConfig, rng: Rng): { token: number; logprob: number } {
  const logp = logSoftmaxRow(logits, cfg.temperature);
  const allowed = logp.slice();
  for (const t of cfg.suppressTokens ?? []) allowed[t] = -Infinity;
  if (cfg.temperature <= 0) {
    let best = 0;
    for (let i = 1; i < allowed.length; i++) if (allowed[i] > allowed[best]) best = i;
    return { token: best, logprob: logp[best] };
  }
  let threshold = -Infinity;
  if (cfg.topK > 0 && cfg.topK < allowed.length) threshold = Array.from(allowed).sort((a, b) => b - a)[cfg.topK - 1];
  let total = 0;
  for (const v of allowed) if (v >= threshold && v > -Infinity) total += Math.exp(v);
  let u = rng.next() * total;
  let last = 0;
  for (let i = 0; i < allowed.length; i++) {
    if (allowed[i] < threshold || allowed[i] === -Infinity) continue;
    last = i;
    u -= Math.exp(allowed[i]);
    if (u < 0) return { token: i, logprob: logp[i] };
  }
  return { token: last, logprob: logp[last] }; // rounding left u ≥ 0: the last eligible token
}
