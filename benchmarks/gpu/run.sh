#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The prepared GPU check, in one run that fits a short window on a borrowed machine (under 8 minutes with the build):
#
#   benchmarks/gpu/run.sh OUTDIR
#
# On a machine with an NVIDIA GPU (nvidia-smi lists one) it builds the GPU flavour (-Pcuda: onnxruntime_gpu on the
# class path), runs the inference tests with provider cuda, and measures with provider cuda; elsewhere it says so and
# does the same on the CPU build. Writes OUTDIR/gpu-benchmark.md (the table for docs/BENCHMARKS.md) and OUTDIR/run.log.
#   1. build: the station and what it needs (tests skipped)
#   2. inference tests (inference-onnx's suite) with -Dlinesight.test.provider=cuda|cpu, class path of inference-onnx
#   3. model only vs detect() (interleaved, their ratio), and tiles of a 5 MP frame: benchmarks/gpu/GpuBench.java,
#      for the demo model and YOLOv8n at 640 (../shared/models; the row says why when it is absent)
#   4. the anomaly models' memory bank search (MemoryBankBenchMain, test sources of inference-onnx) on cuda|cpu
#   5. whole pipeline: the demo station (synthetic camera, rules, model, embedded broker, SQLite) at a trigger rate
#      above what it can do, with the recipe's provider set to cuda|cpu: parts/s achieved and latency
# Environment: JAVA_HOME (a JDK 25; else found under /usr/lib/jvm), MVN_OFFLINE=1 for ./mvnw -o, BENCH_SECONDS
# (per measurement, default 12), PIPELINE_PARTS (default 400), PIPELINE_RATE (Hz, default 60), SHARED (default
# ../shared beside the repository).
set -euo pipefail
out="${1:?usage: benchmarks/gpu/run.sh OUTDIR}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log="$out/run.log"
md="$out/gpu-benchmark.md"
: >"$log"
started=$(date +%s)
step() { echo "[gpu-check $(($(date +%s) - started)) s] $*" | tee -a "$log" >&2; }
fail() { step "FAILED: $*"; exit 1; }

shared="${SHARED:-$(dirname "$repo")/shared}"
seconds="${BENCH_SECONDS:-12}"
parts="${PIPELINE_PARTS:-400}"
rate="${PIPELINE_RATE:-60}"

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  flavour=cuda
  gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
else
  flavour=cpu
  gpu="none: no NVIDIA GPU found (nvidia-smi absent or lists none), so this run is the CPU path"
fi
provider=$flavour
mvn_flags=(-B -ntp -q)
[ "$flavour" = cuda ] && mvn_flags+=(-Pcuda)
[ -n "${MVN_OFFLINE:-}" ] && mvn_flags+=(-o)
step "flavour $flavour; GPU: $gpu"

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  JAVA_HOME=""
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25*; do
    if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "25'; then JAVA_HOME="$d"; break; fi
  done
  [ -n "$JAVA_HOME" ] || fail "a JDK 25 is needed (set JAVA_HOME)"
fi
export JAVA_HOME
java="$JAVA_HOME/bin/java"
flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
cd "$repo"

step "build ($flavour flavour): the station, tests skipped"
./mvnw "${mvn_flags[@]}" -pl station-app/cli -am package -DskipTests -Dmaven.test.skip=true >>"$log" 2>&1 || fail "build (see $log)"

# one reactor run: the sibling modules resolve to this checkout's classes, never to older jars in ~/.m2; the class
# path file is written by each module in turn, inference-onnx last
step "inference tests with provider $provider, and inference-onnx's class path"
tests_status="passed"
rm -rf inference/inference-onnx/target/surefire-reports
./mvnw "${mvn_flags[@]}" -pl inference/inference-onnx -am test dependency:build-classpath \
  -Dtest='io/linesight/inference/onnx/**/*Test' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlinesight.test.provider="$provider" -Dlinesight.shared="$shared" -Dmdep.outputFile="$out/inference-cp.txt" \
  >>"$log" 2>&1 || tests_status="FAILED (see run.log)"
# -q hides surefire's summary: count from its reports
tests_line="$(cat inference/inference-onnx/target/surefire-reports/TEST-*.xml 2>/dev/null | grep -o '<testsuite [^>]*>' \
  | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); n[kv[1]] += kv[2] } }
         END { printf "%d tests, %d failures, %d errors, %d skipped", n["tests"], n["failures"], n["errors"], n["skipped"] }')"
step "inference tests: $tests_status — $tests_line"
[ -s "$out/inference-cp.txt" ] || fail "no class path for inference-onnx (see $log)"
cp="inference/inference-onnx/target/classes:$(cat "$out/inference-cp.txt")"
ort_jar="$(tr ':' '\n' <"$out/inference-cp.txt" | grep -E '/onnxruntime(_gpu)?-[0-9.]+\.jar$' | xargs -n1 basename | paste -sd' ')"
step "ONNX Runtime on the class path: $ort_jar"
if [ "$flavour" = cuda ] && [[ "$ort_jar" != *onnxruntime_gpu* ]]; then fail "the GPU flavour lacks onnxruntime_gpu"; fi

rows="$out/rows.md"
: >"$rows"
bench() { # LABEL MODEL W H PICTURE TILE
  # the rows only: the detector's log lines (logback from the test class path) go to the log
  "$java" "${flags[@]}" -Dbench.seconds="$seconds" -cp "$cp" benchmarks/gpu/GpuBench.java "$provider" "$@" \
    >"$out/bench.txt" 2>>"$log" || fail "GpuBench $1 (see $log)"
  grep '^| ' "$out/bench.txt" >>"$rows"
  grep -v '^| ' "$out/bench.txt" >>"$log" || true
}
demo_model=station-app/core/src/main/resources/demo/recipes/models/bracket-defects.onnx
yolo="$shared/models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx"
bus="$shared/datasets/ultralytics-samples/bus.jpg"
step "model only vs detect(): demo model"
bench "demo (bracket-defects, 1x256x320)" "$demo_model" 1280 1024 - 1024
if [ -f "$yolo" ] && [ -f "$bus" ]; then
  step "model only vs detect(): YOLOv8n at 640"
  bench "YOLOv8n INT8 (3x640x640)" "$yolo" 810 1080 "$bus" 640
else
  echo "| YOLOv8n INT8 (3x640x640) | - | - | - | - | - | - | skipped: $yolo or $bus not found (the shared fixtures folder is beside the repository) |" >>"$rows"
fi
if [ "$flavour" = cuda ] && grep -q '| CPU |' "$rows"; then
  step "WARNING: a model ran on CPU in the CUDA flavour (see the provider column and $log)"
fi

step "anomaly memory bank search on $provider"
"$java" "${flags[@]}" -cp "inference/inference-onnx/target/test-classes:$cp" \
  io.linesight.inference.onnx.anomaly.MemoryBankBenchMain "$provider" >"$out/bank.md" 2>>"$log" \
  || fail "MemoryBankBenchMain (see $log)"

pipeline() { # LABEL MODEL_FILE
  local work="$out/pipeline-$3"
  rm -rf "$work"
  mkdir -p "$work/config/recipes/models"
  cp station-app/core/src/main/resources/demo/station.yaml "$work/config/"
  cp station-app/core/src/main/resources/demo/recipes/bracket.yaml "$work/config/recipes/"
  cp "$2" "$work/config/recipes/models/"
  local name
  name="$(basename "$2")"
  if [ "$name" = bracket-defects.onnx ]; then
    cp "$2.eval.json" "$work/config/recipes/models/"
    sed -i "s|^  iou: 0.45|  iou: 0.45\n  provider: $provider|" "$work/config/recipes/bracket.yaml"
  else
    sed -i "s|^  path: models/bracket-defects.onnx|  path: models/$name\n  allowUnevaluated: true\n  provider: $provider|" \
      "$work/config/recipes/bracket.yaml"
  fi
  grep -q "provider: $provider" "$work/config/recipes/bracket.yaml" || fail "pipeline recipe for $1: provider not set"
  "$java" "${flags[@]}" -Djava.awt.headless=true -jar station-app/cli/target/linesight-station.jar run \
    --config "$work/config/station.yaml" --data-dir "$work/data" --parts "$parts" --rate "$rate" --headless --quiet \
    --no-remote-hmi >"$work/stdout.txt" 2>"$work/stderr.txt" || fail "pipeline $1 (see $work/stderr.txt)"
  local summary ran total timeouts
  summary="$(grep -E '^parts=' "$work/stdout.txt" | tail -1)"
  [ -n "$summary" ] || fail "pipeline $1: no summary line (see $work/stdout.txt)"
  ran="$(grep -o 'runs on [A-Za-z]*' "$work/stderr.txt" | sort | uniq -c | sed 's/ *\([0-9]*\) runs on /\1x /' | paste -sd' ')"
  total="$(echo "$summary" | sed -E 's/.*parts=([0-9]+).*/\1/')"
  timeouts="$(echo "$summary" | sed -E 's/.*timeouts=([0-9]+).*/\1/')"
  # the timer triggers at $rate Hz: parts decided on time per second of triggering
  local on_time
  on_time="$(awk -v p="$total" -v t="$timeouts" -v r="$rate" 'BEGIN { printf "%.1f", (p - t) * r / p }')"
  printf '| %s | %s | %s parts at %s Hz | %s | %s |\n' "$1" "${ran:-?}" "$total" "$rate" "$on_time" "$summary" >>"$out/pipeline.md"
  step "pipeline $1: $summary; on time $on_time parts/s; sessions: $ran"
}
: >"$out/pipeline.md"
step "whole pipeline: demo station, demo model"
pipeline "demo station + demo model" "$demo_model" demo
if [ -f "$yolo" ]; then
  step "whole pipeline: demo station, YOLOv8n"
  pipeline "demo station + YOLOv8n INT8 at 640" "$yolo" yolov8n
fi

{
  echo "### $(date -u +%Y-%m-%d) — $flavour flavour"
  echo
  echo "GPU: $gpu. CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') ($(nproc) cores), load average"
  echo "$(cut -d' ' -f1-3 /proc/loadavg) at the end. JDK: $("$java" -version 2>&1 | head -1). ONNX Runtime jar: $ort_jar."
  echo "Command: \`benchmarks/gpu/run.sh OUTDIR\` ($(($(date +%s) - started)) s including the build)."
  echo "Inference tests with provider $provider: $tests_status ($tests_line)."
  echo
  echo "| model | runs on | input | what | median ms | per s | runs | note |"
  echo "|---|---|---|---|---|---|---|---|"
  cat "$rows"
  echo
  echo "Anomaly model memory bank search (the ONNX graph that runs beside the backbone; random features, median of 7):"
  echo
  cat "$out/bank.md"
  echo
  echo "Whole pipeline (\`station run\` on the demo station: synthetic camera, 2 shots of 1280x1024, 7 rules, the model"
  echo "on shot \`bright\`, embedded broker, SQLite; trigger at ${rate} Hz, above what a CPU can do with YOLOv8n):"
  echo
  echo "| station | model sessions run on | parts | decided on time per s | summary |"
  echo "|---|---|---|---|---|"
  cat "$out/pipeline.md"
} >"$md"
step "done: $md"
cat "$md"
