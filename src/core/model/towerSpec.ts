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
  if (problems.length) throw new Error(`invalid tower: ${problems.join('; ')}`);
  return { name: 'nanodet-backbone', sha256: o.sha256 as string, resolution: o.resolution as number, layer: o.layer as TowerLayer['id'] };
}
