/**
 * The reward debugger (issue 21): why a completion scored what it did. The rewards are the scorer's own
 * (registry.ts taskRewards, so they are equal by construction); the steps re-run the same parse helpers
 * (detectionParse.ts, detectionReference.ts, detectionStrict.ts, grounding.ts) to show each stage, the greedy
 * matching, the arithmetic, and warnings for the mistakes users of Visual-RFT and VLM-R1 keep hitting: pixel
 * coordinates instead of 0–1000, a whole-image box, an empty answer that the reference scores 1, `No Objects`
 * scored 0, confidences that are NaN or out of range.
 */
import { firstAnswerGroup, pyStrip } from '../py/pyText';
import { isDict, isList, type PyValue } from '../py/pyValue';
import { normaliseLabel } from './classification';
import { extractBoxList, studentDetectionAnswer } from './detectionParse';
import { type Box, boxIou, parseStrictDetection } from './detectionStrict';
import { referenceGroundingBox, strictGroundingBox } from './grounding';
import { taskRewards } from './registry';
import type { RewardMode, RewardName, Task } from './types';

export interface ExplainStep {
  name: string;
  detail: string;
}

export interface ExplainMatch {
  /** The prediction's box (0–1000) and confidence, in the order matching visits them (confidence, descending). */
  box: number[] | null;
  confidence: number | null;
  /** Index of the ground-truth box with the highest IoU among those still unmatched (−1: none). */
  bestTruth: number;
  iou: number;
  matched: boolean;
}

export interface Explanation {
  task: Task;
  mode: RewardMode;
  rewards: Partial<Record<RewardName, number>>;
  steps: ExplainStep[];
  matches: ExplainMatch[];
  /** Each reward with the arithmetic that gives it. */
  arithmetic: Partial<Record<RewardName, string>>;
  warnings: string[];
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : null);
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, ''));

/** A Python value as four numbers, or null. */
function boxOf(v: PyValue | undefined): number[] | null {
  if (v === undefined || !isList(v) || v.length !== 4) return null;
  const out = v.map(num);
  return out.every((x) => x !== null && Number.isFinite(x)) ? (out as number[]) : null;
}

function truthBoxes(solution: string): Box[] {
  const entries = parseStrictDetection(solution.includes('<answer>') ? solution : `<answer>${solution}</answer>`);
  return (entries ?? []).filter((e): e is NonNullable<typeof e> => e !== null).map((e) => e.box);
}

/** Whether boxes fit `width × height` pixel coordinates far better than 0–1000 ones (a classic mix-up). */
function pixelMixUp(preds: number[][], truth: Box[], size?: { width: number; height: number }): string | null {
  if (!size || !preds.length || !truth.length) return null;
  const maxX = Math.max(...preds.flatMap((b) => [b[0], b[2]]));
  const maxY = Math.max(...preds.flatMap((b) => [b[1], b[3]]));
  if (maxX > size.width || maxY > size.height) return null;
  const best = (boxes: number[][]) => Math.max(0, ...boxes.flatMap((b) => truth.map((t) => boxIou(t, b as Box))));
  const asIs = best(preds);
  const asPixels = best(preds.map((b) => [(b[0] * 1000) / size.width, (b[1] * 1000) / size.height, (b[2] * 1000) / size.width, (b[3] * 1000) / size.height]));
  return asPixels > asIs + 0.2 ? `the boxes fit ${size.width}×${size.height} pixel coordinates (best IoU ${fmt(asPixels)}) far better than 0–1000 ones (${fmt(asIs)}): coordinates must be integers in 0–1000, relative to the image's width and height` : null;
}

function detectionSteps(completion: string, solution: string, mode: RewardMode, out: Explanation, size?: { width: number; height: number }): void {
  const truth = truthBoxes(solution);
  out.steps.push({ name: 'ground truth', detail: truth.length ? `${truth.length} box(es): ${truth.map((b) => `[${b.join(', ')}]`).join(', ')}` : 'No Objects' });
  let preds: { box: number[] | null; confidence: number | null }[] = [];
  if (mode === 'reference') {
    const group = firstAnswerGroup(completion, false);
    out.steps.push({ name: 'answer', detail: group === null ? 'no <answer>…</answer> on one line: the whole completion is used' : `<answer> content: ${JSON.stringify(pyStrip(group))}` });
    const wrapped = studentDetectionAnswer(completion);
    const repairs = [completion.includes('[[') && '[[ → [', completion.includes(']]') && ']] → ]', completion.includes('\n') && 'newlines removed'].filter(Boolean);
    if (repairs.length) out.steps.push({ name: 'repairs', detail: repairs.join(', ') });
    const inner = wrapped.slice('<answer>'.length, wrapped.indexOf('</answer>') < 0 ? undefined : wrapped.indexOf('</answer>'));
    if (!inner.endsWith(']') && inner.includes('{')) out.steps.push({ name: 'repairs', detail: "the list does not end with ']': cut at the last '},' and closed with '}]' (a truncated answer)" });
    if (inner.includes("'")) out.steps.push({ name: 'repairs', detail: "single quotes made double for JSON" });
    let parsed: PyValue | null = null;
    try {
      parsed = extractBoxList(wrapped);
    } catch {
      parsed = null;
    }
    if (parsed === null || !isList(parsed)) out.steps.push({ name: 'parse', detail: parsed === null ? 'not a JSON list (None in the reference): every detection reward is 0' : 'not a list: rewards 0' });
    else {
      out.steps.push({ name: 'parse', detail: `a list of ${parsed.length} entr${parsed.length === 1 ? 'y' : 'ies'}` });
      const seen: string[] = [];
      let dropped = 0;
      for (const e of parsed) {
        const pos = isDict(e) ? e.get('Position') : undefined;
        const key = JSON.stringify(boxOf(pos));
        if (isDict(e) && seen.includes(key)) {
          dropped++;
          continue;
        }
        seen.push(key);
        preds.push({ box: boxOf(pos), confidence: isDict(e) ? num(e.get('Confidence')) : null });
      }
      if (dropped) out.steps.push({ name: 'duplicates', detail: `${dropped} box(es) with a Position equal to an earlier one dropped` });
    }
  } else {
    const entries = parseStrictDetection(completion);
    out.steps.push({ name: 'parse (strict)', detail: entries === null ? "neither 'No Objects' nor a list of {'Position', 'Confidence'}: rewards 0" : entries.length ? `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ${entries.filter((e) => e === null).length} invalid (out of 0–1000, x2 ≤ x1, or a confidence outside [0, 1]: counted as wrong)` : 'No Objects' });
    preds = (entries ?? []).map((e) => (e ? { box: [...e.box], confidence: e.confidence } : { box: null, confidence: null }));
  }
  // Greedy matching in confidence order, as the scorer does it (stable: equal confidences keep their order).
  const order = preds.map((_, i) => i).sort((a, b) => (preds[b].confidence ?? -Infinity) - (preds[a].confidence ?? -Infinity) || a - b);
  const taken = new Set<number>();
  for (const i of order) {
    const p = preds[i];
    let best = 0;
    let bestTruth = -1;
    if (p.box) truth.forEach((t, ti) => {
      if (taken.has(ti)) return;
      const v = boxIou(t, p.box as Box);
      if (v > best) {
        best = v;
        bestTruth = ti;
      }
    });
    const matched = best > 0.5;
    if (matched) taken.add(bestTruth);
    out.matches.push({ box: p.box, confidence: p.confidence, bestTruth, iou: best, matched });
  }
  const n = out.matches.length;
  const ious = out.matches.map((m) => (m.matched ? m.iou : 0));
  if (n) {
    out.arithmetic.accuracy_iou = `(${ious.map(fmt).join(' + ')}) / max(${truth.length} true, ${n} predicted) = ${fmt(out.rewards.accuracy_iou ?? 0)}`;
    out.arithmetic.accuracy_confidence = `mean of ${out.matches.map((m) => (m.matched ? `${fmt(m.confidence ?? 0)}` : `(1 − ${fmt(m.confidence ?? 0)})`)).join(', ')} = ${fmt(out.rewards.accuracy_confidence ?? 0)}`;
  }
  // Warnings.
  const boxes = preds.map((p) => p.box).filter((b): b is number[] => b !== null);
  if (boxes.some((b) => b.some((v) => v > 1000))) out.warnings.push('coordinates above 1000: the policy writes pixels or another scale; boxes must be integers in 0–1000');
  const mixUp = pixelMixUp(boxes, truth, size);
  if (mixUp) out.warnings.push(mixUp);
  if (boxes.some((b) => (b[2] - b[0]) * (b[3] - b[1]) >= 0.9 * 1000 * 1000)) out.warnings.push('a box covers nearly the whole image: a reward hack that a confidence-ordered IoU reward only partly punishes');
  if (preds.some((p) => p.confidence !== null && (!Number.isFinite(p.confidence) || p.confidence < 0 || p.confidence > 1)) || preds.some((p) => p.box && p.confidence === null))
    out.warnings.push('a confidence is NaN, missing or outside [0, 1]: the reference gives 0 for the whole answer, strict counts the box as wrong');
  const noObjects = /No Objects/.test(solution);
  if (mode === 'reference' && noObjects && /No Objects/.test(completion)) out.warnings.push("'No Objects' on an image without the category is right, but the reference scores it 0 (its parser finds no list); strict mode scores it 1");
}

function classificationSteps(completion: string, solution: string, mode: RewardMode, out: Explanation): void {
  const gt = pyStrip(firstAnswerGroup(solution, false) ?? solution);
  const ans = pyStrip(firstAnswerGroup(completion, false) ?? completion);
  const [g, a] = [normaliseLabel(gt), normaliseLabel(ans)];
  out.steps.push({ name: 'ground truth', detail: JSON.stringify(gt) }, { name: 'answer', detail: JSON.stringify(ans) }, { name: 'normalised', detail: `${JSON.stringify(g)} vs ${JSON.stringify(a)} (spaces and _ removed, lowercased)` });
  out.arithmetic.accuracy_cls = mode === 'reference' ? `${JSON.stringify(g)} in ${JSON.stringify(a)} or ${JSON.stringify(a)} in ${JSON.stringify(g)} → ${out.rewards.accuracy_cls}` : `${JSON.stringify(g)} == ${JSON.stringify(a)} → ${out.rewards.accuracy_cls}`;
  if (mode === 'reference' && a === '' && out.rewards.accuracy_cls === 1) out.warnings.push('an empty answer scores 1 under the reference classification reward (the empty string is a substring of every label): a reward hack; strict mode scores it 0');
}

function groundingSteps(completion: string, solution: string, mode: RewardMode, out: Explanation, size?: { width: number; height: number }): void {
  const gtText = pyStrip(firstAnswerGroup(solution, false) ?? solution);
  const ansText = pyStrip(firstAnswerGroup(completion, true) ?? completion);
  out.steps.push({ name: 'ground truth', detail: JSON.stringify(gtText) }, { name: 'answer', detail: JSON.stringify(ansText) });
  const boxOfText = (t: string) => (mode === 'reference' ? referenceGroundingBox(t) : strictGroundingBox(t));
  let pred: number[] | null = null;
  try {
    pred = boxOfText(ansText);
  } catch {
    pred = null;
  }
  out.steps.push({ name: 'box', detail: pred ? `(${pred.map((v) => fmt(v * 1000)).join(', ')}) in 0–1000` : 'no (x1,y1),(x2,y2) in the answer: rewards 0' });
  const matches = [...ansText.matchAll(/\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)/g)];
  if (mode === 'reference' && matches.length >= 2) out.steps.push({ name: 'pairing', detail: `${matches.length} boxes written: the reference pairs the first corners of the first two (a quirk kept on purpose)` });
  out.arithmetic.grounding_giou = `GIoU + 1 = ${fmt(out.rewards.grounding_giou ?? 0)}`;
  out.arithmetic.grounding_iou = `IoU = ${fmt(out.rewards.grounding_iou ?? 0)}`;
  if (pred && pred.some((v) => v > 1)) out.warnings.push('coordinates above 1000: boxes must be integers in 0–1000');
  let gt: number[] | null = null;
  try {
    gt = referenceGroundingBox(gtText);
  } catch {
    gt = null;
  }
  if (pred && gt) {
    const mix = pixelMixUp([pred.map((v) => v * 1000)], [gt.map((v) => v * 1000) as Box], size);
    if (mix) out.warnings.push(mix);
    if ((pred[2] - pred[0]) * (pred[3] - pred[1]) >= 0.9) out.warnings.push('the box covers nearly the whole image: GIoU still pays it');
  }
}

/** Every stage of scoring one completion against one solution, with the scorer's own rewards. */
export function explainRewards(task: Task, completion: string, solution: string, mode: RewardMode, size?: { width: number; height: number }): Explanation {
  const out: Explanation = { task, mode, rewards: taskRewards(task, completion, solution, mode), steps: [], matches: [], arithmetic: {}, warnings: [] };
  out.steps.push({ name: 'format', detail: out.rewards.format ? '<think>…</think> <answer>…</answer>: 1' : 'not exactly <think>…</think> <answer>…</answer>: 0' });
  if (task === 'detection') detectionSteps(completion, solution, mode, out, size);
  else if (task === 'classification') classificationSteps(completion, solution, mode, out);
  else groundingSteps(completion, solution, mode, out, size);
  return out;
}
