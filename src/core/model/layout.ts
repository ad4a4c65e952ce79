/**
 * How a batch of (prompt, completion) token sequences becomes model inputs. One layout everywhere, so that
 * generation and teacher forcing see identical inputs: prompts are left-padded to a common width, the
 * completions follow at the same column in every row, right-padded.
 *
 *   [image tokens] [pad … pad prompt] [completion … pad]
 *
 * Text position ids count real tokens only (pads take 0), and pads are masked out as attention keys.
 */

export interface TextBatch {
  rows: number;
  /** Text columns: promptWidth + completion width. */
  width: number;
  /** Column of the first completion token in every row. */
  promptWidth: number;
  tokens: Int32Array;
  positions: Int32Array;
  /** 1 where the text token is real (not a left pad). */
  keyMask: Uint8Array;
}

export function buildTextBatch(prompts: number[][], completions: number[][] | null, padId: number, maxTextLength: number): TextBatch {
  const rows = prompts.length;
  if (completions && completions.length !== rows) throw new Error('prompts and completions differ in count');
  const promptWidth = Math.max(...prompts.map((p) => p.length));
  if (prompts.some((p) => p.length === 0)) throw new Error('every prompt needs at least one token');
  const compWidth = completions ? Math.max(0, ...completions.map((c) => c.length)) : 0;
  const width = promptWidth + compWidth;
  const tokens = new Int32Array(rows * width).fill(padId);
  const positions = new Int32Array(rows * width);
  const keyMask = new Uint8Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const p = prompts[r];
    const c = completions?.[r] ?? [];
    const offset = promptWidth - p.length;
    if (p.length + c.length > maxTextLength) throw new Error(`a sequence of ${p.length + c.length} text tokens exceeds maxTextLength ${maxTextLength}`);
    let pos = 0;
    for (let j = 0; j < width; j++) {
      const i = r * width + j;
      if (j < offset) continue;
      const k = j - offset;
      const tok = k < p.length ? p[k] : c[k - p.length];
      if (tok !== undefined) tokens[i] = tok;
      keyMask[i] = 1;
      positions[i] = Math.min(pos++, maxTextLength - 1);
    }
  }
  return { rows, width, promptWidth, tokens, positions, keyMask };
}

/**
 * Additive attention bias [rows, 1, queries, keys] over the whole sequence (image then text): causal, and
 * −1e9 on masked keys. `queryStart` is the index of the first query in the full sequence (for cached decoding).
 * With `fullImage`, image tokens also see the image tokens after them (PolicyConfig.imageAttention 'full').
 */
export function attentionBias(rows: number, imageTokens: number, keyMask: Uint8Array, textWidth: number, queryStart: number, queries: number, fullImage = false): Float32Array {
  const keys = imageTokens + textWidth;
  const out = new Float32Array(rows * queries * keys);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < queries; q++) {
      const qi = queryStart + q;
      const base = (r * queries + q) * keys;
      for (let k = 0; k < keys; k++) {
        const real = k < imageTokens || keyMask[r * textWidth + (k - imageTokens)] === 1;
        const visible = k <= qi || (fullImage && qi < imageTokens && k < imageTokens);
        if (!visible || !real) out[base + k] = -1e9;
      }
    }
  }
  return out;
}
