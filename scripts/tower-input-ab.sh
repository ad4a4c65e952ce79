#!/usr/bin/env bash
# npm run tower-input-ab [-- N [hybrid|tower]] : does the tower's input normalisation matter? (issue 19; towerSpec.ts
# TowerInput.) The arms of bench/vision-arms were pretrained on features of RGB in 0–1 ('rgb-unit', as
# @vladmandic/human feeds NanoDet); NanoDet itself was trained on BGR 0–255 minus its mean, over its std
# ('nanodet-bgr'). This replays old runs step for step with 'nanodet-bgr' and scores them at the steps of the old
# records (N held-out base samples per task, default 1000, and the real photos):
#   hybrid (default): step 318   = arm 4's 45-minute arm  (bench/vision-arms/arm-4.*.json), then
#                     step 1,050 = the continued hybrid   (bench/vision-arms/hybrid-long.*.json), then
#                     step 2,000 = its cosine's end       (bench/vision-arms/hybrid-long-2000.*.json)
#   tower:            step 352   = arm 3's 45-minute arm  (bench/vision-arms/arm-3.*.json), then on with the
#                     continued hybrid's schedule (peak 4e-4, cosine to 2,000), scored at 1,050 and 2,000 (no
#                     rgb-unit tower was run that far: these compare with the hybrids at the same steps), then
#                     the hybrid's second phase (peak 2e-4, cosine to 3,000; bench/vision-arms/hybrid-3000.*.json)
# Same seed, scene stream, schedule, flags and trainer; only the tower's input differs. Resumable (rerun it):
# each pretrain continues from its saved state and stops at the step of the old record.
# Writes bench/vision-arms/bgr-<arm>-<step>.<task>.json and .photos.json.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
WHICH=${2:-hybrid}
ROOT=${ARMS_DIR:-.arms}
DIR=$ROOT/bgr
OUT=bench/vision-arms
mkdir -p "$DIR" "$OUT"
common=(--mixture 0.6,0.1,0.3 --pointer-weight 1 --save-every 10 --eval-every 100000 --card-samples 32 --feature-cache "$ROOT/features")
phase1=(--fresh --steps 600 --lr 5e-4 --warmup 50 "${common[@]}" --tower-res 128 --tower-layer stride16 --tower-input nanodet-bgr)
step_of() { npx tsx --eval "import { readFileSync } from 'node:fs'; import { readCheckpointHeader } from './src/core/model/checkpoint.ts'; console.log(readCheckpointHeader(new Uint8Array(readFileSync('$1'))).header.meta.step)"; }
score() { # $1 checkpoint, $2 name ending in -<step>: scored only at that step, so a record never names another one
  local at
  at=$(step_of "$1")
  if [ "$at" != "${2##*-}" ]; then
    [ -s "$OUT/$2.photos.json" ] || echo "tower-input-ab: $1 is at step $at, not ${2##*-}; $2 is not scored" >&2
    return 0
  fi
  for task in detection classification grounding; do
    [ -s "$OUT/$2.$task.json" ] || npx tsx scripts/eval.ts --model "$1" --task "$task" --split base --n "$N" --json >"$OUT/$2.$task.json"
  done
  [ -s "$OUT/$2.photos.json" ] || npx tsx scripts/photoEval.ts --model "$1" --json >"$OUT/$2.photos.json"
}
# The continued hybrid's run (peak 4e-4, cosine to 2,000) from $1 at step $2, in state $3, scored as $4-<step>
# at step 1,050 (where that record was scored) and at the cosine's end.
continued() {
  local long=(--init "$1" --phase-start "$2" --steps 2000 --lr 4e-4 --warmup 20 "${common[@]}" --state "$3" --out "$3/out")
  npx tsx scripts/pretrain.ts "${long[@]}" --stop-at 1050
  score "$3/policy.vrft" "$4-1050"
  npx tsx scripts/pretrain.ts "${long[@]}"
  score "$3/policy.vrft" "$4-2000"
}
if [ "$WHICH" = tower ]; then
  npx tsx scripts/pretrain.ts "${phase1[@]}" --stem tower --stop-at 352 --state "$DIR/tower" --out "$DIR/tower/out"
  score "$DIR/tower/policy.vrft" bgr-tower-352
  continued "$DIR/tower/policy.vrft" 352 "$DIR/tower-long" bgr-tower
  # The second phase, as the hybrid had it: from the cosine's end, peak 2e-4, cosine to 3,000.
  p2=(--init "$DIR/tower-long/policy.vrft" --phase-start 2000 --steps 3000 --lr 2e-4 --warmup 20 "${common[@]}" --state "$DIR/tower-p2" --out "$DIR/tower-p2/out")
  npx tsx scripts/pretrain.ts "${p2[@]}"
  score "$DIR/tower-p2/policy.vrft" bgr-tower-3000
else
  # Arm 4's run: a new hybrid, the phase-1 schedule (cosine over 600 steps), stopped where arm 4's 45 minutes ended.
  npx tsx scripts/pretrain.ts "${phase1[@]}" --stem hybrid --stop-at 318 --state "$DIR/arm" --out "$DIR/arm/out"
  score "$DIR/arm/policy.vrft" bgr-hybrid-318
  continued "$DIR/arm/policy.vrft" 318 "$DIR/long" bgr-hybrid
fi
