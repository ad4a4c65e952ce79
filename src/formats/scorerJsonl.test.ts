import { describe, expect, it } from 'vitest';
import { errorOf } from './inputError.testutil';
import { parsePredictions, parseSamples } from './scorerJsonl';

const det = (id: string, extra = '') => `{"id": "${id}", "task": "detection", "width": 100, "height": 50, "image_id": 1, "category": "cat", "solution": "<answer>No Objects</answer>"${extra}}`;


describe('samples JSONL', () => {
  it('parses valid lines, skipping blank ones and a BOM', () => {
    const s = parseSamples('s.jsonl', `\ufeff${det('a')}\n\n{"id": 2, "task": "classification", "width": 1, "height": 1, "solution": "<answer>cat</answer>"}\n`);
    expect(s.map((x) => x.id)).toEqual(['a', 2]);
    expect(s[1].line).toBe(3);
  });
  it.each([
    ['not json', 'not valid JSON'],
    ['[1]', 'must be a JSON object'],
    ['{"task": "detection"}', 'missing field "id"'],
    ['{"id": 1, "task": "segmentation", "width": 1, "height": 1, "solution": ""}', 'field "task" must be one of'],
    ['{"id": 1, "task": "classification", "width": 0, "height": 1, "solution": ""}', 'field "width" must be a positive number'],
    ['{"id": 1, "task": "classification", "width": 1, "height": 1}', 'missing field "solution"'],
    ['{"id": 1, "task": "detection", "width": 1, "height": 1, "solution": ""}', 'missing field "image_id"'],
  ])('names the line and the problem: %s', (line, problem) => {
    const e = errorOf(() => parseSamples('s.jsonl', `${det('ok')}\n${line}`));
    expect(e.line).toBe(2);
    expect(e.message).toContain('s.jsonl:2');
    expect(e.message).toContain(problem);
  });
  it('rejects duplicate ids and duplicate (image, category) pairs', () => {
    expect(errorOf(() => parseSamples('s', `${det('a')}\n${det('a')}`)).message).toContain('duplicate id "a" (first on line 1)');
    expect(errorOf(() => parseSamples('s', `${det('a')}\n${det('b')}`)).message).toContain('already have a sample (line 1)');
  });
});

describe('predictions JSONL', () => {
  const samples = parseSamples('s', det('a'));
  it('rejects unknown and duplicate ids and non-string completions', () => {
    expect(errorOf(() => parsePredictions('p', '{"id": "zz", "completion": ""}', samples)).message).toContain('p:1: unknown id "zz"');
    expect(errorOf(() => parsePredictions('p', '{"id": "a", "completion": ""}\n{"id": "a", "completion": ""}', samples)).message).toContain('p:2: duplicate id');
    expect(errorOf(() => parsePredictions('p', '{"id": "a", "completion": 5}', samples)).message).toContain('must be a string');
  });
  it('treats 1 and "1" as different ids', () => {
    expect(errorOf(() => parsePredictions('p', '{"id": 1, "completion": ""}', parseSamples('s', det('1')))).message).toContain('unknown id 1');
  });
});
