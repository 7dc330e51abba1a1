#!/usr/bin/env bash
# Batch analysis: 200 generated captures (a third with a leak) analysed
# with --jobs 1 and --jobs 2; prints the wall times, the speedup and the
# combined summary. Sizes come from BATCH_* environment variables.
set -euo pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

BATCH_CAPTURES=${BATCH_CAPTURES:-200}
BATCH_PROCESSES=${BATCH_PROCESSES:-60}
BATCH_HANDLES=${BATCH_HANDLES:-40000} # about 10 MB a capture
BATCH_RUNS=${BATCH_RUNS:-3}
BATCH_TMPDIR=${BATCH_TMPDIR:-${TMPDIR:-/tmp}}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tmp=$(mktemp -d "$BATCH_TMPDIR/batchbench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

go build -o "$tmp/leakdiag" ./cmd/leakdiag
go build -o "$tmp/kdgen" ./cmd/kdgen
mkdir "$tmp/captures"
for i in $(seq 1 "$BATCH_CAPTURES"); do
	leak=()
	if (( i % 3 == 0 )); then
		leak=(-leakers 1 -leak-share 0.4 -leak-image "Agent$i.exe")
	else
		leak=(-leakers 0)
	fi
	"$tmp/kdgen" -processes "$BATCH_PROCESSES" -handles "$BATCH_HANDLES" -seed "$i" "${leak[@]}" \
		-o "$(printf '%s/captures/host%03d.txt' "$tmp" "$i")" >/dev/null
done
echo "captures: $BATCH_CAPTURES files, $(du -sm "$tmp/captures" | cut -f1) MB, $(nproc) cores"

best() { # best wall time of BATCH_RUNS runs of leakdiag analyze --jobs $1
	local best=""
	for _ in $(seq 1 "$BATCH_RUNS"); do
		local start end t
		start=$(date +%s.%N)
		"$tmp/leakdiag" analyze --jobs "$1" --fail-on never --format text="$tmp/out$1.txt" "$tmp/captures"
		end=$(date +%s.%N)
		t=$(echo "$end - $start" | bc)
		if [[ -z $best ]] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
	done
	echo "$best"
}
t1=$(best 1)
t2=$(best 2)
printf 'jobs 1: %.2f s\njobs 2: %.2f s\nspeedup: %.2fx\n' "$t1" "$t2" "$(echo "$t1 / $t2" | bc -l)"
cmp "$tmp/out1.txt" "$tmp/out2.txt" && echo "reports of --jobs 1 and 2: identical"
tail -n 1 "$tmp/out2.txt"
