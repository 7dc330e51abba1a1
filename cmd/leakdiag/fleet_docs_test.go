package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// fleetDoc reads docs/fleet.md and its fenced blocks of a language.
func fleetDoc(t *testing.T, lang string) []string {
	t.Helper()
	data, err := os.ReadFile("../../docs/fleet.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(string(data), -1) {
		out = append(out, m[1])
	}
	return out
}

// fleetWork is a scratch directory laid out as the examples expect:
// the bundled fleet as captures/, an empty reports/; the test runs in it.
func fleetWork(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs(fleetDir)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	if err := os.Symlink(abs, filepath.Join(work, "captures")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(work, "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	return work
}

// yamlDocs decodes every document of a YAML stream.
func yamlDocs(t *testing.T, src string) []map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(src))
	var docs []map[string]any
	for {
		var v map[string]any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("docs/fleet.md: a YAML example does not parse: %v\n%s", err, src)
		}
		docs = append(docs, v)
	}
}

// dig follows keys (strings) and indexes (ints) into decoded YAML.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// TestFleetDocKubernetes runs the Indexed Job of docs/fleet.md: each
// pod's leakdiag command with its JOB_COMPLETION_INDEX, the volumes as
// directories of a scratch directory, then the merge Job's.
func TestFleetDocKubernetes(t *testing.T) {
	var jobs []map[string]any
	for _, b := range fleetDoc(t, "yaml") {
		for _, d := range yamlDocs(t, b) {
			if d["kind"] == "Job" {
				jobs = append(jobs, d)
			}
		}
	}
	if len(jobs) != 2 {
		t.Fatalf("docs/fleet.md has %d Kubernetes Jobs, want the shards' and the merge's", len(jobs))
	}
	fleetWork(t)
	local := func(args []string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			a = strings.ReplaceAll(a, "/captures", "captures")
			out[i] = strings.ReplaceAll(a, "/reports/", "reports/")
		}
		return out
	}
	shardJob, mergeJob := jobs[0], jobs[1]
	if dig(shardJob, "spec", "completionMode") != "Indexed" {
		t.Fatalf("the first Job is not Indexed")
	}
	n := dig(shardJob, "spec", "completions").(int)
	cmd := strs(dig(shardJob, "spec", "template", "spec", "containers", 0, "command"))
	if cmd[0] != "leakdiag" || !strings.Contains(strings.Join(cmd, " "), fmt.Sprintf("--shard /%d", n)) {
		t.Fatalf("the shards' command %q is no leakdiag analyze --shard /%d", cmd, n)
	}
	for k := range n {
		t.Setenv(shardEnv, strconv.Itoa(k))
		args := local(cmd[1:])
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], "$("+shardEnv+")", strconv.Itoa(k))
		}
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("pod %d: %q exits %d: %s", k, args, code, stderr)
		}
	}
	cmd = strs(dig(mergeJob, "spec", "template", "spec", "containers", 0, "command"))
	code, stdout, stderr := runCLI(t, local(cmd[1:])...)
	if code != 0 {
		t.Fatalf("merge: %q exits %d: %s", cmd, code, stderr)
	}
	if want := fmt.Sprintf("(%d of %d shards)", n, n); !strings.Contains(stdout, want) || !strings.Contains(stdout, "LD0010 on 2 of 4 hosts") {
		t.Errorf("merge's log has not %q and the leak on 2 of 4 hosts:\n%.800s", want, stdout)
	}
	for _, f := range []string{"reports/fleet.html", "reports/fleet.jsonl"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("merge wrote no %s: %v", f, err)
		}
	}
}

// TestFleetDocGitHubActions runs the leakdiag commands of docs/fleet.md's
// workflow: each matrix job's, then the merge job's, in one scratch
// workspace (the artifacts' upload and download put the shards' reports
// in reports/, where they are already).
func TestFleetDocGitHubActions(t *testing.T) {
	var wf map[string]any
	for _, b := range fleetDoc(t, "yaml") {
		if d := yamlDocs(t, b); len(d) == 1 && d[0]["jobs"] != nil {
			wf = d[0]
		}
	}
	if wf == nil {
		t.Fatal("docs/fleet.md has no workflow")
	}
	fleetWork(t)
	lines := func(job string) []string {
		var out []string
		for _, s := range dig(wf, "jobs", job, "steps").([]any) {
			if run, ok := dig(s, "run").(string); ok {
				out = append(out, leakdiagLines(run)...)
			}
		}
		return out
	}
	matrix := dig(wf, "jobs", "shard", "strategy", "matrix", "shard").([]any)
	ran := 0
	for _, k := range matrix {
		for _, l := range lines("shard") {
			l = strings.ReplaceAll(l, "${{ matrix.shard }}", fmt.Sprint(k))
			if code, _, stderr := runCLI(t, strings.Fields(l)[1:]...); code != 0 {
				t.Fatalf("matrix shard %v: %q exits %d: %s", k, l, code, stderr)
			}
			ran++
		}
	}
	for _, l := range lines("merge") {
		l = strings.ReplaceAll(l, "$GITHUB_STEP_SUMMARY", "summary.md")
		if code, _, stderr := runCLI(t, strings.Fields(l)[1:]...); code != 0 {
			t.Fatalf("merge: %q exits %d: %s", l, code, stderr)
		}
		ran++
	}
	if ran != len(matrix)+1 {
		t.Fatalf("ran %d leakdiag commands, want one per matrix job and the merge", ran)
	}
	summary, err := os.ReadFile("summary.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("## Fleet\n\n5 captures of 4 hosts, from %d reports (%d of %d shards)", len(matrix), len(matrix), len(matrix)); !bytes.Contains(summary, []byte(want)) {
		t.Errorf("job summary has not %q first:\n%.600s", want, summary)
	}
}

// duckdbNode runs a query file with DuckDB's Node.js bindings
// (@duckdb/node-api, found through NODE_PATH) and prints CSV, as
// `duckdb -csv` does.
const duckdbNode = `const { DuckDBInstance } = require('@duckdb/node-api');
const sql = require('fs').readFileSync(process.argv[2], 'utf8');
(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const reader = await (await db.connect()).runAndReadAll(sql);
  console.log(reader.columnNames().join(','));
  for (const row of reader.getRowsJS()) console.log(row.map(String).join(','));
})().catch(e => { console.error(e.message); process.exit(1); });
`

// duckdbCommand is how this machine runs a DuckDB query file: the duckdb
// command, or node with @duckdb/node-api (the npm package ships the
// engine). Neither: "" and why.
func duckdbCommand(t *testing.T, query string) (*exec.Cmd, string) {
	t.Helper()
	q := filepath.Join(t.TempDir(), "query.sql")
	if err := os.WriteFile(q, []byte(query), 0o644); err != nil {
		t.Fatal(err)
	}
	if duck, err := exec.LookPath("duckdb"); err == nil {
		return exec.Command(duck, "-csv", "-f", q), ""
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, "no duckdb command and no node"
	}
	js := filepath.Join(filepath.Dir(q), "query.cjs")
	if err := os.WriteFile(js, []byte(duckdbNode), 0o644); err != nil {
		t.Fatal(err)
	}
	// NODE_PATH says where the package is; reading it here also makes
	// go test's cache depend on it.
	if err := exec.Command(node, "-e", "require('@duckdb/node-api')").Run(); err != nil {
		return nil, fmt.Sprintf("no duckdb command, and node cannot load @duckdb/node-api (NODE_PATH=%q: npm install it and set NODE_PATH to its node_modules)", os.Getenv("NODE_PATH"))
	}
	return exec.Command(node, js, q), ""
}

// TestFleetDuckDB runs docs/fleet.md's query with DuckDB over the shards'
// JSON Lines reports, and checks its ranking against the merge's fleet
// summary. Without DuckDB here (the duckdb command, or its Node.js
// package), it is skipped, and says so.
func TestFleetDuckDB(t *testing.T) {
	queries := fleetDoc(t, "sql")
	if len(queries) != 1 {
		t.Fatalf("docs/fleet.md has %d SQL queries, want 1", len(queries))
	}
	cmd, why := duckdbCommand(t, queries[0])
	if cmd == nil {
		t.Skip(why + ": the warehouse query of docs/fleet.md is not run")
	}
	cmd.Dir = fleetWork(t)
	for k := range 2 {
		if code, _, stderr := runCLI(t, "analyze", "--fail-on", "never", "--shard", fmt.Sprintf("%d/2", k),
			"--format", fmt.Sprintf("jsonl=reports/shard-%d.jsonl", k), "--format", fmt.Sprintf("json=shard-%d.json", k), "captures"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	code, stdout, stderr := runCLI(t, "merge", "--fail-on", "never", "--format", "json", "shard-0.json", "shard-1.json")
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	var merged struct {
		Fleet struct {
			Groups []struct {
				Component string
				Hosts     int
				Severity  string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &merged); err != nil {
		t.Fatal(err)
	}
	// The query ranks components by hosts among warnings and errors.
	hosts := map[string]int{}
	for _, g := range merged.Fleet.Groups {
		if g.Severity != "info" {
			hosts[g.Component] = max(hosts[g.Component], g.Hosts)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil || len(rows) != len(hosts)+1 {
		t.Fatalf("DuckDB gave %q (%v), want a header and %d rows", out, err, len(hosts))
	}
	if rows[0][0] != "component" || rows[0][2] != "hosts" {
		t.Fatalf("DuckDB's columns %q, want component, vendor, hosts, ...", rows[0])
	}
	for _, r := range rows[1:] {
		if n, err := strconv.Atoi(r[2]); err != nil || n != hosts[r[0]] {
			t.Errorf("DuckDB: %s on %s hosts; the fleet summary says %d", r[0], r[2], hosts[r[0]])
		}
	}
	t.Logf("%s:\n%s", cmd.Args[0], out)
}

// TestFleetDocSummary: the fleet summary docs/fleet.md shows is what a
// merge of the bundled fleet's shards prints (its versions aside).
func TestFleetDocSummary(t *testing.T) {
	blocks := fleetDoc(t, "text")
	if len(blocks) != 1 {
		t.Fatalf("docs/fleet.md has %d text blocks, want the fleet summary", len(blocks))
	}
	want := strings.Split(strings.TrimSpace(blocks[0]), "\n")
	dir := t.TempDir()
	t.Chdir("../..")
	var reports []string
	for k := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("s%d.json", k))
		if code, _, stderr := runCLI(t, "analyze", "--fail-on", "never", "--shard", fmt.Sprintf("%d/3", k), "--format", "json="+p, "testdata/fleet"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		reports = append(reports, p)
	}
	_, out, _ := runCLI(t, append([]string{"merge", "--fail-on", "never"}, reports...)...)
	got := strings.Split(out, "\n")
	if len(got) < len(want) {
		t.Fatalf("merge printed %d lines", len(got))
	}
	head := func(s string) string { s, _, _ = strings.Cut(s, "; leakdiag "); return s }
	if head(got[0]) != head(want[0]) {
		t.Errorf("first line %q, docs/fleet.md shows %q", got[0], want[0])
	}
	if diff := cmp.Diff(want[1:], got[1:len(want)]); diff != "" {
		t.Errorf("docs/fleet.md's fleet summary (-doc +merge):\n%s", diff)
	}
}
