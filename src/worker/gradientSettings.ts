/**
 * How many workers compute each update (this one included): 1 unless the user gives the cores to workers
 * (gradientPool.ts). Set once when the backend starts. Its own module, so that the gradient worker, which also
 * starts a backend, does not bundle the code that spawns gradient workers.
 */
let configured = 1;

export function configureGradientWorkers(n: number): void {
  configured = Math.max(1, Math.floor(n));
}

export const gradientWorkerCount = (): number => configured;
