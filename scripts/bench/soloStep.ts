/**
 * One process's share of the `cores` suite: the base policy's training step (Models view benchmark shapes) on
 * WASM, one thread, `--batch` sequences; prints {"stepMs": …, "vocab": …} as its last line. Run alone and two at a time.
 */
import { runModelBench } from '../../src/core/bench/modelBench';
import { useNodeBackend } from '../tfNode';

const i = process.argv.indexOf('--batch');
await useNodeBackend('wasm');
const r = await runModelBench({ config: 'base', repeats: 3, uncached: false, trainBatch: i >= 0 ? Number(process.argv[i + 1]) : 32, trainCompletion: 40 });
console.log(JSON.stringify({ stepMs: r.trainStepMs, vocab: r.vocab }));
