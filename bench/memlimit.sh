#!/usr/bin/env bash
# leakdiag in a container with a memory limit (see bench/README.md): a
# kd capture's !process 0 0 listing of LIMIT_PROCESSES processes (every
# process a header, as a capture of zombies by the hundred thousand is)
# analyzed in a memory cgroup of LIMIT_MB MiB, by this checkout's
# leakdiag and, if given, by BASE (one that does not read its container's
# limit). Prints for each whether the kernel killed it, its wall time and
# peak RSS.
#
# It makes a cgroup, so it runs as root on Linux with cgroup v2 (the
# memory controller enabled for children of /sys/fs/cgroup) or cgroup v1
# (/sys/fs/cgroup/memory); elsewhere it says so and exits 2.
set -euo pipefail
export CGO_ENABLED=${CGO_ENABLED:-0}

LIMIT_MB=${LIMIT_MB:-640}
LIMIT_PROCESSES=${LIMIT_PROCESSES:-500000}
LIMIT_SEED=${LIMIT_SEED:-1}
LIMIT_TMPDIR=${LIMIT_TMPDIR:-${TMPDIR:-/tmp}}
LEAKDIAG=${LEAKDIAG:-} # a leakdiag binary to measure instead of this checkout's
BASE=${BASE:-}         # another leakdiag binary, measured alike

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ ! -x /usr/bin/time ]]; then
	echo "memlimit.sh: /usr/bin/time not found: it measures the peak RSS" >&2
	exit 2
fi

# A cgroup of our own, v2 if the memory controller is there, else v1.
cg=""
if [[ -w /sys/fs/cgroup/cgroup.subtree_control ]] && grep -qw memory /sys/fs/cgroup/cgroup.subtree_control; then
	cg=/sys/fs/cgroup/leakdiag-memlimit.$$
	mkdir "$cg"
	echo $((LIMIT_MB << 20)) >"$cg/memory.max"
	echo 0 >"$cg/memory.swap.max" 2>/dev/null || true
elif [[ -w /sys/fs/cgroup/memory ]]; then
	cg=/sys/fs/cgroup/memory/leakdiag-memlimit.$$
	mkdir "$cg"
	echo $((LIMIT_MB << 20)) >"$cg/memory.limit_in_bytes"
else
	echo "memlimit.sh: no writable memory cgroup (run as root on Linux with cgroup v1 or v2)" >&2
	exit 2
fi

tmp=$(mktemp -d "$LIMIT_TMPDIR/memlimit.XXXXXX")
trap 'rm -rf -- "$tmp"; rmdir "$cg" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

go build -o "$tmp/kdgen" ./cmd/kdgen
if [[ -n $LEAKDIAG ]]; then
	cp -- "$LEAKDIAG" "$tmp/leakdiag"
else
	go build -o "$tmp/leakdiag" ./cmd/leakdiag
fi

"$tmp/kdgen" -processes "$LIMIT_PROCESSES" -handles "$((LIMIT_PROCESSES * 10))" -seed "$LIMIT_SEED" -o "$tmp/kd.txt" 2>/dev/null
awk '/kd> !handle/ { exit } { print }' "$tmp/kd.txt" >"$tmp/capture.txt"
rm -f -- "$tmp/kd.txt"
echo "capture: $(stat -c %s "$tmp/capture.txt") bytes, $LIMIT_PROCESSES processes; cgroup $cg, limit $LIMIT_MB MiB; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# run LABEL BINARY analyzes the capture in the cgroup, GOMEMLIMIT unset.
run() {
	local label=$1 bin=$2 rc=0
	(
		unset GOMEMLIMIT GOGC
		echo "$BASHPID" >"$cg/cgroup.procs"
		exec /usr/bin/time -f '%M %e' -o "$tmp/time" "$bin" analyze --fail-on never -o /dev/null "$tmp/capture.txt"
	) 2>/dev/null || rc=$?
	local kb secs
	read -r kb secs < <(tail -n 1 "$tmp/time")
	if ((rc == 137)) || grep -q 'signal 9' "$tmp/time"; then
		printf '%-10s killed (out of memory) after %6.1f s, peak RSS %6.1f MB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
	elif ((rc != 0)); then
		printf '%-10s exit status %d\n' "$label" "$rc"
	else
		printf '%-10s completed in %6.1f s, peak RSS %6.1f MB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
	fi
}
run leakdiag "$tmp/leakdiag"
if [[ -n $BASE ]]; then
	run base "$BASE"
fi
