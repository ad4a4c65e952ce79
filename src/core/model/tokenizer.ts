/**
 * A word-level tokenizer whose detokenised text is exactly the answer formats of docs/design.md §2, so the
 * rewards grade the policy's text unchanged.
 *
 * Vocabulary layout (ids are stable, so checkpoints stay valid as the vocabulary grows):
 *   specials and structure | prompt task tokens | coordinate bins | confidences 0.00–1.00 | words (growable)
 *
 * Text is sectioned by its tags: inside <think> it is words and punctuation; inside <answer> it follows the
 * answer grammar (detection list, grounding corners, `No Objects`, or label words). Canonical rendering:
 *   <think> I see a dog . </think> <answer>[{'Position': [10, 20, 300, 400], 'Confidence': 0.90}]</answer>
 *   <think> … </think> <answer>(10,20),(300,400)</answer>
 *   <think> … </think> <answer>golden retriever</answer>
 */

export const SPECIALS = {
  pad: '<pad>',
  eos: '<eos>',
  unk: '<unk>',
  thinkOpen: '<think>',
  thinkClose: '</think>',
  answerOpen: '<answer>',
  answerClose: '</answer>',
  listOpen: '[',
  listClose: ']',
  boxOpen: "{'Position': [",
  positionClose: "], 'Confidence': ",
  boxClose: '}',
  commaSpace: ', ',
  parenOpen: '(',
  parenClose: ')',
  comma: ',',
  noObjects: 'No Objects',
  period: '.',
} as const;

/** Prompt-only tokens naming the task (the compact prompt form of docs/design.md §2). */
export const TASK_TOKENS = { detection: '<task:detect>', classification: '<task:classify>', grounding: '<task:ground>' } as const;

type SpecialKey = keyof typeof SPECIALS;
const SPECIAL_LIST = Object.values(SPECIALS) as string[];
const TASK_LIST = Object.values(TASK_TOKENS) as string[];
/** Id of the first coordinate token (the same for every vocabulary: words come after the fixed blocks). */
export const COORD_START = SPECIAL_LIST.length + TASK_LIST.length;

export interface TokenizerSpec {
  /** Number of coordinate bins spanning 0–1000 (1001 = every integer). */
  coordBins: number;
  /** Word tokens, in id order. */
  words: string[];
}

export type TokenKind = 'special' | 'task' | 'coord' | 'conf' | 'word';

export class Tokenizer {
  readonly coordBins: number;
  private readonly words: string[];
  private readonly wordIds = new Map<string, number>();
  readonly coordStart: number;
  readonly confStart: number;
  readonly wordStart: number;

  constructor(spec: TokenizerSpec) {
    if (!Number.isInteger(spec.coordBins) || spec.coordBins < 2 || spec.coordBins > 1001) throw new Error(`coordBins must be an integer in 2…1001, not ${spec.coordBins}`);
    this.coordBins = spec.coordBins;
    this.coordStart = COORD_START;
    this.confStart = this.coordStart + spec.coordBins;
    this.wordStart = this.confStart + 101;
    this.words = [];
    for (const w of spec.words) this.addWord(w);
  }

  get size(): number {
    return this.wordStart + this.words.length;
  }

  spec(): TokenizerSpec {
    return { coordBins: this.coordBins, words: [...this.words] };
  }

  id(key: SpecialKey): number {
    return SPECIAL_LIST.indexOf(SPECIALS[key]);
  }

  taskId(task: keyof typeof TASK_TOKENS): number {
    return SPECIAL_LIST.length + TASK_LIST.indexOf(TASK_TOKENS[task]);
  }

  /** Adds words not yet known; returns how many were new. Existing ids never change. */
  addWords(words: Iterable<string>): number {
    const before = this.words.length;
    for (const w of words) if (!this.wordIds.has(w)) this.addWord(w);
    return this.words.length - before;
  }

  private addWord(w: string): void {
    if (w === '' || /\s/.test(w) || SPECIAL_LIST.includes(w) || TASK_LIST.includes(w)) throw new Error(`invalid word token ${JSON.stringify(w)}`);
    if (this.wordIds.has(w)) throw new Error(`duplicate word token ${JSON.stringify(w)}`);
    this.wordIds.set(w, this.wordStart + this.words.length);
    this.words.push(w);
  }

  hasWord(w: string): boolean {
    return this.wordIds.has(w);
  }

  wordId(w: string): number {
    return this.wordIds.get(w) ?? this.id('unk');
  }

  /** Token id of the bin nearest to a 0–1000 coordinate. */
  coordId(value: number): number {
    const bin = Math.round((Math.min(1000, Math.max(0, value)) * (this.coordBins - 1)) / 1000);
    return this.coordStart + bin;
  }

  /** The 0–1000 integer a coordinate token stands for. */
  coordValue(id: number): number {
    return Math.round(((id - this.coordStart) * 1000) / (this.coordBins - 1));
  }

  confId(value: number): number {
    return this.confStart + Math.round(Math.min(1, Math.max(0, value)) * 100);
  }

  kind(id: number): TokenKind {
    if (id < SPECIAL_LIST.length) return 'special';
    if (id < this.coordStart) return 'task';
    if (id < this.confStart) return 'coord';
    if (id < this.wordStart) return 'conf';
    return 'word';
  }

  /** Surface text of one token, without the spacing that detokenize adds. */
  surface(id: number): string {
    switch (this.kind(id)) {
      case 'special':
        return SPECIAL_LIST[id];
      case 'task':
        return TASK_LIST[id - SPECIAL_LIST.length];
      case 'coord':
        return String(this.coordValue(id));
      case 'conf':
        return ((id - this.confStart) / 100).toFixed(2);
      case 'word': {
        const w = this.words[id - this.wordStart];
        if (w === undefined) throw new Error(`token id ${id} is outside the vocabulary (${this.size})`);
        return w;
      }
    }
  }

  /**
   * Canonical text of a token sequence; stops at <eos>, skips <pad>. Spacing: a word follows a word,
   * punctuation, <think> or a task token after one space; `</think>` is preceded by a space and `<answer>`
   * after `</think>` too; everything else (structure, numbers, punctuation) attaches directly.
   */
  detokenize(ids: readonly number[]): string {
    let out = '';
    let prev: number | null = null;
    for (const id of ids) {
      if (id === this.id('eos')) break;
      if (id === this.id('pad')) continue;
      out += (prev !== null && this.spaceBetween(prev, id) ? ' ' : '') + this.surface(id);
      prev = id;
    }
    return out;
  }

  private spaceBetween(prev: number, id: number): boolean {
    if (id === this.id('thinkClose')) return true;
    if (id === this.id('answerOpen')) return prev === this.id('thinkClose');
    if (this.kind(id) !== 'word') return false;
    const pk = this.kind(prev);
    return pk === 'word' || pk === 'task' || prev === this.id('thinkOpen') || prev === this.id('period') || prev === this.id('comma');
  }

  /** Tokens of a text; inverse of detokenize on canonical text. Unknown words become <unk>. */
  tokenize(text: string): number[] {
    const ids: number[] = [];
    let rest = text;
    let section: 'outside' | 'think' | 'answer' = 'outside';
    while (rest.length > 0) {
      const ws = /^\s+/.exec(rest);
      if (ws) {
        rest = rest.slice(ws[0].length);
        continue;
      }
      const tag = /^(<\/?think>|<\/?answer>)/.exec(rest);
      if (tag) {
        ids.push(SPECIAL_LIST.indexOf(tag[1]));
        section = tag[1] === '<think>' ? 'think' : tag[1] === '<answer>' ? 'answer' : 'outside';
        rest = rest.slice(tag[1].length);
        continue;
      }
      const [id, length] = section === 'answer' ? this.answerPiece(rest) : this.wordPiece(rest);
      ids.push(id);
      rest = rest.slice(length);
    }
    return ids;
  }

  private wordPiece(rest: string): [number, number] {
    const task = TASK_LIST.find((t) => rest.startsWith(t));
    if (task) return [SPECIAL_LIST.length + TASK_LIST.indexOf(task), task.length];
    if (rest[0] === SPECIALS.period) return [this.id('period'), 1];
    if (rest[0] === SPECIALS.comma) return [this.id('comma'), 1];
    const m = /^[^\s.,<]+|^</.exec(rest) as RegExpExecArray;
    return [this.wordId(m[0]), m[0].length];
  }

  private answerPiece(rest: string): [number, number] {
    for (const key of ['boxOpen', 'positionClose', 'noObjects', 'commaSpace', 'listOpen', 'listClose', 'boxClose', 'parenOpen', 'parenClose', 'comma'] as const) {
      if (rest.startsWith(SPECIALS[key])) return [this.id(key), SPECIALS[key].length];
    }
    const conf = /^\d+\.\d+/.exec(rest);
    if (conf) return [this.confId(Number(conf[0])), conf[0].length];
    const coord = /^\d+/.exec(rest);
    if (coord) return [this.coordId(Number(coord[0])), coord[0].length];
    return this.wordPiece(rest);
  }
}

/** Words of a label or sentence as the tokenizer splits them (for growing the vocabulary). */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/).flatMap((w) => w.split(/[.,]/)).filter((w) => w !== '');
}
