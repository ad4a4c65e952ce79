/**
 * The worker's current policy: created, loaded from checkpoint bytes, or saved to bytes. One owner; the
 * previous policy is disposed when replaced.
 */
import { POLICY_CONFIGS, type PolicyConfigName } from '../core/model/config';
import { loadCheckpoint, readCheckpointHeader, saveCheckpoint } from '../core/model/checkpoint';
import { Policy } from '../core/model/policy';
import { sha256Hex } from '../core/model/tower';
import { towerFor } from './towerHost';

export interface PolicySummary {
  name: string;
  /** sha256 of the checkpoint bytes this policy was loaded from or saved as (absent for an untrained one). */
  sha256?: string;
  parameters: number;
  vocabulary: number;
  config: Policy['config'];
  meta: Record<string, unknown>;
}

let current: { policy: Policy; name: string; meta: Record<string, unknown>; sha256?: string } | null = null;

function summary(): PolicySummary | null {
  if (!current) return null;
  const { policy, name, meta, sha256 } = current;
  return { name, ...(sha256 ? { sha256 } : {}), parameters: policy.parameterCount(), vocabulary: policy.tokenizer.size, config: policy.config, meta };
}

function replace(policy: Policy, name: string, meta: Record<string, unknown>, sha256?: string): PolicySummary {
  if (current?.policy !== policy) current?.policy.dispose();
  current = { policy, name, meta, sha256 };
  return summary() as PolicySummary;
}

/** The loaded policy itself (training updates it in place). */
export function currentPolicy(): Policy | null {
  return current?.policy ?? null;
}

export function currentPolicySummary(): PolicySummary | null {
  return summary();
}

/** A freshly initialised (untrained) policy of a named size. */
export function createPolicy(config: PolicyConfigName, words: string[]): PolicySummary {
  const c = POLICY_CONFIGS[config];
  return replace(Policy.create(c, { coordBins: c.coordBins, words }), `untrained ${config}`, { createdAt: new Date().toISOString() });
}

/** Make a policy produced elsewhere (a run's result, saved as `bytes`) the current one. */
export async function adoptPolicy(policy: Policy, name: string, bytes: Uint8Array, meta: Record<string, unknown> = {}): Promise<PolicySummary> {
  return replace(policy, name, meta, await sha256Hex(bytes));
}

/** A checkpoint's policy, with the vision tower (from `towerUrl`) when its config reads one. */
export async function loadPolicy(bytes: Uint8Array, name: string, towerUrl?: string): Promise<PolicySummary> {
  const { header } = readCheckpointHeader(bytes); // fail fast with the header's message before allocating weights
  const tower = await towerFor(header.config, towerUrl);
  const { policy, meta } = loadCheckpoint(bytes, { tower });
  return replace(policy, name, meta, await sha256Hex(bytes));
}

export async function savePolicy(): Promise<{ bytes: Uint8Array; name: string }> {
  if (!current) throw new Error('no policy is loaded');
  return { bytes: await saveCheckpoint(current.policy, current.meta), name: current.name };
}
