package reporters_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/reporters"
	"github.com/leakdiag/leakdiag/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const capture = "capture.txt"

// reportRules are a small realistic rule set: a handle-count warning, a
// registry-key error scored by its key's handles, a process-scope info
// rule scored under 1 (so --top cuts it), a capture-scope info rule, a rule
// that fails for one process, and an owner.
const reportRules = `params:
  threshold: 250
rules:
  - id: T0001
    title: Process holds an abnormal number of handles
    when: process.handles > params.threshold
    severity: warning
    message: >-
      {{.process.image}} (pid {{.process.pid}}) holds {{count .process.handles}} handles,
      over {{count .params.threshold}}; {{.process.dominant_type}} makes up {{percent .process.dominant_share}} of them.
    remediation: Confirm the count grows over time, then enable !htrace on the process.
    references: [https://learn.microsoft.com/en-us/windows-hardware/drivers/debuggercmds/-htrace]
    tags: [handle-count]
  - id: T0002
    title: One registry key dominates the process's handles
    lang: expr
    when: process.top_name.type == "Key" && process.top_name.count * 2 > process.handles_parsed
    score: process.top_name.count
    severity: error
    message: '{{count .process.top_name.count}} of {{count .process.handles_parsed}} handles are to {{.process.top_name.name}}'
    tags: [registry]
  - id: T0003
    title: Mostly unnamed events
    severity: info
    when: '"Event" in process.unnamed_by_type && process.unnamed_by_type["Event"] * 2 > process.handles_parsed'
    score: process.dominant_share / 2.0
  - id: T0004
    title: Handles per thread
    when: process.image == "notepad.exe" && process.handles / process.threads > 1
  - id: T0009
    title: Some capture lines were not recognized
    scope: snapshot
    severity: info
    when: snapshot.unrecognized > 0
    message: '{{.snapshot.unrecognized}} of {{count .snapshot.lines}} lines were not recognized.'
owners:
  - match: {object_name: '\REGISTRY\MACHINE\SOFTWARE\Contoso\*'}
    component: Contoso Agent
    vendor: Contoso Ltd.
    contact: support@contoso.example
`

type hs struct {
	typ, name string
	n         int
}

type proc struct {
	addr  string
	pid   uint64
	image string
	line  int64
	count int64
	hs    []hs
}

// reportSnapshot is a capture of five processes, one leaking registry
// handles, read from a source with a few unrecognized lines.
func reportSnapshot() *facts.Snapshot {
	b := facts.NewBuilder()
	b.SetHost("SRV-APP-07", "Windows Server 2019 (17763)", "Mon Mar  3 10:15:02.123 2025 (UTC + 1:00)")
	for _, p := range []proc{
		{"ffffa8812b0e2080", 0x2c4, "svchost.exe", 40, 280, []hs{{"Event", "", 280}}},
		{"ffffa8812b1f3080", 0x3a0, "svchost.exe", 400, 300, []hs{{"Event", "", 200}, {"Key", `\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\Tcpip\Parameters`, 100}}},
		{"ffffa8812c4e1080", 0x1f4, "ContosoAgent.exe", 800, 1200, []hs{
			{"Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`, 1000},
			{"Event", "", 150},
			{"File", `\ProgramData\Contoso\Agent\agent.log {HarddiskVolume3}`, 50}}},
		{"ffffa8812d5f2080", 0x7d0, "syncsvc.exe", 2100, 600, []hs{{"File", `\Program Files\Fabrikam\Sync\state.db {HarddiskVolume3}`, 400}, {"Event", "", 200}}},
		{"ffffa8812e603080", 0x1000, "notepad.exe", 2800, 0, []hs{{"Event", "", 20}}},
	} {
		pb := b.Process(p.addr, facts.Position{Path: capture, Line: p.line})
		pb.P.PID, pb.P.Image = p.pid, p.image
		if p.count > 0 {
			c := p.count
			pb.P.HandleCount = &c
		}
		value, line := uint64(4), p.line
		for _, h := range p.hs {
			for i := 0; i < h.n; i++ {
				line++
				hd := &facts.Handle{Value: value, Type: h.typ, Name: h.name, Naming: facts.Unnamed, Pos: facts.Position{Path: capture, Line: line}}
				if h.name != "" {
					hd.Naming = facts.Named
				}
				pb.AddHandle(hd)
				value += 4
			}
		}
	}
	log := facts.NewSourceLog(capture, "kd")
	log.Lines = facts.LineCounts{Total: 3000, Parsed: 2400, Ignored: 590, Unrecognized: 10}
	log.Diag(2950, facts.SevWarning, facts.CodeUnrecognized, "unrecognized line %q", "Fatal: garbled output")
	b.AddSource(log)
	return b.Snapshot()
}

// top cuts reportRules' nine findings to six: the error, four warnings and
// the capture's info finding stay; the process info findings go.
const top = 6

func loadRules(t *testing.T, src string) *rules.Set {
	t.Helper()
	set, err := rules.Load([]rules.Source{{Path: "site.yaml", Data: []byte(src)}})
	if err != nil {
		t.Fatalf("rules.Load: %v", err)
	}
	return set
}

func runEngine(t *testing.T, set *rules.Set, snap *facts.Snapshot, opts engine.Options) *engine.Report {
	t.Helper()
	rep, err := engine.Run(context.Background(), set, snap, opts)
	if err != nil {
		t.Fatalf("engine.Run: %v", err)
	}
	return rep
}

// fixedReport is the report the golden files show.
func fixedReport(t *testing.T) *engine.Report {
	t.Helper()
	rep := runEngine(t, loadRules(t, reportRules), reportSnapshot(), engine.Options{Top: top})
	// The fixture must be what it claims to be, or the golden files
	// show something else.
	if len(rep.Findings) != top || rep.Summary.FindingsTotal != 9 {
		t.Fatalf("fixture: %d findings of %d, want %d of 9", len(rep.Findings), rep.Summary.FindingsTotal, top)
	}
	if f := rep.Findings[0]; f.RuleID != "T0002" || f.Component.InferredFrom != "owner:object_name" {
		t.Fatalf("fixture: first finding %s attributed from %s, want T0002 from owner:object_name", f.RuleID, f.Component.InferredFrom)
	}
	if f := rep.Findings[top-1]; f.RuleID != "T0009" || f.Process != nil {
		t.Fatalf("fixture: last finding kept is %s, want the capture's T0009", f.RuleID)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].RuleID != "T0004" {
		t.Fatalf("fixture: errors %+v, want T0004 failing for notepad.exe", rep.Errors)
	}
	return rep
}

// emptyReport is a run of no rules over a capture of no processes.
func emptyReport(t *testing.T) *engine.Report {
	t.Helper()
	set, err := rules.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	return runEngine(t, set, facts.NewBuilder().Snapshot(), engine.Options{})
}

func write(t *testing.T, format string, color bool, rep *engine.Report) []byte {
	t.Helper()
	r, err := reporters.New(format, reporters.Options{Color: color})
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	var b bytes.Buffer
	if err := r.Write(&b, rep); err != nil {
		t.Fatalf("%s Write: %v", format, err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	cases := map[string]func(*testing.T) *engine.Report{"report": fixedReport, "empty": emptyReport}
	for name, report := range cases {
		for _, format := range []string{"text", "json", "jsonl", "junit", "markdown", "html"} {
			t.Run(name+"."+format, func(t *testing.T) {
				checkGolden(t, name+"."+format, write(t, format, false, report(t)))
			})
		}
	}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

// jsonFinding is what a tool reading the JSON report relies on.
type jsonFinding struct {
	Rank     *int     `json:"rank"`
	RuleID   *string  `json:"rule_id"`
	Severity *string  `json:"severity"`
	Score    *float64 `json:"score"`
	Title    *string  `json:"title"`
	Message  *string  `json:"message"`
	Process  *struct {
		PID   *uint64 `json:"pid"`
		Image *string `json:"image"`
	} `json:"process"`
	Component *struct {
		Name         *string `json:"name"`
		Vendor       *string `json:"vendor"`
		InferredFrom *string `json:"inferred_from"`
	} `json:"component"`
	Evidence *[]struct {
		Name, Value string
	} `json:"evidence"`
}

func TestJSONSchema(t *testing.T) {
	out := write(t, "json", false, fixedReport(t))
	var rep struct {
		SchemaVersion *int          `json:"schema_version"`
		Findings      []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("the JSON report does not decode: %v\n%s", err, out)
	}
	if rep.SchemaVersion == nil || *rep.SchemaVersion != 1 {
		t.Errorf("schema_version = %v, want 1", rep.SchemaVersion)
	}
	if len(rep.Findings) != top {
		t.Fatalf("%d findings, want %d", len(rep.Findings), top)
	}
	for i, f := range rep.Findings {
		where := fmt.Sprintf("findings[%d]", i)
		if f.Rank == nil || *f.Rank != i+1 {
			t.Errorf("%s.rank = %v, want %d", where, f.Rank, i+1)
		}
		for field, v := range map[string]*string{"rule_id": f.RuleID, "severity": f.Severity, "title": f.Title, "message": f.Message} {
			if v == nil || *v == "" {
				t.Errorf("%s.%s missing or empty", where, field)
			}
		}
		if f.Score == nil {
			t.Errorf("%s.score missing", where)
		}
		if f.Component == nil || f.Component.Name == nil || f.Component.InferredFrom == nil {
			t.Errorf("%s.component lacks name or inferred_from: %+v", where, f.Component)
		}
		if f.Evidence == nil {
			t.Errorf("%s.evidence missing or null", where)
		}
		isCapture := f.RuleID != nil && *f.RuleID == "T0009"
		switch {
		case isCapture && f.Process != nil:
			t.Errorf("%s is about the capture but names process %+v", where, f.Process)
		case !isCapture && (f.Process == nil || f.Process.PID == nil || f.Process.Image == nil):
			t.Errorf("%s.process lacks pid or image: %+v", where, f.Process)
		}
	}
	first := rep.Findings[0]
	if *first.RuleID != "T0002" || *first.Severity != "error" || *first.Score != 1000 ||
		*first.Process.PID != 0x1f4 || *first.Process.Image != "ContosoAgent.exe" {
		t.Errorf("first finding = %s %s %v pid %d %s", *first.RuleID, *first.Severity, *first.Score, *first.Process.PID, *first.Process.Image)
	}
	if c := first.Component; c.Vendor == nil || *c.Name != "Contoso Agent" || *c.Vendor != "Contoso Ltd." || *c.InferredFrom != "owner:object_name" {
		t.Errorf("first finding's component = name %v, vendor %v, from %v; want Contoso Agent, Contoso Ltd., owner:object_name",
			deref(c.Name), deref(c.Vendor), deref(c.InferredFrom))
	}
	if len(*first.Evidence) == 0 {
		t.Error("first finding has no evidence")
	}
}

func deref(s *string) string {
	if s == nil {
		return "(missing)"
	}
	return *s
}

// listKeys are the report's lists: never null in JSON, empty or not.
var listKeys = map[string]bool{
	"findings": true, "errors": true, "sources": true, "diagnostics": true,
	"evidence": true, "locations": true, "references": true, "tags": true,
}

// nulls lists the paths in v whose value is null, but for the process of
// a finding about the whole capture, which is null by design.
func nulls(path string, v any) []string {
	var out []string
	switch x := v.(type) {
	case nil:
		return []string{path}
	case map[string]any:
		for k, e := range x {
			if k == "process" && e == nil {
				continue // checked against the scope in TestJSONSchema
			}
			if listKeys[k] {
				if _, ok := e.([]any); !ok {
					out = append(out, fmt.Sprintf("%s.%s is %v, not a list", path, k, e))
					continue
				}
			}
			out = append(out, nulls(path+"."+k, e)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, nulls(fmt.Sprintf("%s[%d]", path, i), e)...)
		}
	}
	return out
}

func TestJSONHasNoNulls(t *testing.T) {
	set := loadRules(t, reportRules)
	noRules, err := rules.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(*testing.T) *engine.Report{
		"fixed report": fixedReport,
		"empty report": emptyReport,
		"no processes": func(t *testing.T) *engine.Report {
			return runEngine(t, set, facts.NewBuilder().Snapshot(), engine.Options{})
		},
		"all findings": func(t *testing.T) *engine.Report { return runEngine(t, set, reportSnapshot(), engine.Options{}) },
		"top 1":        func(t *testing.T) *engine.Report { return runEngine(t, set, reportSnapshot(), engine.Options{Top: 1}) },
		// A snapshot made without facts.Builder or facts.DecodeJSON, as a
		// program using the engine as a library may.
		"snapshot literal": func(t *testing.T) *engine.Report {
			return runEngine(t, noRules, &facts.Snapshot{SchemaVersion: facts.SchemaVersion}, engine.Options{})
		},
	}
	for name, report := range cases {
		t.Run(name, func(t *testing.T) {
			out := write(t, "json", false, report(t))
			var v map[string]any
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatalf("the JSON report does not decode: %v", err)
			}
			for _, k := range []string{"schema_version", "findings", "summary", "errors"} {
				if _, ok := v[k]; !ok {
					t.Errorf("no %q in the report", k)
				}
			}
			if n := nulls("report", v); len(n) > 0 {
				t.Errorf("null where a value or [] belongs:\n  %s\nreport:\n%s", strings.Join(n, "\n  "), out)
			}
		})
	}
}

func TestTextColor(t *testing.T) {
	rep := fixedReport(t)
	if out := write(t, "text", true, rep); !bytes.Contains(out, []byte("\x1b[")) {
		t.Errorf("Color true: no ANSI codes in\n%s", out)
	}
	if out := write(t, "text", false, rep); bytes.Contains(out, []byte("\x1b")) {
		t.Errorf("Color false: ANSI codes in\n%q", out)
	}
	for _, color := range []bool{false, true} {
		if out := write(t, "json", color, rep); bytes.Contains(out, []byte("\x1b")) || bytes.Contains(out, []byte(`\u001b`)) {
			t.Errorf("JSON with Color %v has ANSI codes", color)
		}
	}
}

func TestTextShowsWhatMatters(t *testing.T) {
	out := string(write(t, "text", false, fixedReport(t)))
	for _, want := range []string{
		"#1 ERROR T0002",
		"ContosoAgent.exe (pid 500) at capture.txt:800",
		"component: Contoso Agent (Contoso Ltd.), contact support@contoso.example",
		`\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`,
		"(evidence as in #1)",
		"#6 INFO T0009",
		"rule T0004 failed for pid 4096",
		"6 findings (top 6 of 9)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestSameReportSameBytes(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		for _, color := range []bool{false, true} {
			rep := fixedReport(t)
			a := write(t, format, color, rep)
			b := write(t, format, color, rep)
			c := write(t, format, color, fixedReport(t))
			if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
				t.Errorf("%s (color %v): the same report gave different bytes", format, color)
			}
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	r, err := reporters.New("nope", reporters.Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown format "nope"`) {
		t.Errorf("New(\"nope\") = %v, %v; want an error saying unknown format \"nope\"", r, err)
	}
	if r != nil {
		t.Errorf("New(\"nope\") returned reporter %v with its error", r)
	}
	if diff := cmp.Diff([]string{"html", "json", "jsonl", "junit", "markdown", "sarif", "text"}, reporters.Formats()); diff != "" {
		t.Errorf("Formats (-want +got):\n%s", diff)
	}
	for _, f := range reporters.Formats() {
		if _, err := reporters.New(f, reporters.Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
}

// Text from a capture never becomes markup in the Markdown report.
func TestMarkdownEscapesCaptureText(t *testing.T) {
	rep := &engine.Report{SchemaVersion: 1, Findings: []engine.Finding{{
		Rank: 1, RuleID: "X1", Title: "t", Severity: "warning", Message: "holds <img src=x onerror=alert(1)> | *bold* `code`",
		Process:   &engine.ProcessRef{PID: 4, Image: "<script>alert(1)</script>.exe"},
		Component: engine.Component{Name: "[link](http://evil)", InferredFrom: "image", Reason: "r"},
		Evidence:  []engine.Evidence{{Name: "n", Value: "```\nbreak out"}},
		Locations: []engine.Location{{Path: "c.txt", Line: 1, What: "w", Text: "``` <b>"}},
	}}, Errors: []engine.RuleError{}}
	var b bytes.Buffer
	if err := (reporters.Markdown{}).Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>", "<img", "[link](http", "| *bold*"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q unescaped:\n%s", bad, out)
		}
	}
	if strings.Count(out, "```") != 2 {
		t.Errorf("a capture line closed the code fence:\n%s", out)
	}
}

// TestReportNamesSkippedFiles: a report over a directory (a series, one
// report) names the files skipped as no captures in every format that
// lists what was read.
func TestReportNamesSkippedFiles(t *testing.T) {
	rep := fixedReport(t)
	rep.Summary.Skipped = []engine.SkippedFile{{Path: "captures/README.md", Reason: "no format leakdiag reads recognized in it"}}
	for _, format := range []string{"text", "markdown", "html", "json", "jsonl", "sarif", "junit"} {
		out := string(write(t, format, false, rep))
		if !strings.Contains(out, "README") || !strings.Contains(out, "no format leakdiag reads recognized in it") {
			t.Errorf("%s report does not name the skipped file:\n%s", format, out)
		}
	}
}
