/**
 * The reasoning traces and answer texts the policy learns to write, in one place: the world's samples and the
 * user's labelled images are phrased alike ("I see two cups and a dog. There are two cups."), so a policy
 * pretrained on the world reads and writes the same sentences about the user's pictures.
 */

export const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six'];

export const article = (label: string): string => (/^[aeiou]/.test(label) ? 'an' : 'a');

/** "a dog, a cup and a red star" (in the order given); "nothing" for none. */
export function listPhrase(labels: string[]): string {
  const names = labels.map((l) => `${article(l)} ${l}`);
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Where a box's centre lies, from its centre in 0–1 image coordinates: "at the top left", "in the middle". */
export function wherePhrase(cx: number, cy: number): string {
  const h = cx < 0.36 ? 'left' : cx > 0.64 ? 'right' : '';
  const v = cy < 0.36 ? 'top' : cy > 0.64 ? 'bottom' : '';
  return h && v ? `at the ${v} ${h}` : h ? `on the ${h}` : v ? `at the ${v}` : 'in the middle';
}

/** The detection trace: what is in the image, then how many of the asked category. */
export function detectionThink(labels: string[], category: string, count: number): string {
  return `I see ${listPhrase(labels)}. There ${count === 1 ? 'is' : 'are'} ${NUMBER_WORDS[Math.min(count, NUMBER_WORDS.length - 1)]} ${category}${count === 1 ? '' : 's'}.`;
}

/** The detection answer; completions write Confidence with two decimals, solutions as the reference's `1`. */
export function detectionList(boxes: number[][], confidence = '1.00'): string {
  return boxes.length ? `[${boxes.map((b) => `{'Position': [${b.join(', ')}], 'Confidence': ${confidence}}`).join(', ')}]` : 'No Objects';
}
