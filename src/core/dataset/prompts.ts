/** The problem texts of docs/design.md §2, shared by the world, the exports and the UI. */

const FORMAT = 'Output the thinking process in <think> </think> and final answer in <answer> </answer> tags.';

export function detectionPrompt(category: string): string {
  return `Detect all objects belonging to the category '${category}' in the image, and provide the bounding boxes (between 0 and 1000, integer) and confidence (between 0 and 1, with two decimal places).\nIf no object belonging to the category '${category}' in the image, return 'No Objects'.\n${FORMAT}The output answer format should be as follows:\n<think> ... </think> <answer>[{'Position': [x1, y1, x2, y2], 'Confidence': number}, ...]</answer>\nPlease strictly follow the format.`;
}

export function classificationPrompt(kind = 'object'): string {
  return `Please identify the category of the ${kind} in the image.\n${FORMAT}`;
}

export function groundingPrompt(expression: string): string {
  return `Please provide the bounding box coordinate of the region this sentence describes: ${expression}. The coordinates are integers between 0 and 1000, written as (x1,y1),(x2,y2).\n${FORMAT}`;
}

/** Detection solution text with reference-style confidences (`1`). */
export function detectionSolution(boxes: number[][]): string {
  return boxes.length ? `<answer>[${boxes.map((b) => `{'Position': [${b.join(', ')}], 'Confidence': 1}`).join(', ')}]</answer>` : '<answer>No Objects</answer>';
}
