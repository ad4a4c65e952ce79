import { describe, expect, it } from 'vitest';
import { taskRewards } from '../rewards/registry';
import { datasetExamples, exampleWords, trainability } from './trainingExamples';
import type { Dataset } from './types';

const detection: Dataset = {
  name: 'desk',
  task: 'detection',
  classes: [{ id: 1, name: 'cup', color: '#f00' }, { id: 2, name: 'Coffee_Pot', color: '#0f0' }],
  images: [
    { id: 'a', fileName: 'a.jpg', width: 200, height: 100, split: 'train', annotations: [{ id: 'x', classId: 1, box: [120, 10, 180, 90] }, { id: 'y', classId: 1, box: [10, 10, 60, 50] }, { id: 'z', classId: 2, box: [70, 0, 110, 100] }] },
    { id: 'b', fileName: 'b.jpg', width: 100, height: 100, split: 'train', annotations: [] },
    { id: 'c', fileName: 'c.jpg', width: 100, height: 100, split: 'eval', annotations: [{ id: 'w', classId: 2, box: [0, 0, 50, 50] }] },
  ],
};

describe('dataset → training examples', () => {
  it('detection: one example per class, boxes in 0–1000 left to right, a world-style trace, No Objects for absent classes', () => {
    const ex = datasetExamples(detection, 'train');
    expect(ex).toHaveLength(4);
    const cup = ex[0];
    expect(cup.promptWords).toEqual(['cup']);
    expect(cup.solution).toBe("<answer>[{'Position': [50, 100, 300, 500], 'Confidence': 1}, {'Position': [600, 100, 900, 900], 'Confidence': 1}]</answer>");
    expect(cup.completion).toBe("<think> I see a cup, a coffee pot and a cup. There are two cups. </think> <answer>[{'Position': [50, 100, 300, 500], 'Confidence': 1.00}, {'Position': [600, 100, 900, 900], 'Confidence': 1.00}]</answer>");
    expect(ex[1].promptWords).toEqual(['coffee', 'pot']);
    expect(ex[3].completion).toBe('<think> I see nothing. There are no coffee pots. </think> <answer>No Objects</answer>');
    // The target completion earns the full reference reward against its own solution.
    for (const e of ex) expect(taskRewards('detection', e.completion, e.solution, 'reference')).toMatchObject({ format: 1, accuracy_iou: e.solution.includes('No Objects') ? 0 : 1 });
    expect(new Set(ex.flatMap(exampleWords))).toEqual(new Set(['cup', 'coffee', 'pot', 'I', 'see', 'a', 'and', 'There', 'are', 'two', 'cups', 'is', 'one', 'nothing', 'no', 'pots']));
    expect(exampleWords(ex[1])).toContain('pot');
  });

  it('classification and grounding examples', () => {
    const cls: Dataset = { name: 'c', task: 'classification', classes: [{ id: 1, name: 'tabby cat', color: '#f00' }, { id: 2, name: 'dog', color: '#0f0' }], images: [{ id: 'a', fileName: 'a', width: 10, height: 10, split: 'train', annotations: [], classId: 1 }] };
    const [c] = datasetExamples(cls, 'train');
    expect(c.completion).toBe('<think> I see an object in the middle. It looks like a tabby cat. </think> <answer>tabby cat</answer>');
    expect(exampleWords(c)).toEqual(expect.arrayContaining(['tabby', 'cat']));
    const gr: Dataset = { name: 'g', task: 'grounding', classes: [], images: [{ id: 'a', fileName: 'a', width: 100, height: 100, split: 'train', annotations: [{ id: 'x', classId: 0, box: [0, 0, 20, 20], expression: 'The red cup' }] }] };
    const [g] = datasetExamples(gr, 'train');
    expect(g.promptWords).toEqual(['the', 'red', 'cup']);
    expect(g.completion).toBe('<think> The red cup is at the top left. </think> <answer>(0,0),(200,200)</answer>');
    expect(taskRewards('grounding', g.completion, g.solution, 'reference').grounding_giou).toBe(2);
  });

  it('says why a dataset cannot be trained on, and what the run will do', () => {
    expect(trainability(detection)).toEqual({ errors: [], notes: ['1 train image has no boxes: they are trained as negatives (“No Objects” for every class)'], trainExamples: 4, evalExamples: 2 });
    expect(trainability({ ...detection, images: [] }).errors).toEqual(['the dataset has no images: add some in the Datasets view']);
    expect(trainability({ ...detection, images: detection.images.map((im) => ({ ...im, split: 'eval' as const })) }).errors[0]).toMatch(/no image is in the train split/);
    expect(trainability({ ...detection, images: [detection.images[1]] }).errors).toEqual(['no train image has a box: draw boxes around the objects of each class']);
    const one: Dataset = { name: 'c', task: 'classification', classes: [{ id: 1, name: 'cat', color: '#f00' }], images: [{ id: 'a', fileName: 'a', width: 10, height: 10, split: 'train', annotations: [], classId: 1 }] };
    expect(trainability(one).errors[0]).toMatch(/at least two classes/);
    expect(trainability(one).notes).toEqual([]);
  });
});
