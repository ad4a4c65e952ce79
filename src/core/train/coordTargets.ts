/**
 * Soft targets for coordinate tokens (pretraining only). With one-hot targets, a coordinate bin's logit learns
 * from its own ~1 % of the examples and a prediction one bin (0.6 px) off is as wrong as one across the image:
 * nothing tells the model that bins are ordered. A Gaussian over neighbouring bins (σ in bins) makes every
 * example teach the bins around the answer, so "closer" is rewarded, as in distribution-style box losses.
 * Greedy decoding still picks the most likely bin, so the output format is unchanged.
 */
import type { Tokenizer } from '../model/tokenizer';

/** A normalised Gaussian (σ `sigma` bins, cut at 3σ) around `bin`, written at `offset`; one-hot when σ ≤ 0. */
function gaussianRow(out: Float32Array, offset: number, bin: number, bins: number, sigma: number): void {
  if (sigma <= 0) {
    out[offset + bin] = 1;
    return;
  }
  const reach = Math.ceil(3 * sigma);
  let total = 0;
  for (let k = -reach; k <= reach; k++) if (bin + k >= 0 && bin + k < bins) total += Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = -reach; k <= reach; k++) if (bin + k >= 0 && bin + k < bins) out[offset + bin + k] = Math.exp(-(k * k) / (2 * sigma * sigma)) / total;
}

/** Target distributions [bins.length × nBins] for bin indices (−1: an all-zero row, no target). */
export function binTargets(bins: Int32Array, nBins: number, sigma: number): Float32Array {
  const out = new Float32Array(bins.length * nBins);
  bins.forEach((b, i) => {
    if (b >= 0) gaussianRow(out, i * nBins, b, nBins, sigma);
  });
  return out;
}

/**
 * Target distributions [rows × L × vocab]: one-hot for every completion token, a normalised Gaussian (σ `sigma`
 * bins, cut at 3σ) over coordinate bins for coordinate tokens; all-zero rows for padding. `sigma` 0 gives one-hot.
 */
export function completionTargets(tok: Tokenizer, completions: number[][], L: number, vocab: number, sigma: number): Float32Array {
  const out = new Float32Array(completions.length * L * vocab);
  completions.forEach((comp, r) => {
    for (let j = 0; j < Math.min(L, comp.length); j++) {
      const row = (r * L + j) * vocab;
      const id = comp[j];
      if (sigma > 0 && tok.kind(id) === 'coord') gaussianRow(out, row + tok.coordStart, id - tok.coordStart, tok.coordBins, sigma);
      else out[row + id] = 1;
    }
  });
  return out;
}
