/**
 * Pretraining's pointer loss: where the box pointer (model/boxPointer.ts) should look when it writes a box.
 *
 * Why: after 6,600 steps the shipped policy localised well *when it found the object* (on base detection, 90 % of
 * ground-truth boxes with any prediction at IoU ≥ 0.3 were also hit at ≥ 0.5) but found it for only half of them:
 * the pointer learned *where to look* only through the coordinate tokens' cross-entropy, a weak, indirect signal.
 * The world knows the answer exactly: a box in a completion is the box of one scene object, and the dense box
 * targets (`patchBoxes`) say which image tokens belong to which box. So every text position that is about to
 * write a coordinate of a box is trained to put its pointer attention on that box's tokens:
 * −log Σ_{tokens of the box} attention, averaged over such positions (a multiple-instance loss: any mix of the
 * object's tokens is right). Only pretraining uses it; fine-tuning sees the completions alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BOX_SLOTS } from '../model/boxPointer';

export interface PointerTargets {
  /** [rows × width × patches]: 1 on the image tokens of the box the next token belongs to. */
  mask: Float32Array;
  /** [rows × width]: 1 where the position has a target (its next token is a coordinate of a box with tokens). */
  weight: Float32Array;
  /** Positions with a target. */
  count: number;
}

/**
 * Targets for text tokens [rows × width] (prompt and completion; position j predicts token j + 1): the k-th
 * coordinate token of a row is slot k mod 4 of box ⌊k / 4⌋, and that box's image tokens are those whose patch box
 * (`patchBoxes`, bins x1, y1, x2, y2 per token, −1 = none; [rows × patches × 4]) equals it exactly. A box no
 * token claims (a generated or rounded-off box) gives no target.
 */
export function pointerTargets(tokens: Int32Array, rows: number, width: number, patches: number, coordStart: number, bins: number, patchBoxes: Int32Array): PointerTargets {
  if (tokens.length !== rows * width) throw new Error(`pointer targets: ${tokens.length} tokens for ${rows} × ${width}`);
  if (patchBoxes.length !== rows * patches * BOX_SLOTS) throw new Error(`pointer targets: ${patchBoxes.length} patch-box values for ${rows} images of ${patches} patches`);
  const mask = new Float32Array(rows * width * patches);
  const weight = new Float32Array(rows * width);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const cols: number[] = [];
    for (let j = 0; j < width; j++) {
      const id = tokens[r * width + j];
      if (id >= coordStart && id < coordStart + bins) cols.push(j);
    }
    for (let k = 0; k + BOX_SLOTS <= cols.length; k += BOX_SLOTS) {
      const box = cols.slice(k, k + BOX_SLOTS).map((j) => tokens[r * width + j] - coordStart);
      const owners: number[] = [];
      for (let i = 0; i < patches; i++) {
        const o = (r * patches + i) * BOX_SLOTS;
        if (box.every((v, s) => patchBoxes[o + s] === v)) owners.push(i);
      }
      if (!owners.length) continue;
      for (const j of cols.slice(k, k + BOX_SLOTS)) {
        if (j === 0) continue;
        const at = r * width + j - 1;
        weight[at] = 1;
        count++;
        for (const i of owners) mask[at * patches + i] = 1;
      }
    }
  }
  return { mask, weight, count };
}

/** −mean log Σ_target attention for pointer attention [rows, width, patches]. Call inside tf.tidy / variableGrads. */
export function pointerLoss(attention: tf.Tensor3D, targets: PointerTargets): tf.Scalar {
  const [rows, width, patches] = attention.shape;
  if (!targets.count) return tf.scalar(0);
  const onTarget = tf.sum(tf.mul(attention, tf.tensor3d(targets.mask, [rows, width, patches])), 2);
  const logp = tf.log(tf.add(onTarget, 1e-9));
  return tf.div(tf.neg(tf.sum(tf.mul(logp, tf.tensor2d(targets.weight, [rows, width])))), targets.count) as tf.Scalar;
}
