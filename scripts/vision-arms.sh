#!/usr/bin/env bash
# npm run vision-arms [-- MINUTES [N]] : issue 19's decision rule, measured. Four architectures of the base policy,
# pretrained from scratch at equal wall time (MINUTES each, default 45, all four at once so that they share the
# machine alike), on the same seeded scene stream, with the same recipe (phase-1 schedule with the box pointer,
# full image attention and the pointer loss), then scored on N held-out base samples per task (default 1000).
#   arm 1  conv stem, 64 px (today's)           arm 3  vision tower, 128 px, stride-16 features
#   arm 2  conv stem, 128 px (16-px patches)    arm 4  hybrid: tower + conv stem on the same 8×8 grid
# Resumable: a rerun continues each arm from its saved state (another MINUTES) and rescoring is cheap to redo.
# TOWER_INPUT (default nanodet-bgr) is the tower arms' input normalisation (towerSpec.ts); the table committed in
# bench/vision-arms was made before the choice existed, on rgb-unit: TOWER_INPUT=rgb-unit reproduces it.
# Writes bench/vision-arms/arm-K.<task>.json (npm run eval --json), arm-K.photos.json (npm run photo-eval --json:
# the first box's IoU on real photos) and bench/vision-arms/steps.json.
set -uo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-45}
N=${2:-1000}
DIR=${ARMS_DIR:-.arms}
OUT=bench/vision-arms
mkdir -p "$DIR" "$OUT"
common=(--fresh --steps 600 --lr 5e-4 --warmup 50 --mixture 0.6,0.1,0.3 --pointer-weight 1 --save-every 10 --eval-every 100000 --card-samples 32 --max-minutes "$MINUTES" --feature-cache "$DIR/features")
declare -A ARGS=(
  [1]="--stem conv"
  [2]="--stem conv --image-size 128 --patch-size 16"
  [3]="--stem tower --tower-res 128 --tower-layer stride16 --tower-input ${TOWER_INPUT:-nanodet-bgr}"
  [4]="--stem hybrid --tower-res 128 --tower-layer stride16 --tower-input ${TOWER_INPUT:-nanodet-bgr}"
)
for k in 1 2 3 4; do
  # shellcheck disable=SC2086
  nice -n 5 npx tsx scripts/pretrain.ts "${common[@]}" ${ARGS[$k]} --state "$DIR/arm-$k" --out "$DIR/arm-$k/out" >"$DIR/arm-$k.log" 2>&1 &
done
wait
for k in 1 2 3 4; do
  (for task in detection classification grounding; do
     nice -n 5 npx tsx scripts/eval.ts --model "$DIR/arm-$k/policy.vrft" --task "$task" --split base --n "$N" --json >"$OUT/arm-$k.$task.json" 2>>"$DIR/arm-$k.eval.log"
   done
   nice -n 5 npx tsx scripts/photoEval.ts --model "$DIR/arm-$k/policy.vrft" --json >"$OUT/arm-$k.photos.json" 2>>"$DIR/arm-$k.eval.log") &
done
wait
node -e '
  const fs = require("fs");
  const out = {};
  for (const k of [1, 2, 3, 4]) {
    const log = fs.readFileSync(process.argv[1] + "/arm-" + k + "/log.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((r) => r.seconds);
    out["arm-" + k] = { steps: log.length ? log[log.length - 1].step : 0, secondsPerStep: log.reduce((a, r) => a + r.seconds, 0) / Math.max(1, log.length), flags: process.argv[2 + k - 1] };
  }
  fs.writeFileSync("bench/vision-arms/steps.json", JSON.stringify(out, null, 1) + "\n");
  console.log(JSON.stringify(out));
' "$DIR" "${ARGS[1]}" "${ARGS[2]}" "${ARGS[3]}" "${ARGS[4]}"
