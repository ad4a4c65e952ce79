/**
 * Does a detection answer follow from the policy's own reasoning? The world's detection traces say what is in
 * the image, then how many of the queried category there are ("I see a cow and an orange square. There are no
 * parachutes."). Reading the policy's trace against the scene splits a false box on an absent category into
 * two different failures:
 *  - seeing: the trace names the queried category although it is not in the image;
 *  - reasoning: the trace does not name it, and the answer boxes it anyway (the answer contradicts the trace).
 * The first wants better vision, the second a policy that uses what it wrote.
 */
import type { WorldSample } from './tasks';

export interface TraceAgreement {
  /** Detection samples whose completion has a readable "I see …." list. */
  traced: number;
  /** Scene objects (by label, once per label) the trace names, out of all of them: how much the policy sees. */
  namedObjects: number;
  sceneObjects: number;
  /** Labels the trace names that are not in the scene. */
  hallucinated: number;
  /** Queries about an absent category: all, those whose trace names the category, those answered with boxes. */
  absent: number;
  absentNamed: number;
  absentBoxed: number;
  /** Absent queries answered with boxes although the trace did not name the category. */
  absentBoxedUnnamed: number;
}

/** The labels of a trace's "I see a, b and c." list, or null when there is none. */
export function tracedLabels(completion: string): string[] | null {
  const m = /I see (.*?)\. /.exec(completion);
  if (!m) return null;
  if (m[1] === 'nothing') return [];
  return m[1]
    .split(/, | and /)
    .map((p) => p.trim().replace(/^(a|an) /, ''))
    .filter(Boolean);
}

const answeredBoxes = (completion: string) => /<answer>\s*\[/.test(completion);

export function traceAgreement(samples: WorldSample[], completions: string[]): TraceAgreement {
  const a: TraceAgreement = { traced: 0, namedObjects: 0, sceneObjects: 0, hallucinated: 0, absent: 0, absentNamed: 0, absentBoxed: 0, absentBoxedUnnamed: 0 };
  samples.forEach((s, i) => {
    if (s.task !== 'detection' || s.category === undefined) return;
    const listed = tracedLabels(completions[i] ?? '');
    if (!listed) return;
    a.traced++;
    const inScene = new Set(s.scene.objects.map((o) => o.label));
    const named = new Set(listed);
    a.sceneObjects += inScene.size;
    for (const l of inScene) if (named.has(l)) a.namedObjects++;
    for (const l of named) if (!inScene.has(l)) a.hallucinated++;
    if (inScene.has(s.category)) return;
    a.absent++;
    const boxed = answeredBoxes(completions[i]);
    if (named.has(s.category)) a.absentNamed++;
    if (boxed) a.absentBoxed++;
    if (boxed && !named.has(s.category)) a.absentBoxedUnnamed++;
  });
  return a;
}
