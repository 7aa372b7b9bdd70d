#!/usr/bin/env bash
# make bench-store: starts a throwaway PostgreSQL (scripts/pg-test-server), runs bench_store on a
# SQLite file and on it, and stops it. The last line is
#   sqlite_events_per_s=N postgres_events_per_s=M
# Usage: bench/store_bench.sh BENCH_STORE WORKDIR [bench_store options...]
set -euo pipefail
bench=$1
work=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
trap '"$here/scripts/pg-test-server" stop "$work/pg" >/dev/null' EXIT
url=$("$here/scripts/pg-test-server" start "$work/pg")
"$bench" --sqlite "$work/bench.db" --postgres "$url" "$@"
