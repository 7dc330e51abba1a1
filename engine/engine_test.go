package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// scopeRules has a process rule in each dialect, a snapshot rule, and a
// disabled rule that must not run.
const scopeRules = `
rules:
  - id: T-CEL
    title: Many handles (CEL)
    when: process.handles > params.threshold
    params: {threshold: 100}
    severity: warning
    message: '{{.process.image}} (pid {{.process.pid}}) holds {{count .process.handles}} handles'
    remediation: Capture again.
    references: [https://example.com/handles]
    tags: [handle-count]
  - id: T-EXPR
    title: Many events (expr)
    lang: expr
    when: process.by_type["Event"] >= 150
    severity: error
  - id: T-PROCS
    title: More than one process
    scope: snapshot
    when: snapshot.process_count > 1
    severity: info
    message: '{{.snapshot.process_count}} processes, {{count .snapshot.total_handles}} handles'
  - id: T-OFF
    title: Disabled
    when: "true"
    enabled: false
`

func scopeSnapshot(t *testing.T) *facts.Snapshot {
	return build(t, 2000,
		proc{addr: "a0", pid: 8, image: "quiet.exe", line: 10, handles: []hs{{"Event", "", 50}}},
		proc{addr: "b0", pid: 12, image: "busy.exe", line: 100, handles: []hs{{"Event", "", 200}}},
		proc{addr: "c0", pid: 16, image: "keys.exe", line: 400, handles: []hs{{"Key", `\REGISTRY\MACHINE\SOFTWARE\Contoso`, 120}}},
	)
}

func TestFindingsPerScope(t *testing.T) {
	set := load(t, scopeRules)
	rep := run(t, set, scopeSnapshot(t), engine.Options{})

	if rep.SchemaVersion != 1 {
		t.Errorf("SchemaVersion = %d, want 1", rep.SchemaVersion)
	}
	want := []key{
		{Rule: "T-EXPR", PID: 12, Image: "busy.exe", Addr: "b0"},
		{Rule: "T-CEL", PID: 12, Image: "busy.exe", Addr: "b0"}, // 200 handles
		{Rule: "T-CEL", PID: 16, Image: "keys.exe", Addr: "c0"}, // 120 handles
		{Rule: "T-PROCS"},
	}
	if diff := cmp.Diff(want, keys(rep.Findings)); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}

	cel := rep.Findings[1]
	if cel.Title != "Many handles (CEL)" || cel.Severity != "warning" || cel.Score != 200 ||
		cel.Message != "busy.exe (pid 12) holds 200 handles" || cel.Remediation != "Capture again." {
		t.Errorf("CEL finding = %+v", cel)
	}
	if diff := cmp.Diff([]string{"https://example.com/handles"}, cel.References); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"handle-count"}, cel.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if cel.Process == nil || cel.Process.Source != (facts.Position{Path: capture, Line: 100}) {
		t.Errorf("CEL finding process = %+v, want pid 12 at %s:100", cel.Process, capture)
	}
	if ex := rep.Findings[0]; ex.Message != ex.Title || ex.References == nil || ex.Tags == nil {
		t.Errorf("expr finding without message, references or tags = %+v; want the title as message and empty lists", ex)
	}

	snap := rep.Findings[3]
	if snap.Process != nil {
		t.Errorf("snapshot finding has process %+v, want nil", snap.Process)
	}
	if snap.Score != 1 || snap.Severity != "info" || snap.Message != "3 processes, 370 handles" {
		t.Errorf("snapshot finding = %+v", snap)
	}
	if snap.Component.InferredFrom != "capture" || snap.Component.Name == "" {
		t.Errorf("snapshot finding component = %+v, want one inferred from the capture", snap.Component)
	}
	if snap.Evidence == nil || len(snap.Evidence) != 0 || snap.Locations == nil || len(snap.Locations) != 0 {
		t.Errorf("snapshot finding evidence %#v, locations %#v; want empty, non-nil lists", snap.Evidence, snap.Locations)
	}

	wantSummary := engine.Summary{
		Processes: 3, TotalHandles: 370, HandlesParsed: 370,
		Sources:     []facts.Source{{Path: capture, Format: "kd", Lines: facts.LineCounts{Total: 2000, Parsed: 2000}}},
		Diagnostics: []facts.Diagnostic{},
		RulesRun:    3, FindingsTotal: 4,
		UnknownCounts: 3,
		TopProcesses: []engine.ProcessCount{
			{PID: 12, Image: "busy.exe", Handles: 200},
			{PID: 16, Image: "keys.exe", Handles: 120},
			{PID: 8, Image: "quiet.exe", Handles: 50},
		},
	}
	if diff := cmp.Diff(wantSummary, rep.Summary, cmpopts.IgnoreFields(engine.Summary{}, "Rules")); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	var ruleIDs []string
	for _, r := range rep.Summary.Rules {
		ruleIDs = append(ruleIDs, r.ID)
	}
	if len(ruleIDs) != 3 || rep.Summary.Rules[0].Defined == "" {
		t.Errorf("rules that ran: %+v", rep.Summary.Rules)
	}
	if rep.Errors == nil || len(rep.Errors) != 0 {
		t.Errorf("errors = %#v, want an empty list", rep.Errors)
	}
}

// rankRules make findings that tie on severity and score, or on severity,
// score and rule id, so that every key of the order is needed. They are
// written in no particular order.
const rankRules = `
rules:
  - id: T-INFO
    title: Info outranked by every warning, whatever its score
    severity: info
    when: "true"
    score: "1000000.0"
  - id: T-B
    title: Tied with T-A but for the id
    severity: warning
    when: process.image.endsWith("tie.exe")
    score: "5"
  - id: T-SNAP
    title: Snapshot finding tied with T-A and T-B on score
    scope: snapshot
    severity: warning
    when: "true"
    score: "5"
  - id: T-A
    title: Tied with T-B but for the id (expr)
    lang: expr
    severity: warning
    when: process.image endsWith "tie.exe"
    score: "5"
  - id: T-HI
    title: Higher score
    severity: warning
    when: process.pid == 12
    score: "7.5"
  - id: T-ERR
    title: Most severe, lowest score
    severity: error
    when: process.pid == 99
    score: "0"
`

func rankSnapshot(t *testing.T) *facts.Snapshot {
	return build(t, 100,
		proc{addr: "b0", pid: 12, image: "tie.exe", line: 10, handles: []hs{{"Event", "", 1}}},
		proc{addr: "a0", pid: 12, image: "tie.exe", line: 20, handles: []hs{{"Event", "", 1}}},
		proc{addr: "c0", pid: 12, image: "atie.exe", line: 30, handles: []hs{{"Event", "", 1}}},
		proc{addr: "d0", pid: 8, image: "tie.exe", line: 40, handles: []hs{{"Event", "", 1}}},
		proc{addr: "e0", pid: 99, image: "other.exe", line: 50, handles: []hs{{"Event", "", 1}}},
	)
}

// rankWant is the total order of rankRules over rankSnapshot: severity,
// score, rule id, pid, image (then address).
var rankWant = []key{
	{"T-ERR", 99, "other.exe", "e0"},
	{"T-HI", 12, "atie.exe", "c0"},
	{"T-HI", 12, "tie.exe", "a0"},
	{"T-HI", 12, "tie.exe", "b0"},
	{"T-A", 8, "tie.exe", "d0"},
	{"T-A", 12, "atie.exe", "c0"},
	{"T-A", 12, "tie.exe", "a0"},
	{"T-A", 12, "tie.exe", "b0"},
	{"T-B", 8, "tie.exe", "d0"},
	{"T-B", 12, "atie.exe", "c0"},
	{"T-B", 12, "tie.exe", "a0"},
	{"T-B", 12, "tie.exe", "b0"},
	{"T-SNAP", 0, "", ""},
	{"T-INFO", 8, "tie.exe", "d0"},
	{"T-INFO", 12, "atie.exe", "c0"},
	{"T-INFO", 12, "tie.exe", "a0"},
	{"T-INFO", 12, "tie.exe", "b0"},
	{"T-INFO", 99, "other.exe", "e0"},
}

func TestRankingIsATotalOrder(t *testing.T) {
	set := load(t, rankRules)
	snap := rankSnapshot(t)
	for name, s := range map[string]*facts.Snapshot{"built order": snap, "reversed processes": reversed(snap)} {
		t.Run(name, func(t *testing.T) {
			rep := run(t, set, s, engine.Options{})
			if diff := cmp.Diff(rankWant, keys(rep.Findings)); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			for i, f := range rep.Findings {
				if f.Rank != i+1 {
					t.Errorf("finding %d (%v) has rank %d, want %d", i, keyOf(f), f.Rank, i+1)
				}
			}
			if rep.Summary.FindingsTotal != len(rankWant) {
				t.Errorf("FindingsTotal = %d, want %d", rep.Summary.FindingsTotal, len(rankWant))
			}
		})
	}
}

func TestTopKeepsTheBestN(t *testing.T) {
	set := load(t, rankRules)
	snap := rankSnapshot(t)
	all := run(t, set, snap, engine.Options{})
	for _, top := range []int{1, 3, 13, len(rankWant) - 1, len(rankWant), len(rankWant) + 5, 0} {
		rep := run(t, set, snap, engine.Options{Top: top})
		n := top
		if top == 0 || top > len(rankWant) {
			n = len(rankWant)
		}
		if diff := cmp.Diff(all.Findings[:n], rep.Findings); diff != "" {
			t.Errorf("Top %d: findings are not the best %d (-want +got):\n%s", top, n, diff)
		}
		if rep.Summary.FindingsTotal != len(rankWant) {
			t.Errorf("Top %d: FindingsTotal = %d, want %d (all findings, before the cut)", top, rep.Summary.FindingsTotal, len(rankWant))
		}
	}
}

func TestRunIsDeterministic(t *testing.T) {
	// Fresh inputs each time, so nothing cached in a set or snapshot can
	// make two runs agree.
	first := run(t, load(t, rankRules, scopeRules), rankSnapshot(t), engine.Options{Top: 10})
	for i := 0; i < 5; i++ {
		again := run(t, load(t, rankRules, scopeRules), rankSnapshot(t), engine.Options{Top: 10})
		if diff := cmp.Diff(first, again); diff != "" {
			t.Fatalf("run %d differs from the first (-first +again):\n%s", i+2, diff)
		}
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(run(t, load(t, rankRules, scopeRules), reversed(rankSnapshot(t)), engine.Options{Top: 10}))
	if string(a) != string(b) {
		t.Errorf("the order of processes in the snapshot changes the report:\n%s\n%s", a, b)
	}
}

// errorRules fail at run time for some processes: integer division by
// zero, a map key a process lacks, expr's modulo by zero, a snapshot rule
// dividing by zero. T-OK never fails.
const errorRules = `
rules:
  - id: T-DIV
    title: Handles per peer (CEL)
    when: process.handles / process.peers > 1
  - id: T-KEY
    title: Mutants (CEL)
    when: process.by_type["Mutant"] > 0
  - id: T-MOD
    title: Odd handles per peer (expr)
    lang: expr
    when: process.handles % process.peers == 0
  - id: T-SNAPDIV
    title: Handles per exited process
    scope: snapshot
    when: snapshot.total_handles / snapshot.exited_processes > 1
  - id: T-OK
    title: Any handles
    when: process.handles > 0
`

func TestEvaluationErrorsAreReportedAndOtherRulesRun(t *testing.T) {
	set := load(t, errorRules)
	snap := build(t, 100,
		proc{addr: "a0", pid: 8, image: "lonely.exe", line: 10, handles: []hs{{"Event", "", 3}}},
		// Peers count only processes whose handle count is known.
		proc{addr: "b0", pid: 12, image: "twin.exe", line: 20, handleCount: 6, handles: []hs{{"Event", "", 5}, {"Mutant", "", 1}}},
		proc{addr: "c0", pid: 16, image: "twin.exe", line: 30, handleCount: 2, handles: []hs{{"Event", "", 2}}},
	)
	rep := run(t, set, snap, engine.Options{})

	type failure struct {
		Rule string
		PID  uint64
		Says string
	}
	var got []failure
	for _, e := range rep.Errors {
		says := "?"
		for _, s := range []string{"division by zero", "divide by zero", "no such key"} {
			if strings.Contains(e.Message, s) {
				says = s
			}
		}
		if !strings.Contains(e.Message, e.RuleID) {
			t.Errorf("error message %q does not name rule %s", e.Message, e.RuleID)
		}
		got = append(got, failure{e.RuleID, e.PID, says})
	}
	want := []failure{
		{"T-DIV", 8, "division by zero"},
		{"T-KEY", 8, "no such key"},
		{"T-KEY", 16, "no such key"},
		{"T-MOD", 8, "divide by zero"},
		{"T-SNAPDIV", 0, "division by zero"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s\nfull errors: %+v", diff, rep.Errors)
	}
	// All warnings, ranked by score (the handle count: 6, 3 and 2), then
	// rule id.
	wantFindings := []key{
		{"T-DIV", 12, "twin.exe", "b0"}, // 6 / 1 peer
		{"T-KEY", 12, "twin.exe", "b0"},
		{"T-MOD", 12, "twin.exe", "b0"}, // 6 % 1 peer
		{"T-OK", 12, "twin.exe", "b0"},
		{"T-OK", 8, "lonely.exe", "a0"},
		{"T-DIV", 16, "twin.exe", "c0"}, // 2 / 1 peer
		{"T-MOD", 16, "twin.exe", "c0"},
		{"T-OK", 16, "twin.exe", "c0"},
	}
	if diff := cmp.Diff(wantFindings, keys(rep.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if rep.Summary.RulesRun != 5 {
		t.Errorf("RulesRun = %d, want 5", rep.Summary.RulesRun)
	}
}

func TestErrorsOfOneRuleAreCapped(t *testing.T) {
	set := load(t, `
rules:
  - id: T-KEY
    title: Mutants
    when: process.by_type["Mutant"] > 0
`)
	var procs []proc
	for i := 0; i < 13; i++ {
		procs = append(procs, proc{addr: string(rune('a'+i)) + "0", pid: uint64(100 + 4*i), image: "p.exe", line: int64(10 * (i + 1)),
			handles: []hs{{"Event", "", 1}}})
	}
	rep := run(t, set, build(t, 200, procs...), engine.Options{})
	if len(rep.Errors) != 10 {
		t.Fatalf("%d errors listed, want 10 (the rest counted): %+v", len(rep.Errors), rep.Errors)
	}
	for i, e := range rep.Errors {
		if e.PID != uint64(100+4*i) {
			t.Errorf("error %d is for pid %d, want %d", i, e.PID, 100+4*i)
		}
	}
	more := 0
	for _, e := range rep.Errors {
		more += e.More
	}
	if more != 3 {
		t.Errorf("More adds up to %d, want 3", more)
	}
}

// A score that is not a finite number cannot be ranked (NaN compares
// false with everything) nor written as JSON: it is an evaluation error.
func TestNonFiniteScoreIsAnError(t *testing.T) {
	set := load(t, `
rules:
  - id: T-INF-EXPR
    title: Handles per peer, expr
    lang: expr
    when: "true"
    score: process.handles / process.peers
  - id: T-INF-CEL
    title: Handles per peer, CEL
    when: "true"
    score: double(process.handles) / double(process.peers)
  - id: T-NAN-CEL
    title: Peers per peer, CEL
    when: "true"
    score: double(process.peers) / double(process.peers)
`)
	snap := build(t, 100,
		proc{addr: "a0", pid: 8, image: "lonely.exe", line: 10, handles: []hs{{"Event", "", 3}}},
		proc{addr: "b0", pid: 12, image: "twin.exe", line: 20, handles: []hs{{"Event", "", 4}}},
		proc{addr: "c0", pid: 16, image: "twin.exe", line: 30, handles: []hs{{"Event", "", 2}}},
	)
	rep := run(t, set, snap, engine.Options{})
	for _, f := range rep.Findings {
		if math.IsInf(f.Score, 0) || math.IsNaN(f.Score) {
			t.Errorf("finding %v has score %v; want no finding with a score that is not a finite number", keyOf(f), f.Score)
		}
	}
	failed := map[string]bool{}
	for _, e := range rep.Errors {
		if e.PID == 8 {
			failed[e.RuleID] = true
		}
	}
	for _, id := range []string{"T-INF-EXPR", "T-INF-CEL", "T-NAN-CEL"} {
		if !failed[id] {
			t.Errorf("rule %s scored pid 8 (no peers) %s, and Report.Errors does not say so: %+v", id, scoreOf(rep, id, 8), rep.Errors)
		}
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("the report cannot be written as JSON: %v", err)
	}
	// Ranking must not depend on the order of the processes, NaN or not.
	if diff := cmp.Diff(keys(rep.Findings), keys(run(t, set, reversed(snap), engine.Options{}).Findings)); diff != "" {
		t.Errorf("the order of processes in the snapshot changes the ranking (-built +reversed):\n%s", diff)
	}
}

func scoreOf(rep *engine.Report, id string, pid uint64) string {
	for _, f := range rep.Findings {
		if f.RuleID == id && f.Process != nil && f.Process.PID == pid {
			return "with score " + fmtFloat(f.Score)
		}
	}
	return "(no finding)"
}

func fmtFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	b, _ := json.Marshal(f)
	return string(b)
}

func TestCancelledContextStopsTheRun(t *testing.T) {
	set := load(t, scopeRules)
	snap := scopeSnapshot(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := engine.Run(ctx, set, snap, engine.Options{})
	if !errors.Is(err, context.Canceled) || rep != nil {
		t.Errorf("cancelled: Run = %v, %v; want nil, context.Canceled", rep, err)
	}

	ctx, stop := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer stop()
	rep, err = engine.Run(ctx, set, snap, engine.Options{})
	if !errors.Is(err, context.DeadlineExceeded) || rep != nil {
		t.Errorf("past deadline: Run = %v, %v; want nil, context.DeadlineExceeded", rep, err)
	}
}

func TestEvidenceAndLocationsOfAProcessFinding(t *testing.T) {
	set := load(t, `
rules:
  - id: T-ALL
    title: Every process
    when: "true"
`)
	key := `\REGISTRY\MACHINE\SOFTWARE\Contoso\Agent\Telemetry`
	file := `\ProgramData\Contoso\Agent\agent.log {HarddiskVolume3}`
	snap := build(t, 1000,
		proc{addr: "a0", pid: 0x1f4, image: "ContosoAgent.exe", line: 200, handleCount: 5000, tableEntries: 5001,
			handles: []hs{
				{"Event", "", 30},                     // lines 201-230
				{"Key", key, 40},                      // 231-270
				{"File", file, 20},                    // 271-290
				{"Mutant", `\BaseNamedObjects\M`, 5},  // 291-295
				{"Section", `\BaseNamedObjects\S`, 3}, // 296-298, not in the top 3
			}},
	)
	rep := run(t, set, snap, engine.Options{})
	if len(rep.Findings) != 1 {
		t.Fatalf("%d findings, want 1", len(rep.Findings))
	}
	f := rep.Findings[0]
	if f.Score != 5000 {
		t.Errorf("default score = %v, want the handle count 5000", f.Score)
	}
	wantLocs := []engine.Location{
		{Path: capture, Line: 200, What: "PROCESS block of ContosoAgent.exe"},
		{Path: capture, Line: 231, What: "first handle to Key " + key},
		{Path: capture, Line: 271, What: "first handle to File " + file},
		{Path: capture, Line: 291, What: `first handle to Mutant \BaseNamedObjects\M`},
	}
	if diff := cmp.Diff(wantLocs, f.Locations); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	wantEv := []engine.Evidence{
		{Name: "handle count", Value: "5,000"},
		{Name: "handle table entries", Value: "5,001"},
		{Name: "handles shown", Value: "98"},
		{Name: "dominant type", Value: "Key, 40 (1%)"},
		{Name: "unnamed handles", Value: "30 of type Event"},
		{Name: "top name 1", Value: "Key x40: " + key},
		{Name: "top name 2", Value: "File x20: " + file},
		{Name: "top name 3", Value: `Mutant x5: \BaseNamedObjects\M`},
	}
	if diff := cmp.Diff(wantEv, f.Evidence); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	if f.Process == nil || *f.Process != (engine.ProcessRef{PID: 0x1f4, Image: "ContosoAgent.exe", Address: "a0", Source: facts.Position{Path: capture, Line: 200}}) {
		t.Errorf("process = %+v", f.Process)
	}
}

func TestQuoteFillsLocationTextOnceAFile(t *testing.T) {
	set := load(t, `
rules:
  - id: T-ALL
    title: Every process
    when: "true"
`)
	snap := build(t, 100,
		proc{addr: "a0", pid: 8, image: "a.exe", line: 10, handles: []hs{{"Key", `\REGISTRY\A`, 2}}},
		proc{addr: "b0", pid: 12, image: "b.exe", line: 20, handles: []hs{{"Key", `\REGISTRY\B`, 1}}},
	)
	calls := 0
	quote := func(path string, lines []int64) (map[int64]string, error) {
		calls++
		if path != capture {
			t.Errorf("quote asked for %q", path)
		}
		m := map[int64]string{}
		for _, l := range lines {
			m[l] = fmt.Sprint("line ", l)
		}
		return m, nil
	}
	rep := run(t, set, snap, engine.Options{Quote: quote})
	if calls != 1 {
		t.Errorf("Quote called %d times, want once for the one file", calls)
	}
	for _, f := range rep.Findings {
		for _, l := range f.Locations {
			if l.Text != fmt.Sprint("line ", l.Line) {
				t.Errorf("location %s:%d has text %q", l.Path, l.Line, l.Text)
			}
		}
	}
	failing := func(string, []int64) (map[int64]string, error) { return nil, errors.New("standard input") }
	rep = run(t, set, snap, engine.Options{Quote: failing})
	if len(rep.Findings) != 2 || len(rep.Findings[0].Locations) != 2 || rep.Findings[0].Locations[0].Text != "" {
		t.Errorf("a file that cannot be quoted: findings %+v; want locations kept, without text", rep.Findings)
	}
}
