#!/usr/bin/env bash
# A fleet: FLEET_CAPTURES generated captures (default 400) of FLEET_HOSTS
# hosts (default 200, two captures a day apart each), of which
# FLEET_LEAKY_HOSTS (default 12) run the same leaking component. Analysed
# once by one `analyze --jobs` process, then in FLEET_SHARDS (4) shards by
# as many processes at once and merged. Prints the wall time and peak RSS
# of each (and CPU time: the machine may be shared), the merge's time and
# peak RSS for several formats and for 4 times the reports, and checks
# that the merged JSON report is the single run's, fleet summary aside.
set -euo pipefail
# leakdiag is built as README.md's Installing section builds it: static,
# without cgo, unless CGO_ENABLED says otherwise.
export CGO_ENABLED=${CGO_ENABLED:-0}

FLEET_CAPTURES=${FLEET_CAPTURES:-400}
FLEET_HOSTS=${FLEET_HOSTS:-200}
FLEET_LEAKY_HOSTS=${FLEET_LEAKY_HOSTS:-12}
FLEET_SHARDS=${FLEET_SHARDS:-4}
FLEET_PROCESSES=${FLEET_PROCESSES:-30}
FLEET_HANDLES=${FLEET_HANDLES:-3000}        # a quiet capture, about 0.75 MB
FLEET_LEAK_HANDLES=${FLEET_LEAK_HANDLES:-16000} # a leaking one, about 4 MB
FLEET_JOBS=${FLEET_JOBS:-$(nproc)}
FLEET_TMPDIR=${FLEET_TMPDIR:-${TMPDIR:-/tmp}}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tmp=$(mktemp -d "$FLEET_TMPDIR/fleetbench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

go build -o "$tmp/leakdiag" ./cmd/leakdiag
go build -o "$tmp/kdgen" ./cmd/kdgen
L=$tmp/leakdiag

# Host h's captures are day 1 and day 2; hosts 0, k, 2k, ... leak (k =
# hosts / leaky hosts), all through one component, ContosoTelemetry.exe.
every=$(( FLEET_HOSTS / FLEET_LEAKY_HOSTS ))
for i in $(seq 0 $(( FLEET_CAPTURES - 1 ))); do
	h=$(( i % FLEET_HOSTS ))
	day=$(( i / FLEET_HOSTS + 1 ))
	host=$(printf 'srv-%03d' "$h")
	mkdir -p "$tmp/captures/$host"
	if (( h % every == 0 && h / every < FLEET_LEAKY_HOSTS )); then
		gen=(-handles "$FLEET_LEAK_HANDLES" -leakers 1 -leak-share 0.6 -leak-image ContosoTelemetry.exe)
	else
		gen=(-handles "$FLEET_HANDLES" -leakers 0)
	fi
	{
		printf 'Machine Name: %s\n' "$host"
		printf 'Debug session time: Mon Dec  %d 10:%02d:00.000 2026 (UTC + 0:00)\n' "$day" $(( h % 60 ))
		"$tmp/kdgen" -processes "$FLEET_PROCESSES" -seed "$(( i + 1 ))" "${gen[@]}" -o - 2>/dev/null
	} > "$tmp/captures/$host/day-$day.txt"
done
echo "captures: $FLEET_CAPTURES files of $FLEET_HOSTS hosts, $FLEET_LEAKY_HOSTS leaking, $(du -sm "$tmp/captures" | cut -f1) MB; $(nproc) cores"

# measure NAME CMD...: wall seconds and peak RSS (MB) into $tmp/NAME.time
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/$name.time" "$@" || {
		local rc=$?
		# 1: findings at --fail-on; merge exits 2 for problems it names.
		if (( rc != 1 )); then echo "FAIL: $name exits $rc" >&2; exit 1; fi
	}
}
show() { # NAME LABEL: wall time, CPU time (user + system), peak RSS
	# /usr/bin/time puts "Command exited with non-zero status N" first.
	read -r t kb u sy < <(tail -n 1 "$tmp/$1.time")
	printf '%-44s %7.2f s wall %7.2f s CPU %6d MB peak RSS\n' "$2" "$t" "$(echo "$u + $sy" | bc)" $(( kb / 1024 ))
}

# Warm the page cache, so that neither run pays the disk.
cat "$tmp"/captures/*/* > /dev/null

measure single "$L" analyze --jobs "$FLEET_JOBS" --fail-on never --format json="$tmp/all.json" --format jsonl="$tmp/all.jsonl" "$tmp/captures"
show single "one analyze --jobs $FLEET_JOBS"

mkdir "$tmp/reports"
start=$(date +%s.%N)
for k in $(seq 0 $(( FLEET_SHARDS - 1 ))); do
	measure "shard$k" "$L" analyze --jobs 1 --shard "$k/$FLEET_SHARDS" --fail-on never \
		--format json="$tmp/reports/shard-$k.json" --format jsonl="$tmp/reports/shard-$k.jsonl" "$tmp/captures" &
done
wait
end=$(date +%s.%N)
printf '%-44s %7.2f s\n' "$FLEET_SHARDS shard processes at once (--jobs 1 each)" "$(echo "$end - $start" | bc)"
for k in $(seq 0 $(( FLEET_SHARDS - 1 ))); do show "shard$k" "  shard $k/$FLEET_SHARDS"; done
cpu=0
for k in $(seq 0 $(( FLEET_SHARDS - 1 ))); do
	read -r _ _ u sy < <(tail -n 1 "$tmp/shard$k.time")
	cpu=$(echo "$cpu + $u + $sy" | bc)
done
printf '%-44s %7.2f s CPU\n' "  the $FLEET_SHARDS shards together" "$cpu"
echo "shard reports: $(du -cm "$tmp"/reports/*.json | tail -1 | cut -f1) MB JSON, $(du -cm "$tmp"/reports/*.jsonl | tail -1 | cut -f1) MB JSON Lines"

shards=()
for k in $(seq 0 $(( FLEET_SHARDS - 1 ))); do shards+=("$tmp/reports/shard-$k.json"); done
shardsl=()
for k in $(seq 0 $(( FLEET_SHARDS - 1 ))); do shardsl+=("$tmp/reports/shard-$k.jsonl"); done
measure merge_json "$L" merge --fail-on never --format json="$tmp/merged.json" "${shards[@]}"
show merge_json "merge to json (streams)"
measure merge_text "$L" merge --fail-on never --format text="$tmp/merged.txt" "${shards[@]}"
show merge_text "merge to text (streams)"
measure merge_md "$L" merge --fail-on never --format markdown="$tmp/merged.md" "${shards[@]}"
show merge_md "merge to markdown (streams, reads twice)"
measure merge_jsonl "$L" merge --fail-on never --format jsonl="$tmp/merged.jsonl" "${shardsl[@]}"
show merge_jsonl "merge of JSON Lines to jsonl (copies lines)"
measure merge_html "$L" merge --fail-on never --format html="$tmp/merged.html" "${shards[@]}"
show merge_html "merge to html (holds the reports)"

# Memory follows the groups, not the findings: the same shards given
# FLEET_REPEAT (4) times are FLEET_REPEAT times the findings in the same
# groups (each repeat named a duplicate: merge exits 2, and still writes).
FLEET_REPEAT=${FLEET_REPEAT:-4}
many=()
for r in $(seq 1 "$FLEET_REPEAT"); do
	for k in $(seq 0 $(( FLEET_SHARDS - 1 ))); do
		ln -s "$tmp/reports/shard-$k.json" "$tmp/reports/copy$r-$k.json"
		many+=("$tmp/reports/copy$r-$k.json")
	done
done
/usr/bin/time -f '%e %M %U %S' -o "$tmp/merge_many.time" "$L" merge --fail-on never --format json="$tmp/many.json" "${many[@]}" 2>/dev/null || true
show merge_many "merge to json of ${FLEET_REPEAT}x the reports (streams)"
/usr/bin/time -f '%e %M %U %S' -o "$tmp/merge_many_md.time" "$L" merge --fail-on never --format markdown="$tmp/many.md" "${many[@]}" 2>/dev/null || true
show merge_many_md "merge to markdown of ${FLEET_REPEAT}x the reports (streams)"
/usr/bin/time -f '%e %M %U %S' -o "$tmp/merge_many_html.time" "$L" merge --fail-on never --format html="$tmp/many.html" "${many[@]}" 2>/dev/null || true
show merge_many_html "merge to html of ${FLEET_REPEAT}x the reports (holds)"

# The merged report is the single run's, its fleet summary aside.
awk 'skip && /^  },$/ { skip = 0; next } /^  "fleet": \{$/ { skip = 1 } !skip' "$tmp/merged.json" > "$tmp/merged-nofleet.json"
if cmp -s "$tmp/all.json" "$tmp/merged-nofleet.json"; then
	echo "merged JSON = one analyze's JSON, byte for byte, fleet summary aside ($(wc -c < "$tmp/all.json") bytes)"
else
	echo "FAIL: the merged JSON differs from one analyze's" >&2
	diff "$tmp/all.json" "$tmp/merged-nofleet.json" | head -20 >&2
	exit 1
fi
grep -v '"kind":"fleet_group"' "$tmp/merged.jsonl" > "$tmp/merged-nofleet.jsonl"
if cmp -s "$tmp/all.jsonl" "$tmp/merged-nofleet.jsonl"; then
	echo "merged JSON Lines = one analyze's, byte for byte, fleet_group lines aside ($(wc -l < "$tmp/all.jsonl") lines)"
else
	echo "FAIL: the merged JSON Lines differ from one analyze's" >&2
	exit 1
fi
echo
sed -n '1,/^$/p' "$tmp/merged.txt" | cut -c1-160
