/**
 * accuracy_cls: the classification reward (docs/design.md §3).
 * Reference: answer and ground truth lose spaces and `_`, are lowercased, and either being a substring of the
 * other scores 1.0 (so an empty answer scores 1.0). Strict: answer tags required, exact match, empty → 0.0.
 */
import { answerOrWhole, firstAnswerGroup, pyStrip } from '../py/pyText';
import type { RewardMode } from './types';

export function normaliseLabel(s: string): string {
  return s.replaceAll(' ', '').replaceAll('_', '').toLowerCase();
}

export function accuracyCls(completion: string, solution: string, mode: RewardMode): number {
  const gt = normaliseLabel(answerOrWhole(solution, false));
  if (mode === 'reference') {
    const answer = normaliseLabel(answerOrWhole(completion, false));
    return gt.includes(answer) || answer.includes(gt) ? 1.0 : 0.0;
  }
  const group = firstAnswerGroup(completion, true);
  if (group === null) return 0.0;
  const answer = normaliseLabel(pyStrip(group));
  return answer !== '' && answer === gt ? 1.0 : 0.0;
}
