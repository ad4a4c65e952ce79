/**
 * Pretraining's name-pointer targets: where the box pointer (model/boxPointer.ts) should look right after a text
 * position names an object of the scene.
 *
 * Why: `npm run eval --given-trace` showed that the shipped policy draws the right box once its reasoning names
 * the right object and place (grounding Acc@0.5 0.42 with its own trace, 0.80 after the reference trace), and
 * that its own traces name about half of the scene's objects: binding a name to the place of its object is what
 * is missing. The coordinate pointer loss (pointerLoss.ts) teaches that binding only at the few positions that
 * write a box. Every mention of an object in a prompt or trace ("I see a cow and an orange square", "the
 * largest red object … The heart is the largest") can teach it too: the position of a label's last word is
 * trained to put its pointer attention on the image tokens of the objects with that label (−log of the mass on
 * them, the same multiple-instance loss), so the text state after a name carries where that object is.
 */
import type { PointerTargets } from './pointerLoss';

/** A label of one scene (its word token ids) and the image tokens of the objects that carry it. */
export interface NameOwners {
  tokens: number[];
  patches: number[];
}

/**
 * Targets for text tokens [rows × width] (prompt and completion laid out as the model sees them): position j
 * gets a target when tokens j − k + 1 … j are the k words of a label of its row's scene. A longer label wins
 * over one it ends with ("orange square" over "square").
 */
export function namePointerTargets(tokens: Int32Array, rows: number, width: number, patches: number, names: NameOwners[][]): PointerTargets {
  if (tokens.length !== rows * width) throw new Error(`name pointer targets: ${tokens.length} tokens for ${rows} × ${width}`);
  if (names.length !== rows) throw new Error(`name pointer targets: label lists for ${names.length} of ${rows} rows`);
  const mask = new Float32Array(rows * width * patches);
  const weight = new Float32Array(rows * width);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const labels = names[r].filter((l) => l.tokens.length && l.patches.length).sort((a, b) => b.tokens.length - a.tokens.length);
    for (let j = 0; j < width; j++) {
      const hit = labels.find((l) => l.tokens.length <= j + 1 && l.tokens.every((t, k) => tokens[r * width + j - l.tokens.length + 1 + k] === t));
      if (!hit) continue;
      const at = r * width + j;
      weight[at] = 1;
      count++;
      for (const i of hit.patches) {
        if (i < 0 || i >= patches) throw new Error(`name pointer targets: image token ${i} outside 0–${patches - 1}`);
        mask[at * patches + i] = 1;
      }
    }
  }
  return { mask, weight, count };
}
