#!/usr/bin/env bash
# What --record costs gw offline, end to end: per round each binary walks
# MODEL without and with --record (order rotating between rounds), and the
# medians of the per-round ratios are printed. With two binaries, also how
# the second's walk without a record compares with the first's.
#
# Usage: bench/recordpairs.sh ROUNDS MODEL BIN [BIN2]
#   e.g. go build -o /tmp/gw ./cmd/gw && bench/recordpairs.sh 16 examples/models/login.json /tmp/gw
# Environment: STEPS (default 2000000), RECORDS (record folder, default a
# temporary one; it is emptied before each run).
set -euo pipefail
rounds=$1 model=$2
bins=("$3" "${4:-}")
steps=${STEPS:-2000000}
records=${RECORDS:-$(mktemp -d)}

run() { # bin, record? → tenths of a millisecond
	rm -rf "$records"
	local extra=() s e
	[ "$2" = rec ] && extra=(--record "$records")
	s=$(date +%s%N)
	"$1" offline --seed 1 "${extra[@]}" -m "$model" "random(length($steps))" >/dev/null
	e=$(date +%s%N)
	echo $(((e - s) / 100000))
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{printf "%s (q1 %s, q3 %s)", a[int((NR+1)/2)], a[int((NR+3)/4)], a[int((3*NR+1)/4)]}'; }

declare -A plain rec ratio
cross=""
for i in $(seq "$rounds"); do
	for b in 0 1; do
		bin=${bins[$b]}
		[ -z "$bin" ] && continue
		if ((i % 2)); then p=$(run "$bin" plain); r=$(run "$bin" rec); else r=$(run "$bin" rec); p=$(run "$bin" plain); fi
		plain[$b]+="$p " rec[$b]+="$r "
		ratio[$b]+="$(echo "scale=4; $r/$p" | bc) "
	done
	[ -n "${bins[1]}" ] && cross+="$(echo "scale=4; $(echo "${plain[1]}" | awk '{print $NF}')/$(echo "${plain[0]}" | awk '{print $NF}')" | bc) "
done
for b in 0 1; do
	[ -z "${bins[$b]}" ] && continue
	echo "${bins[$b]}: without $(echo "${plain[$b]}" | median), with $(echo "${rec[$b]}" | median) (0.1 ms); with/without $(echo "${ratio[$b]}" | median)"
done
[ -n "${bins[1]}" ] && echo "${bins[1]} / ${bins[0]}, without a record: $(echo "$cross" | median)"
rm -rf "$records"
