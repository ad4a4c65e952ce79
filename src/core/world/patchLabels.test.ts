import { describe, expect, it } from 'vitest';
import { CATEGORIES } from './catalog';
import { BACKGROUND_WORD, objectWord, patchLabelWords } from './patchLabels';
import type { Scene, SceneObject } from './scene';

const obj = (label: string, box: [number, number, number, number], kind: 'named' | 'shape' = 'named'): SceneObject => ({ kind, label, box, area: 0, ...(kind === 'shape' ? { shape: label.split(' ')[1] as SceneObject['shape'] } : {}) });

describe('patch labels', () => {
  it('names each category by a word no other category is named by', () => {
    const words = CATEGORIES.map((c) => objectWord(obj(c.name, [0, 0, 1, 1])));
    expect(new Set(words).size).toBe(CATEGORIES.length);
    expect(objectWord(obj('fire engine', [0, 0, 1, 1]))).toBe('engine');
    expect(objectWord(obj('red star', [0, 0, 1, 1], 'shape'))).toBe('star');
  });

  it('labels each cell by the object on top at its centre, else background', () => {
    const scene: Scene = { size: 16, style: 'base', image: new Float32Array(16 * 16 * 3), objects: [obj('dog', [0, 0, 12, 12]), obj('cat', [6, 6, 16, 16])] };
    expect(patchLabelWords(scene, 2)).toEqual(['dog', BACKGROUND_WORD, BACKGROUND_WORD, 'cat']);
    // Cell centres at 2, 6, 10, 14; the cat, drawn later, covers 6–16 and wins where both cover.
    const bg = BACKGROUND_WORD;
    expect(patchLabelWords(scene, 4)).toEqual(['dog', 'dog', 'dog', bg, 'dog', 'cat', 'cat', 'cat', 'dog', 'cat', 'cat', 'cat', bg, 'cat', 'cat', 'cat']);
  });
});
