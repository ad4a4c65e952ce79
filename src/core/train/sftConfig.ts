/** SftConfig: the supervised fine-tuning baseline's settings with their defaults (no tfjs: the UI reads them). */
export interface SftConfig {
  /** Sequences per step. Default 32 (matches GRPO's 4 prompts × 8 completions). */
  batchSize: number;
  /** Peak learning rate. Default 1e-4. */
  learningRate: number;
  /** Decay after warm-up. Default 'linear'. */
  lrSchedule: 'constant' | 'linear' | 'cosine';
  /** Linear warm-up steps. Default 0. */
  warmupSteps: number;
  /** Gradient-norm clipping threshold; 0 disables. Default 1.0. */
  maxGradNorm: number;
  /** Optimisation steps. Default 100. */
  steps: number;
  /** Seed of the data order. Default 1. */
  seed: number;
  /**
   * Sequences per forward/backward pass; gradients are summed over the passes, so the update equals the whole
   * batch's (to float rounding) with one pass's activations alive at a time. 0 = the batch in one pass. Default 8.
   */
  microBatchSize: number;
}

export const DEFAULT_SFT: SftConfig = { batchSize: 32, learningRate: 1e-4, lrSchedule: 'linear', warmupSteps: 0, maxGradNorm: 1.0, steps: 100, seed: 1, microBatchSize: 8 };
