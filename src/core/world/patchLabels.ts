/**
 * Dense patch labels for pretraining: for each cell of the policy's patch grid, the word naming the object on top
 * at the cell's centre, or `nothing`. The policy predicts them with its language head at the image positions — a
 * per-patch auxiliary loss (as token labelling in LV-ViT) that gives the image encoder tens of labels per image
 * instead of the one or two category words of a completion, so a small transformer learns to see in a fraction
 * of the steps. Only pretraining uses it; fine-tuning sees the completions alone.
 */
import { CATEGORIES } from './catalog';
import type { Scene, SceneObject } from './scene';

export const BACKGROUND_WORD = 'nothing';

/** For each category, the word of its name shared by the fewest other names ("fire engine" → "engine"). */
const distinctiveWord: Map<string, string> = (() => {
  const uses = new Map<string, number>();
  for (const c of CATEGORIES) for (const w of new Set(c.name.split(' '))) uses.set(w, (uses.get(w) ?? 0) + 1);
  return new Map(CATEGORIES.map((c) => {
    const words = c.name.split(' ');
    return [c.name, words.reduce((best, w) => ((uses.get(w) ?? 0) < (uses.get(best) ?? 0) ? w : best), words[0])] as const;
  }));
})();

/** The label word of one object: a category's distinctive word, or a shape's shape word. */
export function objectWord(o: SceneObject): string {
  if (o.kind === 'shape') return o.shape ?? o.label.split(' ').at(-1)!;
  return distinctiveWord.get(o.label) ?? o.label.split(' ')[0];
}

/** The object on top at the centre of each cell of a `grid`×`grid` patch grid (row-major), or null. */
export function patchObjects(scene: Scene, grid: number): (SceneObject | null)[] {
  const cell = scene.size / grid;
  const out: (SceneObject | null)[] = [];
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const x = (gx + 0.5) * cell;
      const y = (gy + 0.5) * cell;
      let top: SceneObject | null = null;
      for (const o of scene.objects) if (x >= o.box[0] && x < o.box[2] && y >= o.box[1] && y < o.box[3]) top = o;
      out.push(top);
    }
  }
  return out;
}

/** Words of a `grid`×`grid` patch grid, row-major. Later objects are drawn on top, so they win. */
export function patchLabelWords(scene: Scene, grid: number): string[] {
  return patchObjects(scene, grid).map((o) => (o ? objectWord(o) : BACKGROUND_WORD));
}

/**
 * The object each cell of the grid belongs to for the box pointer's dense loss (model/boxPointer.ts): the object
 * on top at the cell's centre, and an object that covers no cell centre (a small one) claims the cell holding its
 * own centre, so every object has at least one token that knows its box.
 */
export function patchBoxObjects(scene: Scene, grid: number): (SceneObject | null)[] {
  const out = patchObjects(scene, grid);
  const cell = scene.size / grid;
  for (const o of scene.objects) {
    if (out.includes(o)) continue;
    const gx = Math.min(grid - 1, Math.floor((o.box[0] + o.box[2]) / 2 / cell));
    const gy = Math.min(grid - 1, Math.floor((o.box[1] + o.box[3]) / 2 / cell));
    out[gy * grid + gx] = o;
  }
  return out;
}
