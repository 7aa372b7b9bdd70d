#!/bin/sh
# `callq simulate --json` and `callq erlang --json` name the shared figures alike, so a script can
# compare a simulated team with the formula.
#   json_keys.sh CALLQ
set -eu
callq=$1
sim=$("$callq" simulate config/demo-day.toml --json)
erl=$("$callq" erlang --rate 60 --aht 200 --agents 5 --patience 90 --json)
for key in p_wait asa_s service_level abandon_rate occupancy; do
  for out in "$sim" "$erl"; do
    case "$out" in
      *"\"$key\":"*) ;;
      *) echo "FAIL: \"$key\" missing from: $(echo "$out" | cut -c1-120)" >&2; exit 1 ;;
    esac
  done
done
echo "json_keys: both commands print p_wait, asa_s, service_level, abandon_rate, occupancy"
