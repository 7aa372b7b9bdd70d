#!/bin/sh
# `callq simulate` twice on the same scenario must print the same report and write the same event
# log and chart, byte for byte; another seed must change them.
#   simulate_twice.sh CALLQ SCENARIO
set -eu
callq=$1
scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in 1 2; do
  "$callq" simulate "$scenario" --json --events "$tmp/events$run" --plot "$tmp/plot$run.svg" \
    >"$tmp/out$run"
done
cmp "$tmp/out1" "$tmp/out2"
cmp "$tmp/events1" "$tmp/events2"
cmp "$tmp/plot1.svg" "$tmp/plot2.svg"
test -s "$tmp/events1"
grep -q '"event":"CONNECT"' "$tmp/events1"
"$callq" simulate "$scenario" --json --seed 12345 >"$tmp/out3"
if cmp -s "$tmp/out1" "$tmp/out3"; then
  echo "FAIL: another seed gave the same result" >&2
  exit 1
fi
echo "simulate_twice: identical runs, and another seed differs"
