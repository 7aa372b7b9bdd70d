#!/bin/sh
# `callq simulate` draws a progress bar on stderr when stderr is a terminal and the run lasts more
# than a second, and clears it before the report; with stderr not a terminal it prints nothing.
#   progress_bar.sh CALLQ SCENARIO
set -eu
callq=$1
scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# script(1) (util-linux, in every Debian) runs the command on a pseudo-terminal; stdout goes to a
# file so that only stderr is on the terminal.
script -qec "'$callq' simulate '$scenario' >'$tmp/report'" /dev/null >"$tmp/terminal" </dev/null
grep -q 'simulating \[#*\.*\] *[0-9]*%' "$tmp/terminal" || {
  echo "FAIL: no progress bar on the terminal:" >&2
  cat "$tmp/terminal" >&2
  exit 1
}
grep -q "queue 'q'" "$tmp/report"
# Cleared: the last thing on the terminal is the blanking of the bar's line.
[ -z "$(tail -c 62 "$tmp/terminal" | tr -d '\r ')" ] || {
  echo "FAIL: the progress bar was not cleared" >&2
  exit 1
}
"$callq" simulate "$scenario" >"$tmp/report2" 2>"$tmp/stderr"
if [ -s "$tmp/stderr" ]; then
  echo "FAIL: output on stderr when it is not a terminal:" >&2
  cat "$tmp/stderr" >&2
  exit 1
fi
cmp "$tmp/report" "$tmp/report2"
echo "progress_bar: drawn on a terminal, cleared, and absent otherwise"
