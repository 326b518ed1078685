#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Does the HMI slow inspection? The demo pipeline at a fixed trigger rate, in alternating runs:
#   headless  no HMI (the remote-HMI publisher is on, as it is by default, with nobody listening)
#   hmi       the HMI in the station's process (JavaFX on Xvfb, software rendering), default refresh (10 Hz)
#   hmi30     the same at the fastest refresh (--hmi-refresh 30)
#   remote    headless station + `station hmi` as a separate process attached through the broker
# Each run prints the station's own summary line (p50_ms, p99_ms over every part). Needs xvfb-run.
# Usage: benchmarks/scripts/hmi-overhead.sh [ROUNDS] [PARTS] [RATE_HZ]
set -euo pipefail
rounds=${1:-3}; parts=${2:-600}; rate=${3:-10}
cd "$(dirname "$0")/../.."
run() { # mode
  local d; d=$(mktemp -d)
  local cfg="--parts $parts --rate $rate --quiet --data-dir $d --seed 7"
  case $1 in
    headless) ./station demo --headless $cfg ;;
    hmi) xvfb-run -a -s "-screen 0 1280x800x24" ./station demo $cfg ;;
    hmi30) xvfb-run -a -s "-screen 0 1280x800x24" ./station demo --hmi-refresh 30 $cfg ;;
    remote)
      # the demo's embedded broker listens on 1883; the HMI process attaches to it once it is up
      # its own session, so that the whole group (xvfb-run, Xvfb, the JVM) can be stopped afterwards
      setsid xvfb-run -a -s "-screen 0 1280x800x24" bash -c "sleep 8; exec ./station hmi --broker tcp://127.0.0.1:1883 --line demo --station s1 --data-dir $d/hmi" \
        > "$d/hmi.log" 2>&1 &
      local hmi=$!
      ./station demo --headless $cfg
      kill -- -"$hmi" 2>/dev/null || true; wait "$hmi" 2>/dev/null || true
      if grep -q "Exception" "$d/hmi.log"; then echo "remote HMI failed:" >&2; tail -5 "$d/hmi.log" >&2; fi ;;
  esac 2>/dev/null | grep '^parts=' | sed "s/^/$1 /"
  rm -rf "$d"
}
for r in $(seq "$rounds"); do
  for mode in ${MODES:-headless hmi hmi30 remote}; do
    run "$mode"
  done
done
