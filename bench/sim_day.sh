#!/usr/bin/env bash
# Simulator benchmark: one simulated day of a 1,000-agent centre (about 300,000 calls).
#   bench/sim_day.sh CALLQ OUT_DIR
# Writes the scenario to OUT_DIR/sim-day-1000.toml, runs `callq simulate --json` on it three
# times and prints the best wall time, and as its last line
#   sim_day_seconds=S calls=N events=M events_per_s=R
set -euo pipefail
callq=$1
out=$2
mkdir -p "$out"
scenario="$out/sim-day-1000.toml"

queues=20
agents=1000
per_queue=$((agents / queues))
{
  for ((a = 0; a < agents; a++)); do
    printf '[[agent]]\nid = "a%d"\nextension = "%d"\n' "$a" $((10000 + a))
  done
  strategies=(longest-idle fewest-calls round-robin least-talk-time random ring-all linear
    weighted-random)
  for ((q = 0; q < queues; q++)); do
    printf '[[queue]]\nname = "q%d"\nextension = "%d"\n' "$q" $((600 + q))
    printf 'strategy = "%s"\nwrap_up = 10\nring_time = 20\n' "${strategies[q % 8]}"
    printf 'members = [\n'
    # Its own 50 agents at level 0, and the next queue's 50 as back-up at level 1.
    for ((i = 0; i < per_queue; i++)); do
      printf '  { agent = "a%d", static = true },\n' $((q * per_queue + i))
    done
    next=$(((q + 1) % queues))
    for ((i = 0; i < per_queue; i++)); do
      printf '  { agent = "a%d", static = true, level = 1 },\n' $((next * per_queue + i))
    done
    printf ']\n'
  done
  printf '[simulation]\nduration = 86400\nseed = 1\nanswer_delay = 2\n'
  for ((q = 0; q < queues; q++)); do
    # 300,000 calls a day over 20 queues: 625 an hour each; 180 s handle + 10 s wrap-up.
    printf '[[simulation.arrivals]]\nqueue = "q%d"\nrate = 625\n' "$q"
    printf 'handle_time = { distribution = "lognormal", mean = 180, sd = 90 }\n'
    printf 'patience = { distribution = "exponential", mean = 120 }\n'
  done
} >"$scenario"

best=""
for run in 1 2 3; do
  start=$(date +%s.%N)
  "$callq" simulate "$scenario" --json >"$out/sim-day-1000.json"
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  echo "run $run: $(printf '%.2f' "$t") s" >&2
  if [[ -z "$best" ]] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
done
calls=$(grep -o '"calls":[0-9]*' "$out/sim-day-1000.json" | awk -F: 'NR == 1 { print $2 }')
events=$(grep -o '"events":[0-9]*' "$out/sim-day-1000.json" | awk -F: 'NR == 1 { print $2 }')
sl=$(grep -o '"service_level":[0-9.e-]*' "$out/sim-day-1000.json" | awk -F: 'NR == 1 { print $2 }')
echo "calls=$calls events=$events service_level=$sl" >&2
printf 'sim_day_seconds=%.2f calls=%s events=%s events_per_s=%.0f\n' "$best" "$calls" "$events" \
  "$(awk -v e="$events" -v t="$best" 'BEGIN { print e / t }')"
