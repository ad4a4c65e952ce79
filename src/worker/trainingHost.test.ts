import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { tinyPolicy } from '../core/model/fixtures.testutil';
import { useBackend } from '../core/model/nodeBackends.testutil';
import type { RunSnapshot } from '../core/train/runState';
import { DEFAULT_SFT, type TrainItem } from '../core/train/trainer';
import { type RunStatus, control, runStatus, startRun } from './trainingHost';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('training host', () => {
  it('pauses, resumes and stops a run between steps, keeping a snapshot', async () => {
    await useBackend('cpu');
    const p = tinyPolicy(8);
    const rng = new Rng(1);
    const t = p.tokenizer;
    const s = p.config.imageSize;
    const items: TrainItem[] = Array.from({ length: 4 }, () => ({ image: Float32Array.from({ length: s * s * 3 }, () => rng.next()), prompt: [t.taskId('classification')], task: 'classification', solution: '<answer>dog</answer>', target: [...t.tokenize('<answer>dog</answer>'), t.id('eos')] }));
    const steps: number[] = [];
    const statuses: RunStatus[] = [];
    const snaps: RunSnapshot[] = [];
    const done = startRun('r1', p, null, items, { method: 'sft', config: { ...DEFAULT_SFT, batchSize: 2, steps: 1000 } }, {
      metrics: (_, step) => void steps.push(step),
      rollouts: () => {},
      snapshot: (_, snap) => void snaps.push(snap),
      status: (_, st) => void statuses.push(st),
    }, 0);
    while (steps.length < 2) await tick(5);
    expect(control('r1', 'pause')).toBe('paused');
    await tick(50);
    const frozen = steps.length;
    await tick(150);
    expect(steps.length).toBe(frozen); // no step while paused
    expect(runStatus()).toEqual({ id: 'r1', status: 'paused' });
    expect(control('r1', 'resume')).toBe('running');
    while (steps.length < frozen + 2) await tick(5);
    expect(control('r1', 'stop')).toBe('stopping');
    const trained = await done;
    expect(statuses).toEqual(['running', 'stopped']);
    expect(snaps).toHaveLength(1);
    expect(snaps[0].step).toBe(steps[steps.length - 1]);
    expect(() => control('other', 'pause')).toThrow(/no run other/);
    expect(trained).toBe(p); // trained in place (a resumed run would return its restored policy)
    p.dispose();
  });
});
