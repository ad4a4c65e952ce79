/**
 * Where reasoning grounding fails. Acc@0.5 alone cannot tell a policy that picks the wrong object from one that
 * picks the right one and draws a loose box. With the scene's objects known, each answer is one of:
 *  - hit: IoU ≥ 0.5 with the target;
 *  - other object: IoU ≥ 0.5 with another object of the scene (a reasoning or recognition error);
 *  - loose: the target is the object the box overlaps most, below IoU 0.5 (a localisation error);
 *  - miss: neither (the box is on another object loosely, on the background, or missing).
 * Split by the kind of question, because "the largest red object" and "the animal that can fly" fail for
 * different reasons.
 */
import { iou, strictGroundingBox } from '../rewards/grounding';
import type { WorldSample } from './tasks';

export type GroundingOutcome = 'hit' | 'other' | 'loose' | 'miss';
export const GROUNDING_OUTCOMES: readonly GroundingOutcome[] = ['hit', 'other', 'loose', 'miss'];

/** The kind of a world grounding question, from its wording. */
export function questionKind(promptWords: string[]): string {
  const q = promptWords.join(' ');
  if (q.startsWith('the largest ')) return 'largest of a colour';
  if (q === 'the smallest object') return 'smallest';
  if (q.startsWith('the object left of ')) return 'left of';
  if (q === 'the animal that can fly') return 'can fly';
  if (q === 'something you can eat') return 'can eat';
  return 'by name';
}

export type GroundingDiagnosis = Record<string, Record<GroundingOutcome, number>>;

export function diagnoseGrounding(samples: WorldSample[], completions: string[]): GroundingDiagnosis {
  const out: GroundingDiagnosis = {};
  samples.forEach((s, i) => {
    const target = s.targets?.[0];
    if (s.task !== 'grounding' || !target) return;
    const kind = questionKind(s.promptWords);
    const row = (out[kind] ??= { hit: 0, other: 0, loose: 0, miss: 0 });
    row[outcome(s, target, completions[i] ?? '')]++;
  });
  return out;
}

function outcome(s: WorldSample, target: WorldSample['scene']['objects'][number], completion: string): GroundingOutcome {
  const answer = /<answer>([\s\S]*?)<\/answer>/.exec(completion)?.[1] ?? '';
  const box = strictGroundingBox(answer);
  if (!box) return 'miss';
  const frac = (o: typeof target) => o.box.map((v) => v / s.scene.size) as [number, number, number, number];
  const scores = s.scene.objects.map((o) => ({ o, v: iou(box, frac(o)) }));
  const onTarget = scores.find((x) => x.o === target)?.v ?? 0;
  if (onTarget >= 0.5) return 'hit';
  const best = scores.reduce((a, b) => (b.v > a.v ? b : a));
  if (best.o !== target && best.v >= 0.5) return 'other';
  if (best.o === target && best.v > 0) return 'loose';
  return 'miss';
}
