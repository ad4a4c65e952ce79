import { describe, expect, it } from 'vitest';
import { settingsMatch, unclassifiedKeys } from './settings';

const current = { model: 'abc', steps: 80, evalN: 256, rftLr: 1e-4, sftLr: 2e-5, beta: 0.04, generations: 8, prompts: 4, temperature: 1, sftBatch: 8 };

describe('experiment settings', () => {
  it('reuses a run when only the other method’s settings differ', () => {
    const onePrompt = { ...current, prompts: 1 };
    expect(settingsMatch('sft', onePrompt, current)).toBe(true);
    expect(settingsMatch('rft', onePrompt, current)).toBe(false);
    const bigBatch = { ...current, sftBatch: 32 };
    expect(settingsMatch('rft', bigBatch, current)).toBe(true);
    expect(settingsMatch('sft', bigBatch, current)).toBe(false);
    expect(settingsMatch('base', { ...current, steps: 160, prompts: 2, sftBatch: 4 }, current)).toBe(true);
  });

  it('treats an option left at its default (absent from the log) as different from a set one', () => {
    expect(settingsMatch('rft', current, { ...current, lossType: 'dr_grpo' })).toBe(false);
    expect(settingsMatch('sft', current, { ...current, lossType: 'dr_grpo' })).toBe(true);
    expect(settingsMatch('sft', current, { ...current, absentShare: 0.25 })).toBe(false);
    expect(settingsMatch('base', { ...current, model: 'def' }, current)).toBe(false);
    expect(settingsMatch('sft', undefined, current)).toBe(false);
  });

  it('classifies every key the experiment writes', () => {
    expect(unclassifiedKeys({ ...current, rewardMode: 'strict', absentShare: 0.25, lossType: 'dapo', scaleRewards: 'none' })).toEqual([]);
    expect(unclassifiedKeys({ ...current, newKnob: 1 })).toEqual(['newKnob']);
  });
});
