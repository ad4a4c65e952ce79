import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tinyPolicy } from '../model/fixtures.testutil';
import { useBackend } from '../model/nodeBackends.testutil';
import { Tokenizer } from '../model/tokenizer';
import { confidenceBand, confidenceTargets, solutionBoxes, tieConfidenceInputs } from './confidenceTargets';

describe('confidence targets', () => {
  const tok = new Tokenizer({ coordBins: 1001, words: ['I', 'see', 'a', 'dog'] });
  const answer = (boxes: string) => `<think> I see a dog. </think> <answer>${boxes}</answer>`;
  const encode = (text: string) => [...tok.tokenize(text), tok.id('eos')];
  const truth = solutionBoxes(`<answer>[{'Position': [0, 0, 500, 500], 'Confidence': 1}]</answer>`);

  it('reads the true boxes of a solution, none for No Objects', () => {
    expect(truth).toEqual([[0, 0, 500, 500]]);
    expect(solutionBoxes('<answer>No Objects</answer>')).toEqual([]);
  });

  it('bands IoUs into four confidences', () => {
    expect([0, 0.29, 0.3, 0.49, 0.5, 0.74, 0.75, 1].map(confidenceBand)).toEqual([0.1, 0.1, 0.4, 0.4, 0.65, 0.65, 0.9, 0.9]);
  });

  it('replaces each written confidence by the band of the box IoU with its closest true box, and weights only those tokens', () => {
    const text = answer("[{'Position': [0, 0, 500, 500], 'Confidence': 1.00}, {'Position': [250, 0, 1000, 500], 'Confidence': 1.00}]");
    const completion = encode(text);
    const t = confidenceTargets(tok, completion, truth);
    // Box 2: intersection 250 × 500, union 500² + 750 × 500 − 250 × 500 → IoU 0.25.
    expect(t.ious).toEqual([1, 0.25]);
    expect(tok.detokenize(t.tokens)).toBe(answer("[{'Position': [0, 0, 500, 500], 'Confidence': 0.90}, {'Position': [250, 0, 1000, 500], 'Confidence': 0.10}]"));
    expect(t.weights.filter((w) => w === 1)).toHaveLength(2);
    t.tokens.forEach((id, j) => {
      if (t.weights[j] === 0) expect(id).toBe(completion[j]);
      else expect(tok.kind(id)).toBe('conf');
    });
  });

  it('gives 0 to boxes of an absent class and to inverted boxes, and weights nothing in No Objects', () => {
    expect(confidenceTargets(tok, encode(answer("[{'Position': [0, 0, 500, 500], 'Confidence': 1.00}]")), []).ious).toEqual([0]);
    expect(confidenceTargets(tok, encode(answer("[{'Position': [500, 0, 0, 500], 'Confidence': 1.00}]")), truth).ious).toEqual([0]);
    const none = confidenceTargets(tok, encode(answer('No Objects')), truth);
    expect(none.weights.every((w) => w === 0)).toBe(true);
    expect(none.ious).toEqual([]);
  });

  it('ignores a truncated box without a confidence token', () => {
    const full = tok.tokenize(answer("[{'Position': [0, 0, 500, 500], 'Confidence': 1.00}]"));
    const cut = full.slice(0, full.indexOf(tok.id('positionClose')) + 1);
    expect(confidenceTargets(tok, cut, truth).weights.every((w) => w === 0)).toBe(true);
  });
});

describe('tied confidence inputs', () => {
  it('gives every confidence token the input embedding of 1.00 and leaves the other rows alone', async () => {
    await useBackend('cpu');
    const policy = tinyPolicy();
    const tok = policy.tokenizer;
    const before = (await policy.params.get('tok.emb').array()) as number[][];
    const tensors = tf.memory().numTensors;
    expect(await tieConfidenceInputs(policy)).toBe(100);
    expect(tf.memory().numTensors).toBe(tensors);
    const after = (await policy.params.get('tok.emb').array()) as number[][];
    after.forEach((row, id) => expect(row).toEqual(tok.kind(id) === 'conf' ? before[tok.confId(1)] : before[id]));
    expect(await tieConfidenceInputs(policy)).toBe(0);
    policy.dispose();
  });
});
