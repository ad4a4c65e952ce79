/**
 * The vision tower's identity (docs/design.md §9): which frozen backbone, at which input resolution, read at which
 * feature map. A checkpoint records it; loading beside a different tower fails with what differs.
 */

/** A feature map the shipped backbone (NanoDet, scripts/build-tower.ts) can be read at. */
export interface TowerLayer {
  /** Short name used in configs and on command lines. */
  id: 'stride16' | 'stride32';
  /** Graph node whose output is read. */
  node: string;
  /** Input pixels per feature cell along a side. */
  stride: number;
  /** Channels of the map. */
  channels: number;
  /** Axis order the graph produces at that node (onnx-tf graphs mix both). */
  layout: 'nchw' | 'nhwc';
}

export const TOWER_LAYERS: readonly TowerLayer[] = [
  { id: 'stride16', node: 'PartitionedCall/onnx_tf_prefix_LeakyRelu_29', stride: 16, channels: 128, layout: 'nchw' },
  { id: 'stride32', node: 'PartitionedCall/Add_20', stride: 32, channels: 128, layout: 'nhwc' },
];

/**
 * How RGB pixels in 0–1 are normalised before the backbone.
 * - 'nanodet-bgr': what NanoDet was trained on (RangiLyu/nanodet's pipeline: channels in BGR order, scaled to
 *   0–255, minus mean [103.53, 116.28, 123.675], over std [57.375, 57.12, 58.395]). The default for new towers.
 * - 'rgb-unit': RGB in 0–1 as given, how @vladmandic/human feeds the model. Checkpoints made before the field
 *   existed read features of this input, so they keep it. Measured (issue 19): a nearest-centroid probe of world
 *   categories on the stride-16 features at 128 px is right 74 % of the time on this input and 86 % on
 *   'nanodet-bgr', and NanoDet's own head names 16 % vs 28 % of one-object world scenes.
 */
export type TowerInput = 'nanodet-bgr' | 'rgb-unit';
export const TOWER_INPUTS: readonly TowerInput[] = ['nanodet-bgr', 'rgb-unit'];

/** Where and how a tower is read: what a loader needs besides the files. */
export interface TowerReading {
  resolution: number;
  layer: TowerLayer['id'];
  /** Default DEFAULT_TOWER_INPUT. */
  input?: TowerInput;
}

export const DEFAULT_TOWER_INPUT: TowerInput = 'nanodet-bgr';

/** One key per distinct reading (loaders keep one tower instance per key). */
export const towerReadingKey = (at: TowerReading): string => `${at.resolution}|${at.layer}|${at.input ?? DEFAULT_TOWER_INPUT}`;

/** What a checkpoint records of its tower. */
export interface TowerSpec {
  /** Backbone name. */
  name: 'nanodet-backbone';
  /** sha256 of the weight file (hex). */
  sha256: string;
  /** Side of the square RGB input, in pixels (a multiple of the layer's stride). */
  resolution: number;
  /** Feature layer id (TOWER_LAYERS). */
  layer: TowerLayer['id'];
  /** Input normalisation (TowerInput); absent in records written before it existed, which read 'rgb-unit'. */
  input: TowerInput;
}

export function towerLayer(id: string): TowerLayer {
  const l = TOWER_LAYERS.find((x) => x.id === id);
  if (!l) throw new Error(`unknown tower layer ${JSON.stringify(id)} (one of ${TOWER_LAYERS.map((x) => x.id).join(', ')})`);
  return l;
}

/** Feature cells along a side. */
export function towerGrid(t: Pick<TowerSpec, 'resolution' | 'layer'>): number {
  return t.resolution / towerLayer(t.layer).stride;
}

/** Human-readable differences between the tower a checkpoint expects and the one loaded ([] when they match). */
export function towerMismatch(expected: TowerSpec, loaded: TowerSpec): string[] {
  const out: string[] = [];
  if (expected.name !== loaded.name) out.push(`backbone ${loaded.name}, the checkpoint was trained with ${expected.name}`);
  if (expected.sha256 !== loaded.sha256) out.push(`weights sha256 ${loaded.sha256.slice(0, 12)}…, the checkpoint's tower has ${expected.sha256.slice(0, 12)}…`);
  if (expected.resolution !== loaded.resolution) out.push(`resolution ${loaded.resolution} px, the checkpoint needs ${expected.resolution} px`);
  if (expected.layer !== loaded.layer) out.push(`feature layer ${loaded.layer}, the checkpoint reads ${expected.layer}`);
  if (expected.input !== loaded.input) out.push(`input normalisation ${loaded.input}, the checkpoint was trained on ${expected.input}`);
  return out;
}

export function validateTowerSpec(t: unknown): TowerSpec {
  const o = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (o.name !== 'nanodet-backbone') problems.push(`name must be 'nanodet-backbone' (got ${JSON.stringify(o.name)})`);
  if (typeof o.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.sha256)) problems.push('sha256 must be 64 hex digits');
  const layer = TOWER_LAYERS.find((x) => x.id === o.layer);
  if (!layer) problems.push(`layer must be one of ${TOWER_LAYERS.map((x) => x.id).join(', ')} (got ${JSON.stringify(o.layer)})`);
  if (typeof o.resolution !== 'number' || !Number.isInteger(o.resolution) || o.resolution < 32 || o.resolution > 1024 || (layer && o.resolution % layer.stride !== 0))
    problems.push(`resolution must be an integer in 32…1024, a multiple of the layer's stride (got ${JSON.stringify(o.resolution)})`);
  // Migration: a record without the field was written when every tower read RGB in 0–1.
  const input = o.input ?? 'rgb-unit';
  if (!TOWER_INPUTS.includes(input as TowerInput)) problems.push(`input must be one of ${TOWER_INPUTS.join(', ')} (got ${JSON.stringify(o.input)})`);
  if (problems.length) throw new Error(`invalid tower: ${problems.join('; ')}`);
  return { name: 'nanodet-backbone', sha256: o.sha256 as string, resolution: o.resolution as number, layer: o.layer as TowerLayer['id'], input: input as TowerInput };
}
