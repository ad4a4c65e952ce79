/**
 * Seeded generators of adversarial completions and solutions for the reward tests: well-formed answers
 * mutated with the quirks the reference parser has to survive (truncation, `[[`, quotes, NaN, booleans,
 * strings as numbers, huge ints, Unicode whitespace and digits, duplicates, newlines and `\r`).
 */
import { Rng } from '../rng';

const WS = [' ', '', '', '\n', '\r', '\t', '\u00a0', '\u0085', '\u001c', '\u2028', '\ufeff', '\u3000'];
const NUMS = ['0', '1', '10', '100', '250', '300', '499', '500', '1000', '1e3', '0.5', '-5', '1000000000000000000000', '99999999999999999999999999', 'NaN', 'Infinity', '-Infinity', 'true', 'false', 'null', '"12"', '1.0', '-0.0', '2e308', '١٢٣'];
const CONFS = ['0.9', '0.5', '0.1', '1', '0', '1.5', '-0.2', 'NaN', 'Infinity', '-Infinity', 'true', 'false', '"0.9"', 'null', '[0.5]', '100000000000000000000000000000000000000', '0.90', '0.3'];

function coord(rng: Rng): string {
  return rng.bool(0.8) ? String(rng.int(0, 1000)) : rng.pick(NUMS);
}

function box(rng: Rng, base: number[] | undefined, quirk: number): string {
  const jitter = (v: number) => {
    const j = rng.pick([0, 0, 4, 30]); // exact copies, near misses and clear misses of a GT box
    return String(Math.max(0, v + rng.int(-j, j)));
  };
  const b = base && rng.bool(0.8) ? base.map(jitter) : [0, 0, 0, 0].map(() => coord(rng));
  if (!base && rng.bool(0.5)) {
    const x1 = rng.int(0, 800);
    const y1 = rng.int(0, 800);
    b.splice(0, 4, String(x1), String(y1), String(x1 + rng.int(1, 200)), String(y1 + rng.int(1, 200)));
  }
  let pos = `[${b.join(', ')}]`;
  if (rng.bool(quirk)) pos = `[${b.slice(0, 3).join(', ')}]`;
  if (rng.bool(quirk)) pos = `"${b.join('')}"`;
  if (rng.bool(quirk)) pos = `{"a": 1, "b": 2, "c": 3, "d": 4}`;
  if (rng.bool(quirk)) pos = `[[${b.join(', ')}]]`;
  const conf = rng.bool(1 - 4 * quirk) ? (rng.int(0, 100) / 100).toFixed(2) : rng.pick(CONFS);
  const parts = [`'Position': ${pos}`, `'Confidence': ${conf}`];
  if (rng.bool(quirk)) parts.pop();
  if (rng.bool(quirk)) parts.reverse();
  return `{${parts.join(', ')}}`;
}

export function detectionSolution(rng: Rng): { solution: string; boxes: number[][] } {
  if (rng.bool(0.1)) return { solution: '<answer>No Objects</answer>', boxes: [] };
  const n = rng.int(1, 4);
  const boxes: number[][] = [];
  for (let i = 0; i < n; i++) {
    const x1 = rng.int(0, 800);
    const y1 = rng.int(0, 800);
    boxes.push([x1, y1, x1 + rng.int(5, 200), y1 + rng.int(5, 200)]);
  }
  const list = boxes.map((b) => `{'Position': [${b.join(', ')}], 'Confidence': 1}`).join(', ');
  return { solution: `<answer>[${list}]</answer>`, boxes };
}

export function detectionCompletion(rng: Rng, gtBoxes: number[][]): string {
  const n = rng.int(0, 6);
  const items: string[] = [];
  const quirk = rng.pick([0, 0, 0.01, 0.05]);
  for (let i = 0; i < n; i++) {
    const base = gtBoxes.length && rng.bool(0.8) ? gtBoxes[i % gtBoxes.length] : undefined;
    items.push(box(rng, base, quirk));
    if (rng.bool(0.1) && items.length) items.push(items[items.length - 1].replace(/(\d+)\]/, '$1.0]')); // duplicate up to 1 == 1.0
  }
  let list = `[${items.join(rng.pick([', ', ',', ',\n', ', ']))}]`;
  if (rng.bool(0.08)) list = list.slice(0, rng.int(0, list.length)); // truncated
  if (rng.bool(0.04)) list = 'No Objects';
  if (rng.bool(0.04)) list = `[${list}]`;
  if (rng.bool(0.03)) list = list.replaceAll("'", '"');
  const answer = rng.bool(0.7) ? list : `${rng.pick(WS)}${list}${rng.pick(WS)}`;
  return wrap(rng, answer);
}

function wrap(rng: Rng, answer: string): string {
  const think = rng.pick(['I see objects.', 'line one\nline two', '', 'a </think> b', 'x\ry']);
  const sep = rng.pick(['', ' ', '\n', '\u2003', '\u0085', 'x']);
  let s = `<think>${think}</think>${sep}<answer>${answer}</answer>`;
  const r = rng.next();
  if (r < 0.03) s = answer;
  else if (r < 0.06) s = `<answer>${answer}`;
  else if (r < 0.08) s = `${s} trailing`;
  else if (r < 0.1) s = `${s}\n<answer>[]</answer>`;
  else if (r < 0.12) s = `</answer>${s}`;
  return s;
}

const LABELS = ['cat', 'dog', 'stop sign', 'stop_sign', 'Stop Sign', 'bus', '', ' ', 'CAT', 'hot dog', 'İstanbul', 'ΣΑΣ', 'caterpillar'];

export function classificationCase(rng: Rng): { completion: string; solution: string } {
  const gt = rng.pick(LABELS.filter((l) => l.trim()));
  const ans = rng.bool(0.4) ? gt : rng.pick(LABELS);
  const solution = rng.bool(0.8) ? `<answer>${gt}</answer>` : ` ${gt} `;
  return { completion: wrap(rng, `${rng.pick(WS)}${ans}${rng.pick(WS)}`), solution };
}

const DIGIT_SETS = [(n: number) => String(n), (n: number) => String(n).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))), (n: number) => String(n).replace(/\d/g, (d) => String.fromCodePoint(0x1d7ce + Number(d)))];

export function groundingCase(rng: Rng): { completion: string; solution: string } {
  const x1 = rng.int(0, 800);
  const y1 = rng.int(0, 800);
  const gt = [x1, y1, x1 + rng.int(5, 200), y1 + rng.int(5, 200)];
  const solution = `<answer>(${gt[0]},${gt[1]}),(${gt[2]},${gt[3]})</answer>`;
  const boxes: string[] = [];
  const n = rng.int(0, 3);
  for (let i = 0; i < n; i++) {
    const b = rng.bool(0.6) ? gt.map((v) => Math.max(0, v + rng.int(-40, 40))) : [0, 0, 0, 0].map(() => rng.int(0, 1000));
    const fmt = rng.pick(DIGIT_SETS);
    const sp = () => rng.pick(['', ' ', '\n', '\u00a0', '\u0085', '\t']);
    boxes.push(`(${sp()}${fmt(b[0])}${sp()},${sp()}${fmt(b[1])})${sp()},${sp()}(${fmt(b[2])},${fmt(b[3])}${sp()})`);
  }
  let answer = boxes.join(rng.pick([' ', ', ', '\n']));
  if (rng.bool(0.08)) answer = `(${gt[0]},${gt[1]}),(${gt[2]},${gt[3]})`;
  return { completion: wrap(rng, answer), solution };
}
