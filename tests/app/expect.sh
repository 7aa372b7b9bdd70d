#!/bin/sh
# Runs a command and checks its exit code, stdout and stderr.
#   expect.sh EXIT STDOUT_TEXT STDERR_TEXT -- COMMAND [ARGS...]
# STDOUT_TEXT and STDERR_TEXT are fixed strings that must appear in the output ("" = no check).
set -u
if [ "$#" -lt 5 ] || [ "$4" != "--" ]; then
  echo "usage: expect.sh EXIT STDOUT_TEXT STDERR_TEXT -- COMMAND [ARGS...]" >&2
  exit 2
fi
want_exit=$1
want_out=$2
want_err=$3
shift 4

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$@" >"$tmp/out" 2>"$tmp/err"
got_exit=$?

failed=0
if [ "$got_exit" -ne "$want_exit" ]; then
  echo "FAIL: exit code $got_exit, expected $want_exit" >&2
  failed=1
fi
if [ -n "$want_out" ] && ! grep -qF -- "$want_out" "$tmp/out"; then
  echo "FAIL: stdout does not contain: $want_out" >&2
  failed=1
fi
if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$tmp/err"; then
  echo "FAIL: stderr does not contain: $want_err" >&2
  failed=1
fi
if [ "$failed" -ne 0 ]; then
  echo "command: $*" >&2
  echo "--- stdout" >&2
  cat "$tmp/out" >&2
  echo "--- stderr" >&2
  cat "$tmp/err" >&2
fi
exit "$failed"
