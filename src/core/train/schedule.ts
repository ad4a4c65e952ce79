/** Learning-rate schedules: linear warm-up, then constant, linear or cosine decay to `final` × peak. */
export interface ScheduleConfig {
  /** Peak learning rate. */
  lr: number;
  /** Steps of linear warm-up from 0. Default 0. */
  warmup: number;
  /** Total steps of the run (decay ends here). */
  total: number;
  /** Decay shape after warm-up. Default 'linear' (TRL's default). */
  decay: 'constant' | 'linear' | 'cosine';
  /** Learning rate at the end as a fraction of the peak. Default 0. */
  final: number;
}

export function learningRate(s: ScheduleConfig, step: number): number {
  if (s.warmup > 0 && step < s.warmup) return (s.lr * (step + 1)) / s.warmup;
  if (s.decay === 'constant') return s.lr;
  const t = Math.min(1, (step - s.warmup) / Math.max(1, s.total - s.warmup));
  const shape = s.decay === 'linear' ? 1 - t : 0.5 * (1 + Math.cos(Math.PI * t));
  return s.lr * (s.final + (1 - s.final) * shape);
}
