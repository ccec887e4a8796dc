#!/usr/bin/env bash
# What importing github.com/goccy/go-graphviz would cost cmd/gw: binary
# size, and the start-up of every gw command (go-graphviz compiles its
# WebAssembly in a package init, whether or not anything is drawn), cold
# (empty compilation cache) and warm (cache in $TMPDIR/go-graphviz).
# Usage: bench/graphviz/size.sh    (needs the Go module proxy)
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -trimpath -o "$tmp/gw-base" ./cmd/gw
mkdir "$tmp/src"
git ls-files -z | xargs -0 cp --parents -t "$tmp/src"
(
  cd "$tmp/src"
  printf 'package main\n\nimport _ "github.com/goccy/go-graphviz"\n' > cmd/gw/graphviz_probe.go
  go get github.com/goccy/go-graphviz@v0.2.10 >/dev/null 2>&1
  go build -trimpath -o "$tmp/gw-graphviz" ./cmd/gw
)
base=$(stat -c %s "$tmp/gw-base")
with=$(stat -c %s "$tmp/gw-graphviz")
printf 'cmd/gw: %.1f MB; with go-graphviz imported: %.1f MB (+%.1f MB)\n' \
  "$(echo "$base/1000000" | bc -l)" "$(echo "$with/1000000" | bc -l)" "$(echo "($with-$base)/1000000" | bc -l)"
run() { # label, binary, tmpdir
  /usr/bin/time -f "$1: gw --version %e s wall, %U s user, %M KB max RSS" env TMPDIR="$3" "$2" --version >/dev/null
}
cache=$(mktemp -d -p "$tmp")
run "without go-graphviz      " "$tmp/gw-base" "$cache"
run "with, cold cache         " "$tmp/gw-graphviz" "$cache"
run "with, warm cache         " "$tmp/gw-graphviz" "$cache"
