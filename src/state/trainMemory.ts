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
}

export function memoryPlan(f: TrainForm, policy: PolicySummary | undefined): MemoryPlan | null {
  if (!policy) return null;
  const estimate =
    f.method === 'sft'
      ? sftStepMemory(policy.config, policy.vocabulary, policy.parameters, { batchSize: f.numGenerations * f.promptsPerStep, microBatchSize: DEFAULT_SFT.microBatchSize, ...f.sft })
      : grpoStepMemory(policy.config, policy.vocabulary, policy.parameters, { microBatchSize: DEFAULT_GRPO.microBatchSize, ...f.grpo, numGenerations: f.numGenerations, promptsPerStep: f.promptsPerStep, maxCompletionLength: f.maxCompletionLength, beta: f.beta });
  return { estimate, problem: memoryProblem(estimate) };
}
