import { type TowerSpec, towerGrid, towerLayer, validateTowerSpec } from './towerSpec';

/**
 * PolicyConfig: the shape of the vision-language policy. Every field is documented with its default (the
 * `base` config); configs are validated where they enter (checkpoint load, scripts, worker).
 */

export interface PolicyConfig {
  /** Side of the square RGB input image, in pixels. base: 64. */
  imageSize: number;
  /** Side of one image patch; the image becomes (imageSize / patchSize)² tokens. base: 8 (64 tokens). */
  patchSize: number;
  /** Width of the transformer (embedding size). base: 128. */
  dModel: number;
  /** Number of decoder blocks. base: 4. */
  nLayers: number;
  /** Attention heads per block; must divide dModel. base: 4. */
  nHeads: number;
  /** Hidden width of each MLP as a multiple of dModel. base: 4. */
  mlpRatio: number;
  /** Maximum text tokens after the image: prompt plus completion. base: 96. */
  maxTextLength: number;
  /** Coordinate bins over 0–1000 in the tokenizer (1001 = every integer). base: 101 (steps of 10). */
  coordBins: number;
  /** Seed of the weight initialisation. base: 1. */
  seed: number;
  /**
   * Image encoder. 'linear': one matrix per patch (a plain ViT). 'conv': an early-convolution stem — each patch's
   * 2×2 sub-patches go through one shared filter bank with GELU, then a matrix merges them — which helps a small
   * transformer learn to see from little data. 'tower': the frozen pretrained vision tower (tower.ts), each cell
   * of its feature map one image token through the trainable projector. 'hybrid': both on the same token grid,
   * their embeddings summed, so a token has the tower's features and the stem's pixels. Checkpoints without the
   * field are 'linear'. base: 'conv'.
   */
  stem: 'linear' | 'conv' | 'tower' | 'hybrid';
  /** Filters of the conv stem (ignored by 'linear'). base: 64. */
  stemChannels: number;
  /**
   * Frequencies of the coordinate-aligned position code (coordFeatures.ts); 0 turns it off. It uses 4× this many
   * channels of the model width. Checkpoints without the field have 0. base: 0 until pretraining shows its worth.
   */
  coordFeatures: number;
  /**
   * How image tokens attend to each other. 'causal': in raster order, like text (a patch sees only the patches
   * above and to its left). 'full': every image token sees the whole image (a prefix-LM, as PaLI/PaliGemma), so
   * a patch can know where its object ends. Text stays causal either way. Checkpoints without the field are
   * 'causal'. base: 'full'.
   */
  imageAttention: 'causal' | 'full';
  /**
   * The box pointer (boxPointer.ts): image tokens predict their object's box and text positions point at them
   * when writing coordinates. Checkpoints without the field have none. base: true (without it, pretraining left
   * coordinates blind to the image; see boxPointer.ts).
   */
  boxPointer: boolean;
  /**
   * The vision tower ('tower' and 'hybrid' stems; absent otherwise): backbone, weight hash, input resolution and
   * feature layer. Its grid must equal imageSize / patchSize (the hybrid's stem reads imageSize-px pixels).
   */
  tower?: TowerSpec;
  /** The tower's projector into dModel: 'linear' or 'mlp' (linear, GELU, linear, as LLaVA-1.5). Default 'mlp'. */
  projector?: 'linear' | 'mlp';
}

/** Whether a config reads the vision tower. */
export const usesTower = (c: PolicyConfig): c is PolicyConfig & { tower: TowerSpec } => c.stem === 'tower' || c.stem === 'hybrid';

/** Side of the RGB image a policy is given (the world renders at it, user images are resized to it). */
export function sourceResolution(c: PolicyConfig): number {
  return usesTower(c) ? c.tower.resolution : c.imageSize;
}

/**
 * Shape of one visual input of the policy, what forward() reads per row: RGB pixels [imageSize, imageSize, 3] for
 * the stems; tower features [grid, grid, channels] for 'tower'; for 'hybrid' the features with each cell's pixel
 * patch (patchSize² · 3 values, row-major RGB) appended: [grid, grid, channels + patchSize² · 3].
 */
export function visualShape(c: PolicyConfig): [number, number, number] {
  if (!usesTower(c)) return [c.imageSize, c.imageSize, 3];
  const g = towerGrid(c.tower);
  const ch = towerLayer(c.tower.layer).channels;
  return [g, g, c.stem === 'hybrid' ? ch + c.patchSize * c.patchSize * 3 : ch];
}

export const visualSize = (c: PolicyConfig): number => visualShape(c).reduce((a, b) => a * b, 1);

export const POLICY_CONFIGS = {
  /** For tests: a 32×32 image in 16 patches, two narrow layers. */
  tiny: { imageSize: 32, patchSize: 8, dModel: 32, nLayers: 2, nHeads: 2, mlpRatio: 2, maxTextLength: 96, coordBins: 101, seed: 1, stem: 'linear', stemChannels: 16, coordFeatures: 0, imageAttention: 'causal', boxPointer: false },
  /**
   * The shipped size, chosen for pretraining on 2 CPU cores in about three hours (issue 4): about 1M
   * parameters with the world's vocabulary; a training step on 32 sequences takes about 3 s on WASM.
   */
  base: { imageSize: 64, patchSize: 8, dModel: 128, nLayers: 4, nHeads: 4, mlpRatio: 4, maxTextLength: 96, coordBins: 101, seed: 1, stem: 'conv', stemChannels: 64, coordFeatures: 0, imageAttention: 'full', boxPointer: true },
} as const satisfies Record<string, PolicyConfig>;

export type PolicyConfigName = keyof typeof POLICY_CONFIGS;

export function imageTokenCount(c: PolicyConfig): number {
  return (c.imageSize / c.patchSize) ** 2;
}

/** Throws with every problem listed when a config is unusable. */
export function validatePolicyConfig(c: unknown): PolicyConfig {
  const problems: string[] = [];
  const o = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
  const intField = (name: keyof PolicyConfig, min: number, max: number) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be an integer in ${min}…${max} (got ${JSON.stringify(v)})`);
  };
  intField('imageSize', 8, 512);
  intField('patchSize', 2, 64);
  intField('dModel', 8, 2048);
  intField('nLayers', 1, 48);
  intField('nHeads', 1, 64);
  intField('mlpRatio', 1, 8);
  intField('maxTextLength', 8, 4096);
  intField('coordBins', 2, 1001);
  intField('seed', 0, 2 ** 32 - 1);
  if (o.stem === undefined) o.stem = 'linear';
  if (o.stemChannels === undefined) o.stemChannels = 16;
  if (o.coordFeatures === undefined) o.coordFeatures = 0;
  if (o.imageAttention === undefined) o.imageAttention = 'causal';
  if (o.boxPointer === undefined) o.boxPointer = false;
  if (typeof o.boxPointer !== 'boolean') problems.push(`boxPointer must be true or false (got ${JSON.stringify(o.boxPointer)})`);
  if (o.imageAttention !== 'causal' && o.imageAttention !== 'full') problems.push(`imageAttention must be 'causal' or 'full' (got ${JSON.stringify(o.imageAttention)})`);
  if (!['linear', 'conv', 'tower', 'hybrid'].includes(o.stem as string)) problems.push(`stem must be 'linear', 'conv', 'tower' or 'hybrid' (got ${JSON.stringify(o.stem)})`);
  if (o.stem === 'tower' || o.stem === 'hybrid') {
    try {
      o.tower = validateTowerSpec(o.tower);
    } catch (e) {
      problems.push((e as Error).message);
    }
    if (o.projector === undefined) o.projector = 'mlp';
    if (o.projector !== 'linear' && o.projector !== 'mlp') problems.push(`projector must be 'linear' or 'mlp' (got ${JSON.stringify(o.projector)})`);
  } else if (o.tower !== undefined) problems.push(`a '${String(o.stem)}' stem has no tower`);
  intField('stemChannels', 1, 1024);
  intField('coordFeatures', 0, 64);
  if (!problems.length) {
    const p = o as unknown as PolicyConfig;
    if (p.imageSize % p.patchSize !== 0) problems.push('patchSize must divide imageSize');
    if (p.dModel % p.nHeads !== 0) problems.push('nHeads must divide dModel');
    if ((p.stem === 'conv' || p.stem === 'hybrid') && p.patchSize % 2 !== 0) problems.push('the conv stem needs an even patchSize');
    if (usesTower(p) && towerGrid(p.tower) !== p.imageSize / p.patchSize) problems.push(`the tower's ${towerGrid(p.tower)}×${towerGrid(p.tower)} grid must equal imageSize / patchSize (${p.imageSize / p.patchSize})`);
    if (4 * p.coordFeatures > p.dModel) problems.push('coordFeatures needs 4 channels each: at most dModel / 4');
  }
  if (problems.length) throw new Error(`invalid PolicyConfig: ${problems.join('; ')}`);
  return { ...(o as unknown as PolicyConfig) };
}
