#!/usr/bin/env bash
# Peak memory of leakdiag on kd captures whose handles all name distinct
# objects (see bench/README.md): captures of DISTINCT_HANDLES and twice
# as many handles, held by one leaker or spread over the processes, each
# read by `facts --json` and `analyze --format json`. Prints peak RSS and
# the ratio of the larger capture's to the smaller's.
set -euo pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

DISTINCT_PROCESSES=${DISTINCT_PROCESSES:-200}
DISTINCT_HANDLES=${DISTINCT_HANDLES:-1000000}
DISTINCT_TIMEOUT=${DISTINCT_TIMEOUT:-1800} # seconds one run may take
DISTINCT_TMPDIR=${DISTINCT_TMPDIR:-${TMPDIR:-/tmp}}
DISTINCT_LEAKDIAG=${DISTINCT_LEAKDIAG:-} # a leakdiag binary to measure instead of this checkout's

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ ! -x /usr/bin/time ]]; then
	echo "distinct.sh: /usr/bin/time not found: it measures the peak RSS" >&2
	exit 2
fi
tmp=$(mktemp -d "$DISTINCT_TMPDIR/distinctbench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

go build -o "$tmp/distinctgen" ./bench/distinctgen
if [[ -n $DISTINCT_LEAKDIAG ]]; then
	cp -- "$DISTINCT_LEAKDIAG" "$tmp/leakdiag"
else
	go build -o "$tmp/leakdiag" ./cmd/leakdiag
fi

status=0
# rss CMD... runs CMD with its output discarded and prints its peak RSS
# in MB, or FAIL.
rss() {
	if ! timeout -k 10 "$DISTINCT_TIMEOUT" /usr/bin/time -f '%M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"; then
		echo FAIL
		return
	fi
	echo "scale=1; $(tail -n 1 "$tmp/time") / 1024" | bc
}

echo "$DISTINCT_PROCESSES processes; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in leaker spread; do
	flag=
	[[ $mode == leaker ]] && flag=-leaker
	declare -A got=()
	for n in "$DISTINCT_HANDLES" $((2 * DISTINCT_HANDLES)); do
		"$tmp/distinctgen" -processes "$DISTINCT_PROCESSES" -handles "$n" $flag -o "$tmp/c.txt"
		for cmd in "facts --json" "analyze --format json --fail-on never"; do
			# shellcheck disable=SC2086 # the command's words
			got[$n $cmd]=$(rss "$tmp/leakdiag" $cmd "$tmp/c.txt")
			[[ ${got[$n $cmd]} == FAIL ]] && status=1
		done
		rm -f -- "$tmp/c.txt"
	done
	for cmd in "facts --json" "analyze --format json --fail-on never"; do
		a=${got[$DISTINCT_HANDLES $cmd]} b=${got[$((2 * DISTINCT_HANDLES)) $cmd]}
		ratio=-
		[[ $a != FAIL && $b != FAIL ]] && ratio=$(echo "scale=2; $b / $a" | bc)
		printf '%-7s %-40s %9s MB at %s handles, %9s MB at %s: x%s\n' "$mode" "${cmd%% --fail-on*}" "$a" "$DISTINCT_HANDLES" "$b" $((2 * DISTINCT_HANDLES)) "$ratio"
	done
	unset got
done
exit $status
