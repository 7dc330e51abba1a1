package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fleetDir is the small fleet of bundled captures: five captures of four
// hosts, three with a leak, and a README that is no capture.
const fleetDir = "../../testdata/fleet"

func TestParseShard(t *testing.T) {
	env := func(v string) func(string) string {
		return func(name string) string {
			if name != shardEnv {
				t.Errorf("getenv(%q), want %s", name, shardEnv)
			}
			return v
		}
	}
	for _, tc := range []struct {
		spec, env string
		want      shardSpec
		err       string
	}{
		{spec: "0/4", want: shardSpec{0, 4}},
		{spec: "3/4", want: shardSpec{3, 4}},
		{spec: "/4", env: "2", want: shardSpec{2, 4}},
		{spec: "/4", err: "JOB_COMPLETION_INDEX, which is not set"},
		{spec: "/4", env: "4", err: `JOB_COMPLETION_INDEX "4" is not a shard index from 0 to 3`},
		{spec: "/4", env: "x", err: `JOB_COMPLETION_INDEX "x"`},
		{spec: "4/4", err: `K "4" is not a shard index from 0 to 3`},
		{spec: "-1/4", err: "not a shard index"},
		{spec: "1/0", err: "not a number of parts"},
		{spec: "1", err: "want K/N"},
	} {
		got, err := parseShard(tc.spec, env(tc.env))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseShard(%q) with %q: error %v, want one with %q", tc.spec, tc.env, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseShard(%q) with %q = %v, %v, want %v", tc.spec, tc.env, got, err, tc.want)
		}
	}
}

// TestShardHash pins the hash docs/fleet.md names, so that a worker
// built from another version splits as this one: FNV-1a, 64 bits, of
// the slash-separated path relative to the argument, modulo N.
func TestShardHash(t *testing.T) {
	// FNV-1a 64 of "a" is af63dc4c8601ec8c (the FNV reference values).
	const fnvA = 0xaf63dc4c8601ec8c
	for _, n := range []int{1, 2, 3, 7, 1000} {
		if got, want := shardOf("a", n), int(uint64(fnvA)%uint64(n)); got != want {
			t.Errorf("shardOf(a, %d) = %d, want %d", n, got, want)
		}
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "host-1")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(sub, "x.txt")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{dir}, "host-1/x.txt"},
		{[]string{dir + string(filepath.Separator)}, "host-1/x.txt"},
		{[]string{"./a/../b.txt"}, "b.txt"},
	} {
		files, err := shardFiles(tc.args)
		if err != nil || len(files) != 1 || files[0].key != tc.want {
			t.Errorf("shardFiles(%q) = %+v, %v; want the key %q", tc.args, files, err, tc.want)
		}
	}
}

// batchJSON is what the tests read of a JSON batch report.
type batchJSON struct {
	Skipped []struct{ Path string }
	Shard   *struct {
		Index, Count, Inputs int
		Order                []int
		Leakdiag             string `json:"leakdiag_version"`
		Rules                string `json:"rules_version"`
	}
	Reports []struct {
		Summary struct {
			Sources []struct{ Path string }
		}
	}
}

func readBatchJSON(t *testing.T, path string) batchJSON {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b batchJSON
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

// shards runs analyze --shard k/n over the fleet for every k, and returns
// the reports' paths, in format (json or jsonl).
func shards(t *testing.T, dir string, n int, format string, extra ...string) []string {
	t.Helper()
	var paths []string
	for k := range n {
		p := filepath.Join(dir, fmt.Sprintf("shard-%d.%s", k, format))
		args := append([]string{"analyze", "--fail-on", "never", "--shard", fmt.Sprintf("%d/%d", k, n), "--format", format + "=" + p}, extra...)
		if code, _, stderr := runCLI(t, append(args, fleetDir)...); code != 0 {
			t.Fatalf("analyze --shard %d/%d: exit %d: %s", k, n, code, stderr)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestShardsSplitTheCaptures(t *testing.T) {
	dir := t.TempDir()
	// Every file the argument names, README.md (no capture) among them.
	all, err := walkCaptures(fleetDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 8} {
		var got []string
		for k, p := range shards(t, dir, n, "json") {
			b := readBatchJSON(t, p)
			if b.Shard == nil || b.Shard.Index != k || b.Shard.Count != n || b.Shard.Inputs != len(all) ||
				b.Shard.Leakdiag == "" || !strings.HasPrefix(b.Shard.Rules, "sha256:") {
				t.Fatalf("%s: shard %+v, want %d/%d of %d files with the versions", p, b.Shard, k, n, len(all))
			}
			var names []string
			for _, r := range b.Reports {
				names = append(names, r.Summary.Sources[0].Path)
			}
			for _, f := range b.Skipped {
				names = append(names, f.Path)
			}
			if len(names) != len(b.Shard.Order) {
				t.Fatalf("%s: order of %d, for %d reports and skipped files", p, len(b.Shard.Order), len(names))
			}
			for i, name := range names {
				if pos := b.Shard.Order[i]; all[pos] != name {
					t.Errorf("%s: order says %s is file %d, which is %s", p, name, pos, all[pos])
				}
			}
			got = append(got, names...)
		}
		sort.Strings(got)
		if diff := cmp.Diff(all, got); diff != "" {
			t.Errorf("%d shards: the files, every one once (-want +got):\n%s", n, diff)
		}
	}
}

func TestShardFromJobCompletionIndex(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(shardEnv, "1")
	p := filepath.Join(dir, "s.json")
	if code, _, stderr := runCLI(t, "analyze", "--fail-on", "never", "--shard", "/2", "--format", "json="+p, fleetDir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b := readBatchJSON(t, p); b.Shard == nil || b.Shard.Index != 1 || b.Shard.Count != 2 {
		t.Errorf("shard %+v, want 1/2", b.Shard)
	}
	t.Setenv(shardEnv, "")
	code, _, stderr := runCLI(t, "analyze", "--shard", "/2", fleetDir)
	if code != 2 || !strings.Contains(stderr, "JOB_COMPLETION_INDEX") {
		t.Errorf("--shard /2 without %s: exit %d, %q; want 2 and the variable named", shardEnv, code, stderr)
	}
	code, _, stderr = runCLI(t, "analyze", "--shard", "0/2", "--series", fleetDir)
	if code != 2 || !strings.Contains(stderr, "series") {
		t.Errorf("--shard with --series: exit %d, %q; want 2 and why", code, stderr)
	}
}

// withoutFleet leaves a report's fleet summary out, in the format's form:
// the one part of a merged report that one analyze has not.
func withoutFleet(t *testing.T, format, s string) string {
	t.Helper()
	switch format {
	case "json":
		start := strings.Index(s, "\n  \"fleet\": {")
		end := strings.Index(s, "\n  },\n  \"reports\"")
		if start < 0 || end < 0 {
			t.Fatalf("merged JSON without a fleet summary:\n%.400s", s)
		}
		return s[:start] + s[end+len("\n  },"):]
	case "jsonl":
		var keep []string
		for _, l := range strings.SplitAfter(s, "\n") {
			if !strings.Contains(l, `"kind":"fleet_group"`) {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "")
	case "text":
		if !strings.HasPrefix(s, "Fleet: ") {
			t.Fatalf("merged text without a fleet summary first:\n%.400s", s)
		}
		return s[strings.Index(s, "\n\n")+2:]
	case "markdown":
		start := strings.Index(s, "## Fleet\n")
		end := strings.Index(s, "\n\n| capture |")
		if start < 0 || end < 0 {
			t.Fatalf("merged Markdown without a fleet section:\n%.400s", s)
		}
		head := s[:start]
		body := s[start:end]
		rest := s[end:]
		// The totals line follows the fleet section.
		i := strings.LastIndex(body, "\n\n")
		return head + body[i+2:] + rest
	}
	return s
}

// TestMergeIsOneAnalyze is the promise of a sharded run: the merge of
// the shards' reports is the report of one analyze over every capture,
// byte for byte, its fleet summary aside.
func TestMergeIsOneAnalyze(t *testing.T) {
	dir := t.TempDir()
	formats := []string{"json", "jsonl", "text", "markdown", "sarif", "junit"}
	args := []string{"analyze", "--fail-on", "never"}
	for _, f := range formats {
		args = append(args, "--format", f+"="+filepath.Join(dir, "all."+f))
	}
	if code, _, stderr := runCLI(t, append(args, fleetDir)...); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	for _, in := range []string{"json", "jsonl"} {
		reports := shards(t, dir, 3, in)
		for _, f := range formats {
			if in == "jsonl" && f != "jsonl" {
				continue
			}
			out := filepath.Join(dir, "merged-from-"+in+"."+f)
			code, _, stderr := runCLI(t, append([]string{"merge", "--fail-on", "never", "--format", f + "=" + out}, reports...)...)
			if code != 0 {
				t.Fatalf("merge %s into %s: exit %d: %s", in, f, code, stderr)
			}
			want, _ := os.ReadFile(filepath.Join(dir, "all."+f))
			got, _ := os.ReadFile(out)
			if diff := cmp.Diff(string(want), withoutFleet(t, f, string(got))); diff != "" {
				t.Errorf("merge of %s shards as %s differs from one analyze (-analyze +merge):\n%s", in, f, diff)
			}
		}
	}
	// A merge of merged reports (one "shard" of the whole) gives the
	// same again.
	m := filepath.Join(dir, "merged-from-json.json")
	again := filepath.Join(dir, "again.json")
	if code, _, stderr := runCLI(t, "merge", "--fail-on", "never", "--format", "json="+again, m); code != 0 {
		t.Fatalf("merge of a merge: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(m)
	b, _ := os.ReadFile(again)
	if diff := cmp.Diff(withoutFleet(t, "json", string(a)), withoutFleet(t, "json", string(b))); diff != "" {
		t.Errorf("merge of a merge (-merge +again):\n%s", diff)
	}
}

func TestMergeFleetSummary(t *testing.T) {
	dir := t.TempDir()
	reports := shards(t, dir, 2, "json")
	code, stdout, stderr := runCLI(t, append([]string{"merge", "--format", "json"}, reports...)...)
	if code != 1 {
		t.Fatalf("merge with warnings: exit %d, want 1 (--fail-on warning): %s", code, stderr)
	}
	var got struct {
		Fleet struct {
			Reports, Captures, Hosts int
			Shards                   string
			Groups                   []struct {
				Component, Image string
				RuleID           string `json:"rule_id"`
				Hosts, Captures  int
				FirstSeen        string   `json:"first_seen"`
				LastSeen         string   `json:"last_seen"`
				CaptureList      []string `json:"capture_list"`
			}
			Problems []string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	f := got.Fleet
	// web-01 twice, WEB-02 (the same host name, case aside, counts once
	// per host), db-01, db-02.
	if f.Reports != 2 || f.Captures != 5 || f.Hosts != 4 || f.Shards != "2 of 2 shards" || len(f.Problems) != 0 {
		t.Errorf("fleet %+v, want 2 reports, 5 captures of 4 hosts, 2 of 2 shards, no problem", f)
	}
	if len(f.Groups) == 0 {
		t.Fatal("no fleet groups")
	}
	g := f.Groups[0]
	if g.Hosts != 2 || g.Captures != 3 || g.RuleID != "LD0010" || g.FirstSeen != "2026-12-01T10:00:00Z" || g.LastSeen != "2026-12-03T10:00:00Z" || len(g.CaptureList) != 3 {
		t.Errorf("first group %+v, want LD0010 (the error) on 2 hosts, 3 captures, seen 2026-12-01 to 12-03", g)
	}
	_, text, _ := runCLI(t, append([]string{"merge", "--fail-on", "never"}, reports...)...)
	if want := "contosohook: LD0010 on 2 of 4 hosts"; !strings.Contains(strings.SplitN(text, "\n\n", 2)[0], want) {
		t.Errorf("text summary first, with %q:\n%.600s", want, text)
	}
}

func TestMergeNamesProblems(t *testing.T) {
	dir := t.TempDir()
	reports := shards(t, dir, 3, "json")
	for _, tc := range []struct {
		name   string
		inputs []string
		want   []string
	}{
		{"a shard missing", reports[:2], []string{"2 of 3 shards: missing 2/3"}},
		{"a shard twice", []string{reports[0], reports[1], reports[2], reports[1]}, []string{"shard 1/3 is given twice", "is in " + reports[1] + " and in " + reports[1]}},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"merge", "--fail-on", "never"}, tc.inputs...)...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2", tc.name, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) || !strings.Contains(stdout, w) {
				t.Errorf("%s: %q not in the report and on standard error:\n%s\n%s", tc.name, w, stderr, stdout)
			}
		}
	}
	// Other rules in one shard.
	data, _ := os.ReadFile(reports[2])
	other := strings.Replace(string(data), `"rules_version": "sha256:`, `"rules_version": "sha256:0000`, 1)
	p := filepath.Join(dir, "other-rules.json")
	os.WriteFile(p, []byte(other), 0o644)
	_, _, stderr := runCLI(t, "merge", "--fail-on", "never", reports[0], reports[1], p)
	if !strings.Contains(stderr, "reports of different rules: sha256:") {
		t.Errorf("mixed rules not named: %s", stderr)
	}
}

func TestMergeRefusesBadReports(t *testing.T) {
	dir := t.TempDir()
	reports := shards(t, dir, 1, "json")
	jl := shards(t, filepath.Join(dir), 1, "jsonl")
	data, _ := os.ReadFile(reports[0])
	lines, _ := os.ReadFile(jl[0])
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	single := filepath.Join(dir, "one.json")
	runCLI(t, "analyze", "--fail-on", "never", "--format", "json="+single, "../../testdata/examples/htrace-diff-contoso-hook-events.txt")
	ls := strings.SplitAfter(string(lines), "\n")
	for _, tc := range []struct{ name, path, want string }{
		{"cut short", write("cut.json", string(data[:len(data)/2])), "cut.json:"},
		{"not JSON", write("junk.json", "{\"schema_version\": 1,\n \"reports\": [ nope"), "junk.json:2:"},
		{"other schema", write("v2.json", `{"schema_version": 2, "reports": []}`), "schema_version 2"},
		{"one capture's report", single, "a report of one capture"},
		{"unknown field", write("odd.json", `{"schema_version": 1, "odd": 1}`), `unknown field "odd"`},
		{"JSONL cut short", write("cut.jsonl", strings.Join(ls[:len(ls)-2], "")), "no batch line"},
		{"JSONL junk line", write("junk.jsonl", ls[0]+"not json\n"+strings.Join(ls[1:], "")), "junk.jsonl:2: not a JSON object"},
		{"JSONL unknown kind", write("kind.jsonl", ls[0]+`{"schema_version":1,"kind":"odd"}`+"\n"), `kind.jsonl:2: unknown kind "odd"`},
	} {
		code, _, stderr := runCLI(t, "merge", tc.path)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", tc.name, code, stderr, tc.want)
		}
	}
	code, _, stderr := runCLI(t, "merge", "--format", "html", jl[0])
	if code != 2 || !strings.Contains(stderr, "--format html: JSON Lines reports are flat") {
		t.Errorf("JSONL into HTML: exit %d, %q; want 2 and why", code, stderr)
	}
	code, _, stderr = runCLI(t, "merge", reports[0], jl[0])
	if code != 2 || !strings.Contains(stderr, "one format at a time") {
		t.Errorf("JSON with JSONL: exit %d, %q; want 2 and why", code, stderr)
	}
}

// TestMergeKeepsFailedCaptures: a capture that cannot be read is in the
// merged report where one analyze puts it, and the merge exits 2 for it
// as analyze does.
func TestMergeKeepsFailedCaptures(t *testing.T) {
	dir := t.TempDir()
	caps := filepath.Join(dir, "captures")
	for _, f := range []string{"web-01/2026-12-01.txt.gz", "db-01/2026-12-01.txt", "db-02/2026-12-01.txt"} {
		data, err := os.ReadFile(filepath.Join(fleetDir, f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(caps, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, data, 0o644)
	}
	// gzip's magic, then garbage: kept as a capture, and unreadable.
	os.WriteFile(filepath.Join(caps, "broken.txt.gz"), []byte("\x1f\x8b\x08\x00garbage"), 0o644)
	for _, format := range []string{"json", "jsonl"} {
		all := filepath.Join(dir, "all."+format)
		if code, _, stderr := runCLI(t, "analyze", "--fail-on", "never", "--format", format+"="+all, caps); code != 2 {
			t.Fatalf("analyze: exit %d, want 2 for the broken capture: %s", code, stderr)
		}
		var reports []string
		for k := range 3 {
			p := filepath.Join(dir, fmt.Sprintf("s%d.%s", k, format))
			runCLI(t, "analyze", "--fail-on", "never", "--shard", fmt.Sprintf("%d/3", k), "--format", format+"="+p, caps)
			reports = append(reports, p)
		}
		out := filepath.Join(dir, "merged."+format)
		code, _, stderr := runCLI(t, append([]string{"merge", "--fail-on", "never", "--format", format + "=" + out}, reports...)...)
		if code != 2 || !strings.Contains(stderr, "1 capture could not be analysed") {
			t.Errorf("merge: exit %d, %q; want 2 and the capture counted", code, stderr)
		}
		want, _ := os.ReadFile(all)
		got, _ := os.ReadFile(out)
		if !strings.Contains(string(want), "broken.txt.gz") {
			t.Fatalf("analyze's %s report does not name the broken capture", format)
		}
		if diff := cmp.Diff(string(want), withoutFleet(t, format, string(got))); diff != "" {
			t.Errorf("%s: merge differs from one analyze (-analyze +merge):\n%s", format, diff)
		}
	}
}

// FuzzMergeReaders: whatever a report file holds, the merge's readers
// return an error or a result, and never panic.
func FuzzMergeReaders(f *testing.F) {
	f.Add([]byte(`{"schema_version":1,"kind":"shard","index":0,"count":2,"inputs":1,"order":[0]}` + "\n" +
		`{"schema_version":1,"kind":"summary","capture":"a","findings":0}` + "\n" + `{"schema_version":1,"kind":"batch"}` + "\n"))
	f.Add([]byte(`{"schema_version": 1, "shard": {"index": 0, "count": 1, "inputs": 1, "order": [0]}, "reports": [{"schema_version": 1}], "failed": [], "skipped": [], "summary": {}}`))
	f.Add([]byte(`{"schema_version":1,"kind":"finding","severity":"warning","capture":"a"}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		for _, name := range []string{"r.jsonl", "r.json"} {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := readMerge([]string{p})
			if err == nil && m.head.Fleet == nil {
				t.Errorf("%s: no error and no fleet summary", name)
			}
		}
	})
}

// TestMergeNamesASeriesSplit: captures that all name one host are a
// series to one analyze; shards analyse each alone, and the merge says
// so.
func TestMergeNamesASeriesSplit(t *testing.T) {
	dir := t.TempDir()
	caps := filepath.Join(dir, "captures")
	os.Mkdir(caps, 0o755)
	for _, f := range []string{"2026-12-01.txt.gz", "2026-12-03.txt.gz"} {
		data, err := os.ReadFile(filepath.Join(fleetDir, "web-01", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(caps, f), data, 0o644)
	}
	var reports []string
	for k := range 2 {
		p := filepath.Join(dir, fmt.Sprintf("s%d.json", k))
		if code, _, stderr := runCLI(t, "analyze", "--fail-on", "never", "--shard", fmt.Sprintf("%d/2", k), "--format", "json="+p, caps); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		reports = append(reports, p)
	}
	code, _, stderr := runCLI(t, append([]string{"merge", "--fail-on", "never", "--format", "json"}, reports...)...)
	if code != 2 || !strings.Contains(stderr, "every capture names host web-01: one analyze reads them as a series") {
		t.Errorf("exit %d, %q; want 2 and the series named", code, stderr)
	}
}
