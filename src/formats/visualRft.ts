/**
 * Exports for GPU training of real models on the same data: the Visual-RFT training JSON (a list of
 * `{image_path, problem, solution}`) and VLM-R1 JSONL (`{id, image, conversations: [human, gpt]}`), with the
 * problem and solution texts of docs/design.md §2. Detection emits one record per (image, class) pair of the
 * dataset, `No Objects` where the class is absent, as the reward functions expect.
 */
import { toThousandths } from '../core/dataset/boxes';
import { classificationPrompt, detectionPrompt, detectionSolution, groundingPrompt } from '../core/dataset/prompts';
import type { Dataset } from '../core/dataset/types';

export interface TrainingRecord {
  id: string;
  image: string;
  problem: string;
  solution: string;
}

export function trainingRecords(d: Dataset, split: 'train' | 'eval' | 'all' = 'train', imageDir = 'images'): TrainingRecord[] {
  const out: TrainingRecord[] = [];
  for (const im of d.images) {
    if (split !== 'all' && im.split !== split) continue;
    const image = `${imageDir}/${im.fileName}`;
    if (d.task === 'detection') {
      for (const c of d.classes) {
        const boxes = im.annotations.filter((a) => a.classId === c.id).map((a) => toThousandths(a.box, im.width, im.height));
        out.push({ id: `${im.id}-${c.id}`, image, problem: detectionPrompt(c.name), solution: detectionSolution(boxes) });
      }
    } else if (d.task === 'classification') {
      const cls = d.classes.find((c) => c.id === im.classId);
      if (cls) out.push({ id: im.id, image, problem: classificationPrompt(), solution: `<answer>${cls.name}</answer>` });
    } else {
      im.annotations.forEach((a, i) => {
        if (!a.expression) return;
        const [x1, y1, x2, y2] = toThousandths(a.box, im.width, im.height);
        out.push({ id: `${im.id}-${i}`, image, problem: groundingPrompt(a.expression), solution: `<answer>(${x1},${y1}),(${x2},${y2})</answer>` });
      });
    }
  }
  return out;
}

/** Visual-RFT training JSON. */
export function serializeVisualRft(d: Dataset, split: 'train' | 'eval' | 'all' = 'train'): string {
  return `${JSON.stringify(trainingRecords(d, split).map((r) => ({ image_path: r.image, problem: r.problem, solution: r.solution })), null, 2)}\n`;
}

/** VLM-R1 JSONL. */
export function serializeVlmR1(d: Dataset, split: 'train' | 'eval' | 'all' = 'train'): string {
  return trainingRecords(d, split)
    .map((r) => JSON.stringify({ id: r.id, image: r.image, conversations: [{ from: 'human', value: `<image>${r.problem}` }, { from: 'gpt', value: r.solution }] }))
    .join('\n')
    .concat('\n');
}
