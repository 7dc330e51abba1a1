#!/usr/bin/env bash
# Benchmarks leakdiag's reader against a mawk one-liner on a large synthetic
# kd capture (see bench/README.md). Usage: bench/kd.sh; sizes and repeats
# come from KD_* environment variables.
set -euo pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

KD_PROCESSES=${KD_PROCESSES:-4000}
KD_HANDLES=${KD_HANDLES:-3900000} # about 1 GB with the default processes
KD_SEED=${KD_SEED:-1}
KD_LEAKERS=${KD_LEAKERS:-1}
KD_LEAK_SHARE=${KD_LEAK_SHARE:-0.3}
KD_RUNS=${KD_RUNS:-3}
KD_SCALE=${KD_SCALE:-4}       # handle multiplier of the memory check's file; 0 skips it
KD_TIMEOUT=${KD_TIMEOUT:-600} # seconds one leakdiag or mawk run may take
KD_TMPDIR=${KD_TMPDIR:-${TMPDIR:-/tmp}}
KD_CALLGRIND=${KD_CALLGRIND:-1} # count instructions with valgrind, when installed

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

for tool in go mawk; do
	if ! command -v "$tool" >/dev/null; then
		echo "kd.sh: $tool not found" >&2
		exit 2
	fi
done

tmp=$(mktemp -d "$KD_TMPDIR/kdbench.XXXXXX")
# The captures are gigabytes: remove them however the script ends.
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Same conditions for both contenders: one core, and one Go thread running
# Go code, so the figure is per-core throughput and not the machine's.
pin=()
if command -v taskset >/dev/null; then
	pin=(taskset -c 0)
else
	echo "note: taskset not found, runs are not pinned to a core"
fi
export GOMAXPROCS=1
have_time=0
if [[ -x /usr/bin/time ]]; then
	have_time=1
else
	echo "note: /usr/bin/time not found, peak RSS unknown"
fi
# A reader that hangs must not hang the benchmark.
guard=()
if command -v timeout >/dev/null; then
	guard=(timeout -k 10 "$KD_TIMEOUT")
else
	echo "note: timeout not found, a hung run will hang the benchmark"
fi

echo "building ./cmd/kdgen and ./cmd/leakdiag"
go build -o "$tmp/kdgen" ./cmd/kdgen
leakdiag_ok=1
if ! go build -o "$tmp/leakdiag" ./cmd/leakdiag 2>"$tmp/build.log"; then
	leakdiag_ok=0
	echo "FAIL: leakdiag: go build ./cmd/leakdiag failed; its measurements are skipped:"
	sed 's/^/    /' "$tmp/build.log" | head -20
fi

# mb BYTES SECONDS prints the throughput in MB/s (10^6 bytes).
mb() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0) ? b / 1e6 / s : 0 }'; }
# kb_mb KB prints kilobytes as megabytes, or "unknown".
kb_mb() { if [[ $1 == unknown ]]; then echo unknown; else awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; fi; }

# generate FILE HANDLES writes a capture and prints its generation time.
generate() {
	local file=$1 handles=$2 secs
	TIMEFORMAT=%3R
	secs=$({ time "$tmp/kdgen" -processes "$KD_PROCESSES" -handles "$handles" -seed "$KD_SEED" \
		-leakers "$KD_LEAKERS" -leak-share "$KD_LEAK_SHARE" -o "$file" 2>"$tmp/kdgen.log"; } 2>&1) || {
		echo "kd.sh: kdgen failed:" >&2
		cat "$tmp/kdgen.log" >&2
		exit 1
	}
	local size
	size=$(stat -c %s "$file")
	echo "capture: $(mb "$size" 1) MB ($size bytes), $KD_PROCESSES processes, $handles handles," \
		"generated in ${secs}s ($(mb "$size" "$secs") MB/s)"
}

# measure LABEL RUNS CMD... runs CMD (stdout to /dev/null) up to RUNS times
# and sets best (seconds, the fastest run) and peak (KB, the largest RSS of
# any run, or "unknown"). It returns non-zero, after saying why, at the
# first run that fails.
measure() {
	local label=$1 runs=$2
	shift 2
	best='' peak=unknown
	local i rc secs rss
	TIMEFORMAT=%3R
	for ((i = 1; i <= runs; i++)); do
		rc=0
		if ((have_time)); then
			secs=$({ time "${guard[@]}" /usr/bin/time -f '%M' -o "$tmp/rss" "${pin[@]}" "$@" \
				>/dev/null 2>"$tmp/err"; } 2>&1) || rc=$?
		else
			secs=$({ time "${guard[@]}" "${pin[@]}" "$@" >/dev/null 2>"$tmp/err"; } 2>&1) || rc=$?
		fi
		if ((rc != 0)); then
			if ((rc == 124)); then
				echo "FAIL: $label: run $i timed out after ${KD_TIMEOUT}s"
			else
				echo "FAIL: $label: run $i exited with status $rc:"
			fi
			tail -n 20 "$tmp/err" | sed 's/^/    /'
			return 1
		fi
		if ((have_time)); then
			# A failing command adds a status line before the figure.
			rss=$(tail -n 1 "$tmp/rss")
			if [[ $peak == unknown ]] || ((rss > peak)); then peak=$rss; fi
		fi
		if [[ -z $best ]] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$secs
		fi
	done
}

status=0
file=$tmp/kd-1x.txt
generate "$file" "$KD_HANDLES"
size=$(stat -c %s "$file")

ld_speed='' ld_peak=unknown ldj_speed=''
if ((leakdiag_ok)); then
	# The text report parses everything the JSON does; the JSON run adds
	# encoding the snapshot.
	if measure "leakdiag facts" "$KD_RUNS" "$tmp/leakdiag" facts "$file"; then
		ld_speed=$(mb "$size" "$best")
		ld_peak=$peak
		echo "leakdiag facts: best ${best}s of $KD_RUNS, $ld_speed MB/s, peak RSS $(kb_mb "$ld_peak")"
	else
		leakdiag_ok=0
	fi
fi
if ((leakdiag_ok)); then
	if measure "leakdiag facts --json" "$KD_RUNS" "$tmp/leakdiag" facts --json "$file"; then
		ldj_speed=$(mb "$size" "$best")
		echo "leakdiag facts --json: best ${best}s of $KD_RUNS, $ldj_speed MB/s, peak RSS $(kb_mb "$peak")"
	else
		leakdiag_ok=0
	fi
fi
# The same with both cores, as users run it: the file is read ahead on one
# while the other parses. mawk has no use for a second core.
ld2_speed=''
if ((leakdiag_ok)); then
	saved_pin=("${pin[@]}")
	pin=()
	if GOMAXPROCS= measure "leakdiag facts (2 cores)" "$KD_RUNS" "$tmp/leakdiag" facts "$file"; then
		ld2_speed=$(mb "$size" "$best")
		echo "leakdiag facts, all cores: best ${best}s of $KD_RUNS, $ld2_speed MB/s, peak RSS $(kb_mb "$peak")"
	fi
	pin=("${saved_pin[@]}")
fi
if ((!leakdiag_ok)); then
	status=1
fi

# The baseline: counting handles per type is all the one-liner does, and
# it takes a type's last word ("Port" for "ALPC Port").
measure "mawk one-liner" "$KD_RUNS" mawk '/ Type: \(/{c[$NF]++} END{for(k in c) print k, c[k]}' "$file" || exit 1
mawk_speed=$(mb "$size" "$best")
echo "mawk one-liner: best ${best}s of $KD_RUNS, $mawk_speed MB/s, peak RSS $(kb_mb "$peak")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
if [[ -n $ld_speed ]]; then
	echo "speed ratio leakdiag facts / mawk: $(ratio "$ld_speed" "$mawk_speed")"
fi
if [[ -n $ldj_speed ]]; then
	echo "speed ratio leakdiag facts --json / mawk: $(ratio "$ldj_speed" "$mawk_speed")"
fi
if [[ -n $ld2_speed ]]; then
	echo "speed ratio leakdiag facts on all cores / mawk: $(ratio "$ld2_speed" "$mawk_speed")"
fi

# Wall time on a shared machine varies by tens of percent from run to run.
# Instruction counts do not: callgrind counts them on a smaller capture.
if ((leakdiag_ok && KD_CALLGRIND)) && command -v valgrind >/dev/null; then
	small=$tmp/kd-small.txt
	"$tmp/kdgen" -processes 300 -handles 80000 -seed "$KD_SEED" -o "$small" 2>/dev/null
	icount() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ { print $4 }'; }
	# Go preempts goroutines with signals, which callgrind can fail on
	# (an assertion in vgCallgrind_post_signal): off for the count.
	ld_ir=$(GOGC=off GODEBUG=asyncpreemptoff=1 icount "$tmp/leakdiag" facts "$small")
	mawk_ir=$(icount mawk '/ Type: \(/{c[$NF]++} END{for(k in c) print k, c[k]}' "$small")
	echo "instructions on a $(mb "$(stat -c %s "$small")" 1) MB capture (callgrind; leakdiag with GOGC=off):" \
		"leakdiag facts $ld_ir, mawk $mawk_ir, ratio mawk / leakdiag $(ratio "$mawk_ir" "$ld_ir")"
	rm -f -- "$small"
fi

# Memory must follow processes and names, not handles. A leak adds handles
# to names already held (or to anonymous objects): the second capture has
# the same processes and the same handles outside the leak, and KD_SCALE
# times the handles in all, the difference in the leakers. Its peak RSS
# should be about the first one's.
if ((leakdiag_ok && KD_SCALE > 0)); then
	rm -f -- "$file"
	file=$tmp/kd-${KD_SCALE}x.txt
	KD_LEAK_SHARE=$(awk -v s="$KD_LEAK_SHARE" -v k="$KD_SCALE" 'BEGIN { printf "%.6f", 1 - (1 - s) / k }') \
		generate "$file" $((KD_HANDLES * KD_SCALE))
	size4=$(stat -c %s "$file")
	if measure "leakdiag facts (${KD_SCALE}x handles)" 1 "$tmp/leakdiag" facts "$file"; then
		echo "leakdiag facts, ${KD_SCALE}x handles: ${best}s, $(mb "$size4" "$best") MB/s, peak RSS $(kb_mb "$peak")"
		echo "peak RSS: $(kb_mb "$ld_peak") at $KD_HANDLES handles, $(kb_mb "$peak") at $((KD_HANDLES * KD_SCALE)) handles"
	else
		status=1
	fi
fi

if ((status != 0)); then
	echo "FAIL: leakdiag could not be measured (see above)"
fi
exit "$status"
