#!/usr/bin/env bash
# Times `gw offline` end to end (process start, model load, walk, output)
# on the benchmark models. Prints one line per case: wall time, steps, steps/s.
# Usage: bench/offline.sh [runs]   (default 3 runs per case; best time shown)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
bin=$(mktemp -d)/gw
go build -o "$bin" ./cmd/gw
models=internal/machine/testdata

case_() { # name, args...
  local name=$1; shift
  local best="" steps=0
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    steps=$("$bin" offline --seed 1 "$@" | wc -l)
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  local rate=$(( best > 0 ? steps * 1000 / best : 0 ))
  printf '%-58s %8d ms %10d steps %12d steps/s\n' "$name" "$best" "$steps" "$rate"
}

case_ "random-1000x5000 random(length(2000000))"          -m $models/random-1000x5000.json "random(length(2000000))"
case_ "random-1000x5000-guards random(length(1000000))"   -m $models/random-1000x5000-guards.json "random(length(1000000))"
case_ "random-1000x5000 random(edge_coverage(100))"       -m $models/random-1000x5000.json "random(edge_coverage(100))"
case_ "random-1000x5000 quick_random(edge_coverage(100))" -m $models/random-1000x5000.json "quick_random(edge_coverage(100))"
case_ "SuperLarge a_star(reached_vertex(v_Graph152))"     -m $models/SuperLarge.json "a_star(reached_vertex(v_Graph152))"
case_ "SuperLarge random(edge_coverage(100))"             -m $models/SuperLarge.json "random(edge_coverage(100))"
case_ "parabank (10 models) --gw"                         -g $models/parabank.json
case_ "testinium (18 models) --gw"                        -g $models/testinium.json
