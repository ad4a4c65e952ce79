/**
 * The experiment suites, each the world's analogue of one of the paper's tables: what is trained, on which
 * classes, and what is evaluated.
 */
import type { Task } from '../../src/core/rewards/types';
import { type WorldSplit, splitCategories } from '../../src/core/world/tasks';

export interface Suite {
  name: string;
  paperTable: string;
  task: Task;
  trainSplit: WorldSplit;
  evalSplit: WorldSplit;
  /** Classes of the few-shot set (empty for grounding, whose shots are plain samples). */
  classes: string[];
  /** Name of the headline metric and its key in the scorer's task metrics. */
  metric: { name: string; key: string };
}

export const SUITES: Record<string, Suite> = {
  'few-shot-classification': {
    name: 'few-shot-classification',
    paperTable: 'Table 2 (fine-grained classification: flowers, pets, aircraft, cars)',
    task: 'classification',
    trainSplit: 'novel',
    evalSplit: 'novel',
    classes: splitCategories('classification', 'novel'),
    metric: { name: 'accuracy', key: 'accuracy' },
  },
  'few-shot-detection': {
    name: 'few-shot-detection',
    paperTable: 'Table 3 (few-shot detection on COCO categories)',
    task: 'detection',
    trainSplit: 'novel',
    evalSplit: 'novel',
    classes: splitCategories('detection', 'novel'),
    metric: { name: 'mAP', key: 'map' },
  },
  ood: {
    name: 'ood',
    paperTable: 'Table 5 (out-of-distribution detection)',
    task: 'detection',
    trainSplit: 'ood',
    evalSplit: 'ood',
    classes: splitCategories('detection', 'ood').slice(0, 12),
    metric: { name: 'mAP', key: 'map' },
  },
  grounding: {
    name: 'grounding',
    paperTable: 'Table 6 (reasoning grounding)',
    task: 'grounding',
    trainSplit: 'novel',
    evalSplit: 'novel',
    classes: [],
    metric: { name: 'Acc@0.5', key: 'acc50' },
  },
  'open-vocab': {
    name: 'open-vocab',
    paperTable: 'Table 7 (open-vocabulary detection: train on base, test on novel)',
    task: 'detection',
    trainSplit: 'base',
    evalSplit: 'novel',
    classes: splitCategories('detection', 'base').slice(0, 16),
    metric: { name: 'mAP', key: 'map' },
  },
};
