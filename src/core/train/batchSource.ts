/**
 * The shared loop's third kind of run (trainer.ts): supervised steps on batches made per step, with the loss parts
 * the source defines — how pretraining runs on the same loop as the app's and the experiments' runs.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Policy } from '../model/policy';
import type { AdamConfig } from './adam';

/** The run's optimizer, AdamW (adam.ts): one documented config for every kind of run. */
export type OptimizerConfig = AdamConfig;

/** What GRPO and SFT fine-tuning use: β2 0.99, no weight decay (short runs from a pretrained policy). */
export const FINE_TUNE_OPTIMIZER: OptimizerConfig = { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0 };

/** What pretraining from scratch uses: β2 0.98 and decoupled weight decay 0.01 on matrices (long runs). */
export const PRETRAIN_OPTIMIZER: OptimizerConfig = { beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0.01 };

export interface SupervisedConfig {
  /** Peak learning rate. */
  learningRate: number;
  /** Decay after warm-up. */
  lrSchedule: 'constant' | 'linear' | 'cosine';
  /** Linear warm-up steps (counted from `scheduleStart`). */
  warmupSteps: number;
  /** The schedule's floor as a fraction of the peak (cosine to 10 %: 0.1). Default 0. */
  finalLrFraction?: number;
  /** Step at which the schedule starts (a later phase of a continued run restarts it there). Default 0. */
  scheduleStart?: number;
  /** The run ends after this step (cumulative). */
  steps: number;
  /** Gradient-norm clipping threshold; 0 disables. */
  maxGradNorm: number;
  /** Seed of the run's RNG (the source seeds its own batches by step). */
  seed: number;
  /** Default FINE_TUNE_OPTIMIZER. */
  optimizer?: OptimizerConfig;
}

export interface StepBatch {
  /** The loss to minimise and its named parts to log (`loss/<name>`), computed inside the gradient tape. */
  loss(policy: Policy): { total: tf.Scalar; parts?: Record<string, tf.Scalar> };
  /** Frees the batch's tensors. */
  dispose(): void;
}

export interface BatchSource {
  /** The batch of `step` (0-based): a seeded function of the step, so a resumed run sees the same batches. */
  batch(step: number, policy: Policy): Promise<StepBatch>;
  /** The variables the run trains (default: every trainable one). */
  trainable?(policy: Policy): tf.Variable[];
  /** A change to the clipped gradients before the update (a mask); returns tensors the loop disposes. */
  transformGrads?(grads: tf.NamedTensorMap, policy: Policy): tf.NamedTensorMap;
}
