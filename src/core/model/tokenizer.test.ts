import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taskRewards } from '../rewards/registry';
import { Tokenizer, wordsOf } from './tokenizer';

const WORDS = ['I', 'see', 'a', 'dog', 'cat', 'on', 'the', 'left', 'golden', 'retriever', 'red', 'star', 'two'];

function tok(bins = 1001) {
  return new Tokenizer({ coordBins: bins, words: WORDS });
}

describe('Tokenizer', () => {
  const t = tok();
  const detection = `<think> I see a dog on the left. </think> <answer>[{'Position': [10, 20, 300, 400], 'Confidence': 0.90}, {'Position': [0, 0, 1000, 1000], 'Confidence': 1.00}]</answer>`;
  const grounding = '<think> the red star. </think> <answer>(10,20),(300,400)</answer>';
  const classification = '<think> I see a dog. </think> <answer>golden retriever</answer>';
  const none = '<think> I see a cat. </think> <answer>No Objects</answer>';

  it.each([detection, grounding, classification, none])('round-trips canonical text exactly: %s', (text) => {
    const ids = t.tokenize(text);
    expect(ids).not.toContain(t.id('unk'));
    expect(t.detokenize(ids)).toBe(text);
    expect(t.tokenize(t.detokenize(ids))).toEqual(ids);
  });

  it('writes text the rewards grade as well-formed and correct', () => {
    const sol = "<answer>[{'Position': [10, 20, 300, 400], 'Confidence': 1}, {'Position': [0, 0, 1000, 1000], 'Confidence': 1}]</answer>";
    expect(taskRewards('detection', t.detokenize(t.tokenize(detection)), sol, 'reference')).toEqual({ format: 1, accuracy_iou: 1, accuracy_confidence: 0.95 });
    expect(taskRewards('grounding', grounding, '<answer>(10,20),(300,400)</answer>', 'strict')).toEqual({ format: 1, grounding_iou: 1, grounding_giou: 2 });
    expect(taskRewards('classification', classification, '<answer>golden retriever</answer>', 'strict')).toEqual({ format: 1, accuracy_cls: 1 });
  });

  it('round-trips any token sequence of the answer grammars', () => {
    const coord = fc.integer({ min: 0, max: 1000 });
    const box = fc.tuple(coord, coord, coord, coord, fc.integer({ min: 0, max: 100 }));
    const think = fc.array(fc.constantFrom(...WORDS, '.', ','), { maxLength: 8 }).map((ws) => ws.map((w) => (w === '.' ? t.id('period') : w === ',' ? t.id('comma') : t.wordId(w))));
    fc.assert(
      fc.property(think, fc.array(box, { maxLength: 4 }), (thinkIds, boxes) => {
        const ids = [t.id('thinkOpen'), ...thinkIds, t.id('thinkClose'), t.id('answerOpen')];
        if (boxes.length === 0) ids.push(t.id('noObjects'));
        else {
          ids.push(t.id('listOpen'));
          boxes.forEach(([a, b, c, d, conf], i) => {
            if (i > 0) ids.push(t.id('commaSpace'));
            ids.push(t.id('boxOpen'), t.coordId(a), t.id('commaSpace'), t.coordId(b), t.id('commaSpace'), t.coordId(c), t.id('commaSpace'), t.coordId(d), t.id('positionClose'), t.confId(conf / 100), t.id('boxClose'));
          });
          ids.push(t.id('listClose'));
        }
        ids.push(t.id('answerClose'));
        expect(t.tokenize(t.detokenize(ids))).toEqual(ids);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('quantises coordinates to the configured bins', () => {
    const t100 = tok(101);
    expect(t100.coordValue(t100.coordId(437))).toBe(440);
    expect(t100.detokenize(t100.tokenize('<answer>(437,0),(1000,999)</answer>'))).toBe('<answer>(440,0),(1000,1000)</answer>');
    expect(() => tok(1)).toThrow(/coordBins/);
  });

  it('maps unknown words to <unk> and grows without changing existing ids', () => {
    const g = tok();
    const before = g.size;
    const dogId = g.wordId('dog');
    expect(g.tokenize('<answer>corgi</answer>')[1]).toBe(g.id('unk'));
    expect(g.addWords(wordsOf('corgi, dog. welsh corgi'))).toBe(2);
    expect(g.size).toBe(before + 2);
    expect(g.wordId('dog')).toBe(dogId);
    expect(g.detokenize(g.tokenize('<answer>welsh corgi</answer>'))).toBe('<answer>welsh corgi</answer>');
  });
});
