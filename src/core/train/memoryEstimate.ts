/**
 * How much tensor memory a training step will need, before it runs: the Train view shows the figure and refuses
 * a config above the budget (a step that does not fit fails deep inside a kernel, or takes the tab down).
 *
 * The peak of a step is its largest forward/backward pass: the tape keeps every activation of one micro-batch
 * until the gradients are taken. Its size per (row, token) was measured on the WASM backend with tf.profile for
 * the base policy and variants of it (4 vs 2 layers, width 128 vs 64, 66/86/114 tokens per row):
 *   floats ≈ nLayers · dModel · (0.51 · T + 187) + 52 · vocabulary
 * The T·dModel term is attention's (its depthwise-convolution form holds a [T, dModel] product per query token);
 * the vocabulary term is the log-softmax over completion positions. The base policy's 8 × 114-token pass comes
 * out at 560 MB against 536 MB measured (memoryEstimate.test.ts holds a measured case to this formula).
 */
import { type PolicyConfig, imageTokenCount } from '../model/config';

/**
 * The largest step peak a run may have. The WASM heap of tfjs is a 32-bit one (at most 4 GiB) that grows in
 * steps and does not shrink; a step near 4 GiB fails on its next allocation, so a gigabyte is left over. GPU
 * backends do not report their limits; the same budget keeps a run within what a browser tab is usually given.
 */
export const MEMORY_BUDGET_MB = 3072;

export interface MemoryEstimate {
  /** Estimated peak tensor memory of one step, MB. */
  peakMB: number;
  /** Rows in the largest forward/backward pass (the micro-batch, or the whole batch). */
  rowsPerPass: number;
  /** Tokens per row: image tokens, prompt and completion (at the longest a completion may be). */
  tokensPerRow: number;
  /** Weights, AdamW's two moments and the KL reference, MB. */
  residentMB: number;
}

const MB = 2 ** 20;

/** Estimated peak of one training step whose passes hold `rowsPerPass` rows of `textTokens` text tokens. */
export function stepMemory(c: PolicyConfig, vocabulary: number, parameters: number, rowsPerPass: number, textTokens: number, withReference: boolean): MemoryEstimate {
  const tokensPerRow = imageTokenCount(c) + Math.min(textTokens, c.maxTextLength);
  const floatsPerToken = c.nLayers * c.dModel * (0.51 * tokensPerRow + 187) + 52 * vocabulary;
  const residentMB = (parameters * 4 * (3 + (withReference ? 1 : 0))) / MB;
  const passMB = (rowsPerPass * tokensPerRow * floatsPerToken * 4) / MB;
  return { peakMB: residentMB + passMB, rowsPerPass, tokensPerRow, residentMB };
}

/** Prompt tokens assumed by the estimate: a task token and a few category or expression words. */
export const PROMPT_TOKENS = 8;

/** A GRPO step: promptsPerStep × G completions, in micro-batches, each at most maxCompletionLength tokens. */
export function grpoStepMemory(c: PolicyConfig, vocabulary: number, parameters: number, cfg: { numGenerations: number; promptsPerStep: number; maxCompletionLength: number; microBatchSize: number; beta: number }): MemoryEstimate {
  const rows = cfg.numGenerations * cfg.promptsPerStep;
  const perPass = cfg.microBatchSize > 0 ? Math.min(cfg.microBatchSize, rows) : rows;
  return stepMemory(c, vocabulary, parameters, perPass, PROMPT_TOKENS + cfg.maxCompletionLength, cfg.beta !== 0);
}

/** An SFT step: batchSize target completions in micro-batches; a target may fill the policy's text length. */
export function sftStepMemory(c: PolicyConfig, vocabulary: number, parameters: number, cfg: { batchSize: number; microBatchSize: number }): MemoryEstimate {
  const perPass = cfg.microBatchSize > 0 ? Math.min(cfg.microBatchSize, cfg.batchSize) : cfg.batchSize;
  return stepMemory(c, vocabulary, parameters, perPass, c.maxTextLength, false);
}

/** Why a step of this size will not fit, and what to change; null when it fits. */
export function memoryProblem(e: MemoryEstimate, budgetMB = MEMORY_BUDGET_MB): string | null {
  if (e.peakMB <= budgetMB) return null;
  const perRow = (e.peakMB - e.residentMB) / e.rowsPerPass;
  if (e.residentMB + perRow > budgetMB) return `One sequence of ${e.tokensPerRow} tokens alone needs about ${((e.residentMB + perRow) / 1024).toFixed(1)} GB of tensor memory, above the ${(budgetMB / 1024).toFixed(0)} GB a browser tab can hold safely: shorten the completions (max completion tokens).`;
  const fits = Math.max(1, Math.floor((budgetMB - e.residentMB) / perRow));
  return `A step needs about ${(e.peakMB / 1024).toFixed(1)} GB of tensor memory (${e.rowsPerPass} sequences of ${e.tokensPerRow} tokens per pass), above the ${(budgetMB / 1024).toFixed(0)} GB a browser tab can hold safely. Set the micro-batch size to ${fits} or fewer (all settings); the update stays the same.`;
}
