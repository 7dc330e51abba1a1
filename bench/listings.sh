#!/usr/bin/env bash
# listings.sh: leakdiag analyze on large generated Handle and lsof listings,
# the parallel reader (all cores) against the serial one (--read-workers 1),
# plain and gzip, in paired rounds; one table. See README.md.
#
#   bench/listings.sh                        # about 300 MB each, best of 3
#   MB=100 RUNS=5 bench/listings.sh
#   FORMATS="handle lsof" bench/listings.sh
#   LEAKDIAG=/path/to/leakdiag bench/listings.sh   # a binary built elsewhere
set -u -o pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

MB=${MB:-300}                                            # size of each listing, roughly (10^6 bytes)
RUNS=${RUNS:-3}                                          # rounds; the fastest run of each command counts
FORMATS=${FORMATS:-"handle lsof lsof-F handle-csv"}      # listinggen -format values
GZ=${GZ:-1}                                              # 0 skips the .gz rows
TIMEOUT=${TIMEOUT:-600}                                  # seconds one run may take
TMP=${LISTINGS_TMPDIR:-${TMPDIR:-/tmp}}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "$TMP/leakdiag-listings.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

if [ -z "${LEAKDIAG:-}" ]; then
	(cd "$root" && go build -o "$work/leakdiag" ./cmd/leakdiag) || { echo "FAIL: leakdiag does not build"; exit 1; }
	LEAKDIAG=$work/leakdiag
fi
(cd "$root" && go build -o "$work/listinggen" ./bench/listinggen) || { echo "FAIL: listinggen does not build"; exit 1; }
[ -x /usr/bin/time ] || { echo "listings.sh: /usr/bin/time not found" >&2; exit 2; }

fail=0
# measure NAME CMD...: runs CMD once and appends "NAME wall cpu rss_kb" to
# $work/runs.
measure() {
	local name=$1
	shift
	local t0 t1 rc
	t0=$(date +%s.%N)
	timeout "$TIMEOUT" /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/err"
	rc=$?
	t1=$(date +%s.%N)
	if [ $rc -ne 0 ]; then
		echo "FAIL: $name exited $rc: $(head -c 300 "$work/err")" >&2
		fail=1
		return
	fi
	read -r u s m < <(tail -n 1 "$work/time")
	echo "$name $(echo "$t1 - $t0" | bc) $(echo "$u + $s" | bc) $m" >>"$work/runs"
}

# best NAME: the fastest wall time of NAME, the CPU time of that run, and
# the largest peak RSS (MB).
best() {
	awk -v n="$1" '$1 == n { if (t == "" || $2 < t) { t = $2; c = $3 } if ($4 > m) m = $4 }
		END { if (t == "") print "- - -"; else printf "%.3f %.3f %d\n", t, c, m / 1024 }' "$work/runs"
}

# Handles per MB for each format, from the generator's line lengths.
per_mb() {
	case $1 in
	handle) echo 22900 ;;
	handle-csv) echo 13500 ;;
	lsof) echo 9600 ;;
	lsof-F) echo 17800 ;;
	lsof-F0) echo 17000 ;;
	*) echo 10000 ;;
	esac
}

printf '%s\n' "date $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load at start:$(uptime | sed 's/.*load average://')"
printf '%-11s %-26s %9s %8s %8s %8s %8s\n' "listing" "command" "wall s" "MB/s" "CPU s" "RSS MB" "speedup"
for format in $FORMATS; do
	handles=$((MB * $(per_mb "$format")))
	f=$work/$format.txt
	"$work/listinggen" -format "$format" -processes 3000 -handles "$handles" -seed 1 -o "$f" 2>/dev/null ||
		{ echo "FAIL: listinggen $format"; exit 1; }
	bytes=$(stat -c %s "$f")
	[ "$GZ" = 1 ] && gzip -1 -c "$f" >"$f.gz"
	: >"$work/runs"
	cat "$f" >/dev/null # into the page cache
	# Paired rounds: every command once a round, so a change of the
	# machine's load falls on all alike.
	for _ in $(seq "$RUNS"); do
		measure par "$LEAKDIAG" analyze --fail-on never -o /dev/null "$f"
		measure ser "$LEAKDIAG" analyze --read-workers 1 --fail-on never -o /dev/null "$f"
		if [ "$GZ" = 1 ]; then
			measure par-gz "$LEAKDIAG" analyze --fail-on never -o /dev/null "$f.gz"
			measure ser-gz "$LEAKDIAG" analyze --read-workers 1 --fail-on never -o /dev/null "$f.gz"
		fi
	done
	names="ser par"
	[ "$GZ" = 1 ] && names="$names ser-gz par-gz"
	for n in $names; do
		read -r t c rss < <(best $n)
		[ "$t" = "-" ] && { printf '%-11s %-26s %9s\n' "$format" "$n" "failed"; continue; }
		case $n in
		ser) label="serial reader" ;;
		par) label="parallel reader" ;;
		ser-gz) label=".gz, serial reader" ;;
		par-gz) label=".gz, parallel reader" ;;
		esac
		speed=""
		case $n in par*)
			read -r ts _ _ < <(best "ser${n#par}")
			[ "$ts" != "-" ] && speed=$(printf '%.2fx' "$(echo "$ts / $t" | bc -l)")
			;;
		esac
		printf '%-11s %-26s %9.3f %8.0f %8.3f %8s %8s\n' "$format" "$label" "$t" \
			"$(echo "$bytes / 1000000 / $t" | bc -l)" "$c" "$rss" "$speed"
	done
	rm -f "$f" "$f.gz"
done
echo "load at end:$(uptime | sed 's/.*load average://')"
exit $fail
