#!/usr/bin/env bash
# Counter log: a day at one sample a minute of 1,000 processes (typeperf
# CSV of Handle Count and ID Process, one leaker, two restarts, noise)
# generated with countergen, then `leakdiag analyze` on it, best of
# COUNTER_RUNS runs, with peak RSS from /usr/bin/time -v. Sizes come from
# COUNTER_* environment variables.
set -euo pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

COUNTER_PROCESSES=${COUNTER_PROCESSES:-1000}
COUNTER_SAMPLES=${COUNTER_SAMPLES:-1440}
COUNTER_RUNS=${COUNTER_RUNS:-3}
COUNTER_TMPDIR=${COUNTER_TMPDIR:-${TMPDIR:-/tmp}}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tmp=$(mktemp -d "$COUNTER_TMPDIR/counterbench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

go build -o "$tmp/leakdiag" ./cmd/leakdiag
go build -o "$tmp/countergen" ./cmd/countergen
"$tmp/countergen" -processes "$COUNTER_PROCESSES" -samples "$COUNTER_SAMPLES" -leakers 1 -restarters 2 -noise 5 \
	-o "$tmp/handles.csv" 2>"$tmp/gen.txt"
echo "log: $(head -n 1 "$tmp/gen.txt"), $(nproc) cores"

best="" rss=""
for _ in $(seq 1 "$COUNTER_RUNS"); do
	if [[ -x /usr/bin/time ]]; then
		/usr/bin/time -v -o "$tmp/time.txt" "$tmp/leakdiag" analyze --fail-on never --format text="$tmp/report.txt" "$tmp/handles.csv"
		t=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$tmp/time.txt")
		r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
	else
		start=$(date +%s.%N)
		"$tmp/leakdiag" analyze --fail-on never --format text="$tmp/report.txt" "$tmp/handles.csv"
		t=$(echo "$(date +%s.%N) - $start" | bc)
		r=unknown
	fi
	if [[ -z $best ]] || (( $(echo "$t < $best" | bc) )); then best=$t rss=$r; fi
done
printf 'analyze: %.2f s wall (best of %d), peak RSS %s KB\n' "$best" "$COUNTER_RUNS" "$rss"
grep -m 1 '^#1 ' "$tmp/report.txt" || echo "FAIL: no finding"
tail -n 3 "$tmp/report.txt"
