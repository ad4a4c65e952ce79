/**
 * The vision tower (docs/design.md §9): a frozen, pretrained convolutional backbone (NanoDet's, extracted by
 * scripts/build-tower.ts) run as a TensorFlow.js graph model and read at one feature map. Each cell of the map
 * becomes one image token of the policy (through its trainable projector, transformer.ts).
 *
 * The tower never trains and its output depends only on the image, so callers compute an image's features once
 * (featureCache.ts) and the policy reads them as its visual input; rollouts and training steps never rerun it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type GraphModel, loadGraphModelSync } from '@tensorflow/tfjs-converter';

type SyncGraphModel = GraphModel<tf.io.IOHandlerSync>;
import { DEFAULT_TOWER_INPUT, type TowerInput, type TowerLayer, type TowerReading, type TowerSpec, towerGrid, towerLayer } from './towerSpec';

/** NanoDet's training normalisation, in BGR order on 0–255 pixels (towerSpec.ts, TowerInput). */
const NANODET_MEAN_BGR = [103.53, 116.28, 123.675];
const NANODET_STD_BGR = [57.375, 57.12, 58.395];

/** RGB images [B, H, W, 3] in 0–1 as the backbone takes them under `input` (NHWC; the caller owns the result). */
export function towerInput(images: tf.Tensor4D, input: TowerInput): tf.Tensor4D {
  if (input === 'rgb-unit') return tf.clone(images);
  return tf.tidy(() => tf.div(tf.sub(tf.mul(tf.reverse(images, 3), 255), NANODET_MEAN_BGR), NANODET_STD_BGR) as tf.Tensor4D);
}

/** sha256 (hex) of bytes, by the platform's Web Crypto (Node 20, browsers, workers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class VisionTower {
  private constructor(
    private readonly model: SyncGraphModel,
    readonly spec: TowerSpec,
    readonly layer: TowerLayer,
  ) {}

  /**
   * A tower from its graph (model.json text) and weight file, run at `resolution`, read at `layer`, fed pixels
   * normalised as `input` says (default DEFAULT_TOWER_INPUT). The hash of the weights is computed here, so a spec always
   * names the bytes actually loaded.
   */
  static async load(modelJson: string, weights: Uint8Array, opts: TowerReading): Promise<VisionTower> {
    let json: { modelTopology?: unknown; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[]; signature?: unknown; format?: string };
    try {
      json = JSON.parse(modelJson);
    } catch {
      throw new Error('the vision tower model.json is not JSON');
    }
    if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error('the vision tower model.json has no modelTopology or weightsManifest');
    const layer = towerLayer(opts.layer);
    if (opts.resolution % layer.stride !== 0) throw new Error(`tower resolution ${opts.resolution} is not a multiple of ${layer.id}'s stride ${layer.stride}`);
    const spec: TowerSpec = { name: 'nanodet-backbone', sha256: await sha256Hex(weights), resolution: opts.resolution, layer: layer.id, input: opts.input ?? DEFAULT_TOWER_INPUT };
    const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
    let model: SyncGraphModel;
    try {
      model = loadGraphModelSync({
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: buffer,
        format: json.format,
        signature: json.signature as object,
      });
    } catch (e) {
      throw new Error(`the vision tower could not be built: ${(e as Error).message}`);
    }
    return new VisionTower(model, spec, layer);
  }

  get grid(): number {
    return towerGrid(this.spec);
  }

  get channels(): number {
    return this.layer.channels;
  }

  /**
   * Features [B, grid, grid, channels] of RGB images [B, resolution, resolution, 3] in 0–1. The caller owns the
   * result; every intermediate is disposed.
   */
  features(images: tf.Tensor4D): tf.Tensor4D {
    const [, h, w, ch] = images.shape;
    const r = this.spec.resolution;
    if (h !== r || w !== r || ch !== 3) throw new Error(`the tower needs images of [batch, ${r}, ${r}, 3], got [${images.shape.join(', ')}]`);
    return tf.tidy(() => {
      const out = this.model.execute(tf.transpose(towerInput(images, this.spec.input), [0, 3, 1, 2]), this.layer.node) as tf.Tensor4D;
      return this.layer.layout === 'nchw' ? tf.transpose(out, [0, 2, 3, 1]) : out;
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
