/**
 * One versioned checkpoint format for a policy: weights, config and vocabulary in a single byte array
 * (a file on disk, a browser download/upload, or a Blob in IndexedDB).
 *
 *   "VRFTCKPT" | uint32 LE header length | header JSON (UTF-8) | zero padding to 4 bytes | float32 LE weights
 *
 * The header records the format version. Loading migrates older headers step by step (MIGRATIONS[v] turns a
 * version-v header into version v+1) and refuses newer versions with a message saying so.
 */
import { type PolicyConfig, validatePolicyConfig } from './config';
import { PolicyParams } from './params';
import { Policy } from './policy';
import { Tokenizer, type TokenizerSpec } from './tokenizer';
import type { VisionTower } from './tower';
import { checkTower } from './visualInput';

const MAGIC = 'VRFTCKPT';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointHeader {
  format: 'vrft-policy';
  version: number;
  config: PolicyConfig;
  tokenizer: TokenizerSpec;
  /** Weights in order; offsets are in floats from the start of the weight block. */
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  /** Free-form provenance: training steps, data, metrics, time. */
  meta: Record<string, unknown>;
}

type Migration = (header: Record<string, unknown>) => Record<string, unknown>;

/** Header migrations by source version. Version 1 is the first released format. */
export const MIGRATIONS: Record<number, Migration> = {};

export class CheckpointError extends Error {
  constructor(message: string) {
    super(`invalid checkpoint: ${message}`);
    this.name = 'CheckpointError';
  }
}

export async function saveCheckpoint(policy: Policy, meta: Record<string, unknown> = {}): Promise<Uint8Array> {
  const arrays = await policy.params.toArrays();
  const tensors: CheckpointHeader['tensors'] = [];
  let offset = 0;
  for (const [name, data] of arrays) {
    tensors.push({ name, shape: policy.params.get(name).shape, offset, length: data.length });
    offset += data.length;
  }
  const header: CheckpointHeader = { format: 'vrft-policy', version: CHECKPOINT_VERSION, config: policy.config, tokenizer: policy.tokenizer.spec(), tensors, meta };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = 12 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const bytes = new Uint8Array(dataStart + offset * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  const view = new DataView(bytes.buffer, dataStart);
  let i = 0;
  for (const data of arrays.values()) for (const v of data) view.setFloat32(4 * i++, v, true);
  return bytes;
}

/** Parse and migrate the header alone (for listing checkpoints without loading weights). */
export function readCheckpointHeader(bytes: Uint8Array, migrations: Record<number, Migration> = MIGRATIONS): { header: CheckpointHeader; dataStart: number } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new CheckpointError('not a Visual-RFT policy checkpoint (bad magic bytes)');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + len > bytes.length) throw new CheckpointError('truncated header');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + len)));
  } catch (e) {
    throw new CheckpointError(`unreadable header (${(e as Error).message})`);
  }
  if (raw.format !== 'vrft-policy' || typeof raw.version !== 'number') throw new CheckpointError('header lacks format/version');
  if (raw.version > CHECKPOINT_VERSION) throw new CheckpointError(`version ${raw.version} is newer than this app understands (${CHECKPOINT_VERSION}); update the app`);
  while ((raw.version as number) < CHECKPOINT_VERSION) {
    const m = migrations[raw.version as number];
    if (!m) throw new CheckpointError(`no migration from version ${raw.version}`);
    raw = m(raw);
  }
  const header = raw as unknown as CheckpointHeader;
  try {
    header.config = validatePolicyConfig(header.config);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  return { header, dataStart: Math.ceil((12 + len) / 4) * 4 };
}

/**
 * A policy from checkpoint bytes. A checkpoint that reads the vision tower needs `tower`, the very one it was
 * trained with (name, weight hash, resolution, layer); otherwise loading fails with what differs.
 */
export function loadCheckpoint(bytes: Uint8Array, opts: { trainable?: boolean; migrations?: Record<number, Migration>; tower?: VisionTower | null } = {}): { policy: Policy; meta: Record<string, unknown> } {
  const { header, dataStart } = readCheckpointHeader(bytes, opts.migrations);
  try {
    checkTower(header.config, opts.tower);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  const total = header.tensors.reduce((n, t) => n + t.length, 0);
  if (dataStart + total * 4 > bytes.length) throw new CheckpointError(`weights truncated: ${bytes.length - dataStart} bytes for ${total * 4}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, total * 4);
  const arrays = new Map<string, Float32Array>();
  for (const t of header.tensors) {
    const data = new Float32Array(t.length);
    for (let i = 0; i < t.length; i++) data[i] = view.getFloat32(4 * (t.offset + i), true);
    if (!data.every(Number.isFinite)) throw new CheckpointError(`weight ${t.name} holds NaN or Infinity`);
    arrays.set(t.name, data);
  }
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(header.tokenizer);
  } catch (e) {
    throw new CheckpointError(`vocabulary: ${(e as Error).message}`);
  }
  let params: PolicyParams;
  try {
    params = PolicyParams.fromArrays(header.config, tokenizer.size, arrays, opts.trainable ?? true);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  return { policy: new Policy(header.config, tokenizer, params, opts.tower ?? null), meta: header.meta ?? {} };
}
