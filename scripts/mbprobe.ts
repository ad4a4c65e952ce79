import { runModelBench } from '../src/core/bench/modelBench';
import { useNodeBackend } from './tfNode';
const [backend, config] = process.argv.slice(2);
await useNodeBackend(backend as 'wasm');
console.log(JSON.stringify(await runModelBench({ config: config as 'tiny' | 'base', repeats: 1 }), null, 1));
