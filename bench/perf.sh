#!/usr/bin/env bash
# perf.sh: leakdiag analyze against mawk and grep on generated kd captures
# whose leak adds distinct names, on all cores and on one, plain and gzip,
# with peak RSS; one table, every ratio from the same run. See README.md.
#
#   bench/perf.sh                      # 50, 550 and 1100 MB, best of 3
#   SIZES="50 550" RUNS=5 bench/perf.sh
#   SIZES= bench/perf.sh               # the rules row only
#   LEAKDIAG=/path/to/leakdiag bench/perf.sh   # measure a binary built elsewhere
#   BASE=/path/to/old/leakdiag bench/perf.sh   # and another in the same rounds
set -u -o pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

SIZES=${SIZES-"50 550 1100"}   # capture sizes in MB (10^6 bytes), roughly; empty: none
RUNS=${RUNS:-3}                # runs per command; the fastest counts
GZ=${GZ:-1}                    # 0 skips the .gz rows
RULES=${RULES:-1}              # 0 skips the rules row (it needs the Go toolchain)
RULES_RUNS=${RULES_RUNS:-20}   # engine runs per rules measurement
STARTUP=${STARTUP:-1}          # 0 skips the start-up rows
STARTUP_RUNS=${STARTUP_RUNS:-21} # runs of each start-up command; the median counts
TIMEOUT=${TIMEOUT:-600}        # seconds one run may take
TMP=${PERF_TMPDIR:-${TMPDIR:-/tmp}}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "$TMP/leakdiag-perf.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

fail=0
if [ -z "${LEAKDIAG:-}" ]; then
	(cd "$root" && go build -o "$work/leakdiag" ./cmd/leakdiag) || { echo "FAIL: leakdiag does not build"; exit 1; }
	LEAKDIAG=$work/leakdiag
fi
(cd "$root" && go build -o "$work/kdgen" ./cmd/kdgen) || { echo "FAIL: kdgen does not build"; exit 1; }

havetime=0
[ -x /usr/bin/time ] && havetime=1

# measure NAME CMD...: runs CMD once with its output to a file (not
# /dev/null: GNU grep stops at the first match when its output is
# /dev/null), and appends
# "NAME wall_seconds peak_rss_kb" to $work/runs.
measure() {
	local name=$1
	shift
	local t0 t1 rss=0 rc
	t0=$(date +%s.%N)
	if [ $havetime = 1 ]; then
		timeout "$TIMEOUT" /usr/bin/time -f '%M' -o "$work/rss" "$@" >"$work/out" 2>"$work/err"
		rc=$?
		rss=$(tail -n 1 "$work/rss" 2>/dev/null || echo 0)
	else
		timeout "$TIMEOUT" "$@" >"$work/out" 2>"$work/err"
		rc=$?
	fi
	t1=$(date +%s.%N)
	if [ $rc -ne 0 ]; then
		echo "FAIL: $name exited $rc: $(head -c 300 "$work/err")" >&2
		fail=1
		return
	fi
	echo "$name $(echo "$t1 - $t0" | bc) $rss" >>"$work/runs"
}

# best NAME: the fastest wall time of NAME, and the largest peak RSS.
best() {
	awk -v n="$1" '$1 == n { if (t == "" || $2 < t) t = $2; if ($3 > m) m = $3 } END { if (t == "") print "- -"; else printf "%.3f %d\n", t, m / 1024 }' "$work/runs"
}

MAWK_PROG='/ Type: \(/{c[$NF]++} END{for(k in c) print k, c[k]}'

printf '%s\n' "date $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load at start:$(uptime | sed 's/.*load average://')"
printf '%-6s %-28s %9s %9s %8s %9s\n' "MB" "command" "wall s" "MB/s" "RSS MB" "vs mawk"
for size in $SIZES; do
	handles=$((size * 3600))
	procs=$((handles / 1000))
	[ $procs -lt 200 ] && procs=200
	f=$work/cap-$size.txt
	"$work/kdgen" -processes $procs -handles $handles -seed 1 -leakers 1 -leak-share 0.3 \
		-leak-type File -leak-distinct -o "$f" 2>/dev/null || { echo "FAIL: kdgen $size MB"; exit 1; }
	bytes=$(stat -c %s "$f")
	if [ "$GZ" = 1 ]; then
		gzip -1 -c "$f" >"$f.gz"
	fi
	: >"$work/runs"
	cat "$f" >/dev/null # into the page cache
	# Paired runs: each round runs every command once, so a change of the
	# machine's load falls on all of them alike.
	for _ in $(seq "$RUNS"); do
		measure mawk mawk "$MAWK_PROG" "$f"
		measure grep grep -c ' Type: (' "$f"
		measure analyze "$LEAKDIAG" analyze --fail-on never "$f"
		measure analyze-1core env GOMAXPROCS=1 "$LEAKDIAG" analyze --fail-on never "$f"
		measure analyze-ser "$LEAKDIAG" analyze --read-workers 1 --fail-on never "$f"
		if [ -n "${BASE:-}" ]; then
			measure base-analyze "$BASE" analyze --fail-on never "$f"
			measure base-analyze-1core env GOMAXPROCS=1 "$BASE" analyze --fail-on never "$f"
		fi
		if [ "$GZ" = 1 ]; then
			measure mawk-gz bash -c 'gzip -dc "$1" | mawk "$2"' _ "$f.gz" "$MAWK_PROG"
			measure analyze-gz "$LEAKDIAG" analyze --fail-on never "$f.gz"
			measure analyze-gz-1core env GOMAXPROCS=1 "$LEAKDIAG" analyze --fail-on never "$f.gz"
			measure analyze-gz-ser "$LEAKDIAG" analyze --read-workers 1 --fail-on never "$f.gz"
			if [ -n "${BASE:-}" ]; then
				measure base-analyze-gz "$BASE" analyze --fail-on never "$f.gz"
			fi
		fi
	done
	read -r mawk_t _ < <(best mawk)
	read -r mawkgz_t _ < <(best mawk-gz)
	names="mawk grep analyze analyze-1core analyze-ser"
	[ -n "${BASE:-}" ] && names="$names base-analyze base-analyze-1core"
	[ "$GZ" = 1 ] && names="$names mawk-gz analyze-gz analyze-gz-1core analyze-gz-ser"
	[ "$GZ" = 1 ] && [ -n "${BASE:-}" ] && names="$names base-analyze-gz"
	for n in $names; do
		read -r t rss < <(best $n)
		[ "$t" = "-" ] && { printf '%-6s %-28s %9s\n' "$size" "$n" "failed"; continue; }
		ref=$mawk_t
		case $n in *gz*) ref=$mawkgz_t ;; esac
		label=$n
		case $n in
		mawk) label="mawk type count" ;;
		grep) label="grep -c" ;;
		analyze) label="analyze, all cores" ;;
		analyze-1core) label="analyze, GOMAXPROCS=1" ;;
		mawk-gz) label="gzip -dc | mawk" ;;
		analyze-gz) label="analyze .gz, all cores" ;;
		analyze-gz-1core) label="analyze .gz, GOMAXPROCS=1" ;;
		analyze-ser) label="analyze, serial reader" ;;
		analyze-gz-ser) label="analyze .gz, serial reader" ;;
		base-analyze) label="BASE analyze, all cores" ;;
		base-analyze-1core) label="BASE analyze, GOMAXPROCS=1" ;;
		base-analyze-gz) label="BASE analyze .gz, all cores" ;;
		esac
		[ $havetime = 1 ] || rss="?"
		printf '%-6s %-28s %9.3f %9.0f %8s %8.2fx\n' "$size" "$label" "$t" \
			"$(echo "$bytes / 1000000 / $t" | bc -l)" "$rss" "$(echo "$t / $ref" | bc -l)"
	done
	read -r a1 _ < <(best analyze-1core)
	read -r an _ < <(best analyze)
	read -r as _ < <(best analyze-ser)
	[ "$a1" != "-" ] && [ "$an" != "-" ] &&
		printf '%-6s %-28s %8.2fx\n' "$size" "cores speed-up (1 / all)" "$(echo "$a1 / $an" | bc -l)"
	[ "$as" != "-" ] && [ "$an" != "-" ] &&
		printf '%-6s %-28s %8.2fx\n' "$size" "serial / parallel reader" "$(echo "$as / $an" | bc -l)"
	rm -f "$f" "$f.gz"
done
# The default rules over the 10,000 processes of internal/benchsnap,
# beyond reading them (engine BenchmarkRun), on one core and on all: wall
# and CPU time per run.
if [ "$RULES" = 1 ]; then
	(cd "$root" && go test -run '^$' -bench '^BenchmarkRun$' -benchtime "${RULES_RUNS}x" -count "$RUNS" \
		-cpu "1,$(nproc)" ./engine) >"$work/rules" 2>&1 || { echo "FAIL: engine BenchmarkRun: $(tail -n 3 "$work/rules")"; fail=1; }
	# The best run per core count: "BenchmarkRun-2 20 41000000 ns/op ... 70.1 cpu-ms/op".
	awk '/^BenchmarkRun/ {
		cores = $1; sub(/.*-/, "", cores); if (cores == $1) cores = 1
		for (i = 3; i < NF; i++) { if ($(i+1) == "ns/op") ns = $i; if ($(i+1) == "cpu-ms/op") cpu = $i }
		if (!(cores in w) || ns < w[cores]) { w[cores] = ns; c[cores] = cpu }
	} END {
		for (k in w) printf "%-6s %-28s %9.1f ms wall %7.1f ms CPU\n", "rules", "10,000 processes, " k " core" (k == 1 ? "" : "s"), w[k] / 1e6, c[k]
	}' "$work/rules" | sort -k4n
fi
# Start-up: `--help`, and analyze of the bundled 180 KB kd example (a
# small capture: rules compiled, format detected, report written), the
# median wall time of STARTUP_RUNS runs, BASE in the same rounds.
if [ "$STARTUP" = 1 ]; then
	tiny=$root/testdata/examples/htrace-diff-contoso-hook-events.txt
	: >"$work/start"
	# wall NAME CMD...: appends "NAME microseconds" to $work/start
	# (bash's clock: no process started around the command's).
	wall() {
		local name=$1 t0 t1
		shift
		t0=${EPOCHREALTIME/[.,]/}
		"$@" >/dev/null 2>&1 || { echo "FAIL: $name exited $?" >&2; fail=1; }
		t1=${EPOCHREALTIME/[.,]/}
		echo "$name $((t1 - t0))" >>"$work/start"
	}
	# The floor: what bash's fork and exec of a program that does nothing
	# take on this machine, part of every row below.
	nothing=$(type -P true)
	for _ in $(seq "$STARTUP_RUNS"); do
		wall exec-floor "$nothing"
		wall help "$LEAKDIAG" --help
		wall tiny "$LEAKDIAG" analyze --fail-on never "$tiny"
		if [ -n "${BASE:-}" ]; then
			wall base-help "$BASE" --help
			wall base-tiny "$BASE" analyze --fail-on never "$tiny"
		fi
	done
	for n in exec-floor help tiny base-help base-tiny; do
		sort -k2n "$work/start" | awk -v n="$n" '$1 == n { v[++k] = $2 } END {
			if (k) printf "%-6s %-28s %9.1f ms wall (median of %d)\n", "start", n, v[int((k + 1) / 2)] / 1000, k
		}'
	done
fi
echo "load at end:$(uptime | sed 's/.*load average://')"
exit $fail
