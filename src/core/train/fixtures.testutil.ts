/** Training data for the trainer's tests: seeded random images with toy classification and detection labels. */
import { Rng } from '../rng';
import type { Policy } from '../model/policy';
import type { GrpoPrompt } from './grpoStep';
import type { TrainItem } from './trainer';

/** `n` classification items (cat / dog alternating) with SFT targets. */
export function classificationItems(policy: Policy, n: number): TrainItem[] {
  const rng = new Rng(4);
  const t = policy.tokenizer;
  const s = policy.config.imageSize;
  return Array.from({ length: n }, (_, i) => ({
    image: Float32Array.from({ length: s * s * 3 }, () => rng.next()),
    prompt: [t.taskId('classification'), t.wordId('dog')],
    task: 'classification' as const,
    solution: `<answer>${i % 2 ? 'dog' : 'cat'}</answer>`,
    target: [...t.tokenize(`<think> I see a ${i % 2 ? 'dog' : 'cat'}. </think> <answer>${i % 2 ? 'dog' : 'cat'}</answer>`), t.id('eos')],
  }));
}

/** `n` detection prompts, each with one box over the top-left quarter. */
export function detectionPrompts(policy: Policy, n: number): GrpoPrompt[] {
  const rng = new Rng(9);
  const s = policy.config.imageSize;
  const t = policy.tokenizer;
  return Array.from({ length: n }, (_, i) => ({
    image: Float32Array.from({ length: s * s * 3 }, () => rng.next()),
    prompt: [t.taskId('detection'), t.wordId(i % 2 ? 'dog' : 'cat')],
    task: 'detection' as const,
    solution: "<answer>[{'Position': [0, 0, 500, 500], 'Confidence': 1}]</answer>",
  }));
}
