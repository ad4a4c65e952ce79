/**
 * Which of an experiment's settings each logged line depends on, so a resumed or varied suite reuses exactly the
 * runs it can: an SFT run does not depend on GRPO's G or temperature, an RFT run not on SFT's batch, and the base
 * policy's evaluation on neither. A suite run with `--prompts 4` therefore reuses the SFT runs of the default suite,
 * and one with `--sft-batch 32` reuses its RFT runs.
 */
export type Settings = Record<string, string | number>;
export type LineKind = 'base' | 'sft' | 'rft';

/** What every trained run depends on: the checkpoint, the step budget, the held-out set and the training set. */
const RUN_KEYS = ['model', 'steps', 'evalN', 'absentShare'];
const KEYS: Record<LineKind, string[]> = {
  base: ['model', 'evalN'],
  sft: [...RUN_KEYS, 'sftLr', 'sftBatch'],
  rft: [...RUN_KEYS, 'rftLr', 'beta', 'generations', 'prompts', 'temperature', 'rewardMode', 'lossType', 'scaleRewards'],
};

/** The settings a line of this kind depends on, in a fixed order (a key absent from both sides matches). */
function relevantSettings(kind: LineKind, settings: Settings | undefined): string {
  return JSON.stringify(KEYS[kind].map((k) => [k, settings?.[k] ?? null]));
}

/** Whether a logged line, written with `logged` settings, is valid under the `current` ones. */
export function settingsMatch(kind: LineKind, logged: Settings | undefined, current: Settings): boolean {
  return logged !== undefined && relevantSettings(kind, logged) === relevantSettings(kind, current);
}

/** Every settings key must be classified, so a new option cannot silently be ignored by the match. */
export function unclassifiedKeys(settings: Settings): string[] {
  const known = new Set([...KEYS.base, ...KEYS.sft, ...KEYS.rft]);
  return Object.keys(settings).filter((k) => !known.has(k));
}
