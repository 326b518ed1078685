#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Coverage-guided fuzzing (Jazzer) of every @FuzzTest target, one after another; docs/RELIABILITY.md.
#
#   benchmarks/scripts/fuzz.sh [DURATION] [MODULE:Class#method ...]
#
# DURATION is per target, in Jazzer's syntax (30s, 10m, 1h); 45s is the short run CI can afford, 30m the longer run.
# Without targets, every target listed below runs. Each target is its own Maven run (Jazzer fuzzes one @FuzzTest per
# JVM). Prints one line per target: executions, seconds, corpus size (inputs that reached new code, kept in
# MODULE/.cifuzz-corpus/, not committed) and findings (inputs that broke the contract, written to the test's Inputs
# folder under src/test/resources, where every plain build replays them: commit them with the fix).
# Exits 1 when a target failed or found something; logs are in target/fuzz/.
#
# FUZZ_BUDGET_S=N (what CI sets): fuzz for DURATION each, but start no target once N seconds have passed or the
# next one would pass them (judged by the slowest target so far: most of a target's time is Maven and Jazzer's
# start-up). The list starts at a place chosen by the commit, so successive commits fuzz every target in turn; the
# targets left out are printed as "not run (budget)". Every plain build still replays every target's inputs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

duration="${1:-45s}"
if [ $# -gt 0 ]; then shift; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    "config:io.linesight.config.fuzz.LoaderFuzzTest#recipe"
    "config:io.linesight.config.fuzz.LoaderFuzzTest#station"
    "camera-drivers/camera-sim:io.linesight.camera.sim.replay.GreyDecoderFuzzTest#decode"
    "inference/inference-onnx:io.linesight.inference.onnx.FrameImagesFuzzTest#read"
    "station-app/core:io.linesight.station.plc.PlcCommandsFuzzTest#command"
    "station-app/core:io.linesight.station.plc.JournalFuzzTest#journal"
    "station-app/core:io.linesight.station.store.SpoolFuzzTest#spool"
  )
fi

budget="${FUZZ_BUDGET_S:-}"
if [ -n "$budget" ] && [ ${#targets[@]} -gt 1 ]; then
  # rotate the list by the commit, so that a budget too small for every target still reaches each of them in turn
  head=$(git rev-parse --short=8 HEAD 2>/dev/null || echo 0)
  start=$(( 16#$head % ${#targets[@]} ))
  targets=("${targets[@]:$start}" "${targets[@]:0:$start}")
fi

for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25*; do
  if [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "25'; then
    export JAVA_HOME="$d"; break
  fi
done

logs=target/fuzz
mkdir -p "$logs"
echo "fuzzing ${#targets[@]} target(s), $duration each; $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-62s %11s %5s %7s %7s %9s %s\n' target executions s exec/s corpus findings result
status=0
began=$SECONDS
slowest=0
for t in "${targets[@]}"; do
  module="${t%%:*}"
  test="${t#*:}"
  class="${test%%#*}"
  method="${test#*#}"
  if [ -n "$budget" ] && [ $((SECONDS - began + slowest)) -gt "$budget" ]; then
    printf '%-62s %11s %5s %7s %7s %9s %s\n' "${class##*.}#$method" - - - - - "not run (budget ${budget}s)"
    continue
  fi
  t0=$SECONDS
  log="$logs/${class##*.}-$method.log"
  inputs="$module/src/test/resources/${class//.//}Inputs/$method"
  before=$(find "$inputs" -maxdepth 1 -type f 2>/dev/null | wc -l)
  result=ok
  if ! nice -n 15 ./mvnw -B -ntp -Pfuzz -Dfuzz.duration="$duration" -pl "$module" -am test -Dtest="$test" \
      -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    result="FAILED (see $log)"
    status=1
  fi
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  runs=$(echo "$done_line" | awk '{print $2}')
  secs=$(echo "$done_line" | awk '{print $5}')
  rate=$([ -n "$runs" ] && [ "${secs:-0}" -gt 0 ] && echo $((runs / secs)) || echo -)
  corpus=$(find "$module/.cifuzz-corpus/$class/$method" -maxdepth 1 -type f 2>/dev/null | wc -l)
  after=$(find "$inputs" -maxdepth 1 -type f 2>/dev/null | wc -l)
  printf '%-62s %11s %5s %7s %7s %9s %s\n' "${class##*.}#$method" "${runs:--}" "${secs:--}" "$rate" "$corpus" \
    "$((after - before))" "$result ($((SECONDS - t0)) s in all)"
  slowest=$(( SECONDS - t0 > slowest ? SECONDS - t0 : slowest ))
done
echo "fuzzing took $((SECONDS - began)) s"
exit $status
