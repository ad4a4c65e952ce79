/**
 * The memory a run's steps will need (core/train/memoryEstimate.ts), from the form and the current policy: the
 * Train view shows it beside Start and refuses a run that will not fit; the worker's metrics add what is in use.
 */
import { DEFAULT_GRPO } from '../core/train/grpoConfig';
import { type MemoryEstimate, grpoStepMemory, memoryProblem, sftStepMemory } from '../core/train/memoryEstimate';
import { DEFAULT_SFT } from '../core/train/sftConfig';
import type { PolicySummary } from '../worker/protocol';
import type { TrainForm } from './trainStore';

export interface MemoryPlan {
  estimate: MemoryEstimate;
  /** Why the run will not fit and what to change; null when it fits. */
  problem: string | null;
  /** Gradient workers that will share each update (0: this worker alone); each holds a copy and one pass. */
  sharedWith: number;
}

/** `workers`: those that compute each update (the backend's report; 1 = this worker alone). */
export function memoryPlan(f: TrainForm, policy: PolicySummary | undefined, workers = 1): MemoryPlan | null {
  if (!policy) return null;
  const estimate =
    f.method === 'sft'
      ? sftStepMemory(policy.config, policy.vocabulary, policy.parameters, { batchSize: f.numGenerations * f.promptsPerStep, microBatchSize: DEFAULT_SFT.microBatchSize, ...f.sft })
      : grpoStepMemory(policy.config, policy.vocabulary, policy.parameters, { microBatchSize: DEFAULT_GRPO.microBatchSize, ...f.grpo, numGenerations: f.numGenerations, promptsPerStep: f.promptsPerStep, maxCompletionLength: f.maxCompletionLength, beta: f.beta });
  // Parts of one update: only that many workers get work (a one-part batch stays in this worker).
  const parts = Math.ceil((f.numGenerations * f.promptsPerStep) / Math.max(1, estimate.rowsPerPass));
  return { estimate, problem: memoryProblem(estimate), sharedWith: Math.max(0, Math.min(workers, parts) - 1) };
}
