#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Does the HMI slow inspection? The demo pipeline at a fixed trigger rate, in alternating runs, all on one Mosquitto
# (so that no mode carries an embedded broker the others do not):
#   headless  no HMI (the remote-HMI publisher is on, as it is by default, with nobody listening)
#   hmi       the HMI in the station's process (JavaFX on Xvfb, software rendering), default refresh (10 Hz)
#   hmi30     the same at the fastest refresh (--hmi-refresh 30)
#   hmi2      the same at 2 refreshes a second (--hmi-refresh 2)
#   hmi-nice0 as hmi, with the HMI's threads left at the station's priority (-Dlinesight.hmi.nice=0; default 10)
#   remote    headless station + `station hmi` as a separate process at nice 10, attached before the first part
# Each run prints the station's own summary line (p50_ms, p99_ms over every part) and, read from its results database,
# p99_steady_ms: the p99 of the parts after the first WARMUP (default 100), once the JIT has compiled the pipeline.
# Needs xvfb-run, mosquitto and sqlite3.
# Usage: benchmarks/scripts/hmi-overhead.sh [ROUNDS] [PARTS] [RATE_HZ]      (MODES="headless hmi" to choose)
set -euo pipefail
rounds=${1:-3}; parts=${2:-600}; rate=${3:-10}; warmup=${WARMUP:-100}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
printf 'listener %d 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
url="tcp://127.0.0.1:$port"
run() { # mode
  local d; d=$(mktemp -d -p "$work")
  local cfg="--broker $url --parts $parts --rate $rate --quiet --data-dir $d --seed 7"
  case $1 in
    headless) ./station demo --headless $cfg ;;
    hmi) xvfb-run -a -s "-screen 0 1280x800x24" ./station demo $cfg ;;
    hmi30) xvfb-run -a -s "-screen 0 1280x800x24" ./station demo --hmi-refresh 30 $cfg ;;
    hmi2) xvfb-run -a -s "-screen 0 1280x800x24" ./station demo --hmi-refresh 2 $cfg ;;
    hmi-nice0) LINESIGHT_JAVA_OPTS=-Dlinesight.hmi.nice=0 xvfb-run -a -s "-screen 0 1280x800x24" ./station demo $cfg ;;
    remote)
      # its own session, so that the whole group (xvfb-run, Xvfb, the JVM) can be stopped afterwards
      setsid nice -n 10 xvfb-run -a -s "-screen 0 1280x800x24" ./station hmi --broker "$url" --line demo --station s1 \
        --data-dir "$d/hmi" > "$d/hmi.log" 2>&1 &
      local hmi=$!
      sleep 15 # the HMI's JVM and JavaFX are up and subscribed before the first part
      ./station demo --headless $cfg
      kill -- -"$hmi" 2>/dev/null || true; wait "$hmi" 2>/dev/null || true
      if grep -q "Exception" "$d/hmi.log"; then echo "remote HMI failed:" >&2; tail -5 "$d/hmi.log" >&2; fi ;;
  esac 2>/dev/null | grep '^parts=' | tr -d '\n' | sed "s/^/$1 /"
  # p99 by the nearest-rank rule over the parts after the warm-up
  sqlite3 "$d/results.db" "select latency_ms from verdicts where seq > $warmup order by latency_ms" \
    | awk '{v[NR] = $1} END {i = int(0.99 * NR); if (i < 1) i = 1; printf " p99_steady_ms=%.2f\n", v[i]}'
  rm -rf "$d"
}
for r in $(seq "$rounds"); do
  for mode in ${MODES:-headless hmi hmi30 remote}; do
    run "$mode"
  done
done
