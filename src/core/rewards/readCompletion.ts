/**
 * A completion read for a person: its reasoning, its answer, and the boxes or label the answer gives, parsed
 * with the strict parsers of the rewards, so what is drawn is exactly what the strict scorer would grade.
 */
import { firstAnswerGroup, pyStrip } from '../py/pyText';
import { type Box, parseStrictDetection } from './detectionStrict';
import { strictGroundingBox } from './grounding';
import type { Task } from './types';

export interface ReadBox {
  /** Corners in 0–1000 image coordinates. */
  box: Box;
  /** Detection's written confidence; absent for grounding. */
  confidence?: number;
}

export interface ReadCompletion {
  /** Text inside the first `<think>…</think>`, or null when there is none. */
  think: string | null;
  /** Text inside the first `<answer>…</answer>`, or null when there is none. */
  answer: string | null;
  /** Boxes of a detection or grounding answer (empty for `No Objects` and for classification). */
  boxes: ReadBox[];
  /** Detection entries that are not a valid box (they count as wrong predictions). */
  invalid: number;
  /** Classification's label. */
  label: string | null;
  /** Why the answer could not be read, or null. */
  problem: string | null;
}

function thinkText(completion: string): string | null {
  const m = /<think>([\s\S]*?)<\/think>/.exec(completion);
  return m ? m[1].trim() : null;
}

export function readCompletion(task: Task, completion: string): ReadCompletion {
  const think = thinkText(completion);
  const group = firstAnswerGroup(completion, true);
  const answer = group === null ? null : pyStrip(group);
  const read: ReadCompletion = { think, answer, boxes: [], invalid: 0, label: null, problem: null };
  if (answer === null) return { ...read, problem: 'no <answer>…</answer> in the completion' };
  if (task === 'classification') return { ...read, label: answer || null, problem: answer ? null : 'the answer is empty' };
  if (task === 'grounding') {
    const b = strictGroundingBox(answer);
    if (!b) return { ...read, problem: 'the answer holds no box (x1,y1),(x2,y2) with x2 > x1, y2 > y1 in 0–1000' };
    return { ...read, boxes: [{ box: b.map((v) => Math.round(v * 1000)) as Box }] };
  }
  const entries = parseStrictDetection(completion);
  if (entries === null) return { ...read, problem: "the answer is neither `No Objects` nor a list of {'Position': […], 'Confidence': …}" };
  const boxes = entries.filter((e): e is NonNullable<typeof e> => e !== null);
  return { ...read, boxes: boxes.map((e) => ({ box: e.box, confidence: e.confidence })), invalid: entries.length - boxes.length };
}
