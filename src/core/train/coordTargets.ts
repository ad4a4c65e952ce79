/**
 * Soft targets for coordinate tokens (pretraining only). With one-hot targets, a coordinate bin's logit learns
 * from its own ~1 % of the examples and a prediction one bin (0.6 px) off is as wrong as one across the image:
 * nothing tells the model that bins are ordered. A Gaussian over neighbouring bins (σ in bins) makes every
 * example teach the bins around the answer, so "closer" is rewarded, as in distribution-style box losses.
 * Greedy decoding still picks the most likely bin, so the output format is unchanged.
 */
import type { Tokenizer } from '../model/tokenizer';

/**
 * Target distributions [rows × L × vocab]: one-hot for every completion token, a normalised Gaussian (σ `sigma`
 * bins, cut at 3σ) over coordinate bins for coordinate tokens; all-zero rows for padding. `sigma` 0 gives one-hot.
 */
export function completionTargets(tok: Tokenizer, completions: number[][], L: number, vocab: number, sigma: number): Float32Array {
  const out = new Float32Array(completions.length * L * vocab);
  const reach = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * reach + 1 }, (_, k) => Math.exp(-((k - reach) ** 2) / (2 * sigma * sigma || 1)));
  completions.forEach((comp, r) => {
    for (let j = 0; j < Math.min(L, comp.length); j++) {
      const row = (r * L + j) * vocab;
      const id = comp[j];
      if (sigma <= 0 || tok.kind(id) !== 'coord') {
        out[row + id] = 1;
        continue;
      }
      const bin = id - tok.coordStart;
      let total = 0;
      for (let k = -reach; k <= reach; k++) if (bin + k >= 0 && bin + k < tok.coordBins) total += kernel[k + reach];
      for (let k = -reach; k <= reach; k++) if (bin + k >= 0 && bin + k < tok.coordBins) out[row + id + k] = kernel[k + reach] / total;
    }
  });
  return out;
}
