#!/usr/bin/env bash
# Peak memory of leakdiag on a capture of many processes (see
# bench/README.md): a generated snapshot JSON of MEM_PROCESSES processes
# and, with MEM_KD=1, a kd capture of as many and its !process 0 0
# listing alone, each read by `facts --json`, `facts` and `analyze
# --format json`. Prints peak RSS, wall time and a digest of each output
# (equal digests: equal outputs, so two versions of leakdiag can be
# compared byte for byte).
set -euo pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

MEM_PROCESSES=${MEM_PROCESSES:-500000}
MEM_SEED=${MEM_SEED:-1}
MEM_KD=${MEM_KD:-0}                # 1 also measures a kd capture
MEM_KD_HANDLES=${MEM_KD_HANDLES:-} # default: 10 per process
MEM_TIMEOUT=${MEM_TIMEOUT:-1800}   # seconds one run may take
MEM_TMPDIR=${MEM_TMPDIR:-${TMPDIR:-/tmp}}
MEM_LEAKDIAG=${MEM_LEAKDIAG:-} # a leakdiag binary to measure instead of this checkout's

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ ! -x /usr/bin/time ]]; then
	echo "mem.sh: /usr/bin/time not found: it measures the peak RSS" >&2
	exit 2
fi

tmp=$(mktemp -d "$MEM_TMPDIR/membench.XXXXXX")
# The captures are gigabytes: remove them however the script ends.
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

go build -o "$tmp/snapgen" ./bench/snapgen
go build -o "$tmp/kdgen" ./cmd/kdgen
if [[ -n $MEM_LEAKDIAG ]]; then
	cp -- "$MEM_LEAKDIAG" "$tmp/leakdiag"
else
	go build -o "$tmp/leakdiag" ./cmd/leakdiag
fi

status=0
# measure LABEL CMD... runs CMD once with its output to a file and prints
# its peak RSS, wall time and the output's digest.
measure() {
	local label=$1 rc=0
	shift
	timeout -k 10 "$MEM_TIMEOUT" /usr/bin/time -f '%M %e' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if ((rc != 0)); then
		echo "FAIL: $label: exit status $rc:"
		tail -n 5 "$tmp/err" | sed 's/^/    /'
		status=1
		return
	fi
	local kb secs sum
	read -r kb secs < <(tail -n 1 "$tmp/time")
	sum=$(sha256sum "$tmp/out" | cut -c1-16)
	printf '%-40s peak RSS %7.1f MB  %7.1f s  output %s (%s bytes)\n' "$label" "$(echo "$kb / 1024" | bc -l)" "$secs" "$sum" "$(stat -c %s "$tmp/out")"
	rm -f -- "$tmp/out"
}

# run_all FILE KIND measures the three commands on FILE, which is in
# $tmp: they run there and name it by its base name, so that the outputs,
# which give its path, do not change with the name of $tmp.
run_all() {
	local file=${1##*/} kind=$2
	cd "$tmp"
	measure "$kind: facts --json" "$tmp/leakdiag" facts --json "$file"
	measure "$kind: facts" "$tmp/leakdiag" facts "$file"
	measure "$kind: analyze --format json" "$tmp/leakdiag" analyze --format json --fail-on never "$file"
	cd "$root"
}

file=$tmp/snapshot.json
"$tmp/snapgen" -processes "$MEM_PROCESSES" -seed "$MEM_SEED" -o "$file"
echo "snapshot: $(stat -c %s "$file") bytes, $MEM_PROCESSES processes; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run_all "$file" snapshot
rm -f -- "$file"

if ((MEM_KD)); then
	file=$tmp/kd.txt
	handles=${MEM_KD_HANDLES:-$((MEM_PROCESSES * 10))}
	"$tmp/kdgen" -processes "$MEM_PROCESSES" -handles "$handles" -seed "$MEM_SEED" -o "$file" 2>/dev/null
	echo "kd capture: $(stat -c %s "$file") bytes, $MEM_PROCESSES processes, $handles handles; load $(cut -d' ' -f1-3 /proc/loadavg)"
	run_all "$file" kd
	# Its !process 0 0 listing alone: every process a header without
	# handles, as a capture of zombies by the hundred thousand is.
	awk '/kd> !handle/ { exit } { print }' "$file" >"$tmp/kd-headers.txt"
	rm -f -- "$file"
	echo "kd !process 0 0 listing alone: $(stat -c %s "$tmp/kd-headers.txt") bytes; load $(cut -d' ' -f1-3 /proc/loadavg)"
	run_all "$tmp/kd-headers.txt" kd-headers
	rm -f -- "$tmp/kd-headers.txt"
fi
exit "$status"
