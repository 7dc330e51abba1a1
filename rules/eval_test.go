package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// Processes the evaluation tests run over.
var (
	procSvchost = &facts.ProcessFacts{
		PID: 0x2a4, PPID: 0x260, Session: 0, Image: "svchost.exe",
		HandleCount: 12000, HandleCountKnown: true, TableEntries: 12000, HandlesParsed: 12000, Handles: 12000,
		ByType:       map[string]int64{"Event": 11000, "File": 1000},
		DominantType: "Event", DominantCount: 11000, DominantShare: 11000.0 / 12000,
		DistinctNames: 40, Unnamed: 10500, UnnamedByType: map[string]int64{"Event": 10500},
		TopUnnamedType: "Event", TopUnnamedCount: 10500,
		TopNames: []facts.NameFacts{
			{Name: `\BaseNamedObjects\ShellReady`, Type: "Event", Count: 400},
			{Name: `C:\Windows\Logs\app.log`, Type: "File", Count: 20},
		},
		TopName: facts.NameFacts{Name: `\BaseNamedObjects\ShellReady`, Type: "Event", Count: 400},
		Threads: 30, Peers: 3, PeerMedianHandles: 480, PeerRatio: 25,
	}
	procAgent = &facts.ProcessFacts{
		PID: 0x99c, Session: -1, Image: "Agent.EXE",
		HandleCount: -1, TableEntries: 300, HandlesParsed: 250, Handles: 300,
		ByType:       map[string]int64{"File": 200, "Key": 100},
		DominantType: "File", DominantCount: 200, DominantShare: 200.0 / 300,
		UnnamedByType: map[string]int64{}, Exited: true, HandlesToExitedProcesses: 2,
	}
	procStore = &facts.ProcessFacts{
		PID: 0x1000, Image: "STORE.EXE", HandleCount: 250000, HandleCountKnown: true, Handles: 250000,
		ByType: map[string]int64{"Mutant": 250000}, DominantType: "Mutant", DominantCount: 250000, DominantShare: 1,
		UnnamedByType: map[string]int64{"Mutant": 249000}, TopUnnamedType: "Mutant", TopUnnamedCount: 249000,
		TopNames: []facts.NameFacts{{Name: "Lock", Type: "Mutant", Count: 1000}},
		TopName:  facts.NameFacts{Name: "Lock", Type: "Mutant", Count: 1000},
	}
	evalProcs   = []*facts.ProcessFacts{procSvchost, procAgent, procStore}
	evalSnap    = &facts.SnapshotFacts{Host: "SRV1", ProcessCount: 3, TotalHandles: 262300, UnknownCounts: 1, Lines: 5000}
	evalPreface = `lists:
  agents: [agent.exe, helper.exe]
params:
  threshold: 10000
  min_share: 0.8
  heavy: {store.exe: 200000, sqlservr.exe: 100000}
`
)

// yamlQuote writes s as a single-quoted YAML scalar.
func yamlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// The same conditions written in CEL and in expr give the same answers.
func TestDialectsAgree(t *testing.T) {
	cases := []struct {
		name      string
		cel, expr string
		want      []bool // for procSvchost, procAgent, procStore
	}{
		{"compare", `process.handles > 10000`, `process.handles > 10000`, []bool{true, false, true}},
		{"param", `process.handles > params.threshold`, `process.handles > params.threshold`, []bool{true, false, true}},
		{"fraction param", `process.dominant_share >= params.min_share`, `process.dominant_share >= params.min_share`, []bool{true, false, true}},
		{"table membership", `lower(process.image) in params.heavy`, `lower(process.image) in params.heavy`, []bool{false, false, true}},
		{"table lookup",
			`lower(process.image) in params.heavy && process.handles > params.heavy[lower(process.image)]`,
			`lower(process.image) in params.heavy && process.handles > params.heavy[lower(process.image)]`,
			[]bool{false, false, true}},
		{"list membership", `lower(process.image) in lists.agents`, `lower(process.image) in lists.agents`, []bool{false, true, false}},
		{"map key", `"Event" in process.by_type && process.by_type["Event"] > 1000`,
			`"Event" in process.by_type && process.by_type["Event"] > 1000`, []bool{true, false, false}},
		{"exists", `process.top_names.exists(n, n.type == "File" && n.count >= 10)`,
			`any(process.top_names, .type == "File" && .count >= 10)`, []bool{true, false, false}},
		{"all", `process.top_names.all(n, n.count >= 100)`, `all(process.top_names, .count >= 100)`, []bool{false, true, true}},
		{"size", `size(process.top_names) == 0`, `len(process.top_names) == 0`, []bool{false, true, false}},
		{"suffix, case-sensitive", `process.image.endsWith(".exe")`, `process.image endsWith ".exe"`, []bool{true, false, false}},
		{"prefix, lowered", `lower(process.image).startsWith("s")`, `lower(process.image) startsWith "s"`, []bool{true, false, true}},
		{"contains", `process.top_name.name.lowerAscii().contains("basenamedobjects")`, `lower(process.top_name.name) contains "basenamedobjects"`, []bool{true, false, false}},
		{"regexp", `process.image.matches("(?i)^(svc|store)")`, `process.image matches "(?i)^(svc|store)"`, []bool{true, false, true}},
		{"bools", `!process.exited && process.peers >= 2 && process.peer_ratio >= 20.0`,
			`not process.exited and process.peers >= 2 and process.peer_ratio >= 20`, []bool{true, false, false}},
		{"unknown count", `!process.handle_count_known || process.handle_count < 0`, `!process.handle_count_known || process.handle_count < 0`, []bool{false, true, false}},
		{"ternary", `(process.exited ? 1 : 0) + process.handles_to_exited_processes > 0`,
			`(process.exited ? 1 : 0) + process.handles_to_exited_processes > 0`, []bool{false, true, false}},
		{"division", `double(process.handles) / 3.0 > 4000.0`, `process.handles / 3 > 4000`, []bool{false, false, true}},
		{"fraction of", `double(process.top_unnamed_count) >= double(process.handles_parsed) * 0.5`,
			`process.top_unnamed_count >= process.handles_parsed * 0.5`, []bool{true, false, true}},
		{"snapshot", `snapshot.process_count > 2 && process.handles * 10 > snapshot.total_handles`,
			`snapshot.process_count > 2 && process.handles * 10 > snapshot.total_handles`, []bool{false, false, true}},
		{"nested fact", `process.top_name.count >= 1000 && process.top_name.type == "Mutant"`,
			`process.top_name.count >= 1000 && process.top_name.type == "Mutant"`, []bool{false, false, true}},
		{"index", `size(process.top_names) > 1 && process.top_names[1].count == 20`,
			`len(process.top_names) > 1 && process.top_names[1].count == 20`, []bool{true, false, false}},
	}
	var b strings.Builder
	b.WriteString(evalPreface + "rules:\n")
	for i, c := range cases {
		for _, lang := range []string{"cel", "expr"} {
			when := c.cel
			if lang == "expr" {
				when = c.expr
			}
			fmt.Fprintf(&b, "  - id: %s-%d\n    title: %s\n    lang: %s\n    when: %s\n", lang, i, c.name, lang, yamlQuote(when))
		}
	}
	set := mustLoad(t, src("dialects.yaml", b.String()))
	for i, c := range cases {
		for _, lang := range []string{"cel", "expr"} {
			r := ruleByID(t, set, fmt.Sprintf("%s-%d", lang, i))
			var got []bool
			for _, p := range evalProcs {
				ok, err := r.Match(evalSnap, p)
				if err != nil {
					t.Errorf("%s %s on %s: %v", lang, c.name, p.Image, err)
				}
				got = append(got, ok)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("%s %q (%s) over svchost, agent, store (-want +got):\n%s", lang, c.name, r.When, diff)
			}
		}
	}
}

// Scores and messages come out the same in both dialects.
func TestDialectsScoreAndRender(t *testing.T) {
	cases := []struct {
		name      string
		cel, expr string
		want      []float64
	}{
		{"int fact", `process.top_name.count`, `process.top_name.count`, []float64{400, 0, 1000}},
		{"sum", `process.handles_to_exited_processes + process.handles_to_exited_threads`,
			`process.handles_to_exited_processes + process.handles_to_exited_threads`, []float64{0, 2, 0}},
		{"fraction", `process.dominant_share * 100.0`, `process.dominant_share * 100`,
			[]float64{procSvchost.DominantShare * 100, procAgent.DominantShare * 100, 100}},
		{"converted", `double(process.handles) / 1000.0`, `process.handles / 1000`, []float64{12, 0.3, 250}},
		{"param", `params.threshold`, `params.threshold`, []float64{10000, 10000, 10000}},
	}
	const message = `{{.process.image}} (pid {{.process.pid}}) holds {{count .process.handles}} handles; {{.process.dominant_type}} makes {{percent .process.dominant_share}} of them ({{.params.threshold}}, {{.title}}, {{.id}})`
	wantMsg := []string{
		"svchost.exe (pid 676) holds 12,000 handles; Event makes 92% of them (10000, TITLE, ID)",
		"Agent.EXE (pid 2460) holds 300 handles; File makes 67% of them (10000, TITLE, ID)",
		"STORE.EXE (pid 4096) holds 250,000 handles; Mutant makes 100% of them (10000, TITLE, ID)",
	}
	var b strings.Builder
	b.WriteString(evalPreface + "rules:\n")
	for i, c := range cases {
		for _, lang := range []string{"cel", "expr"} {
			score := c.cel
			if lang == "expr" {
				score = c.expr
			}
			fmt.Fprintf(&b, "  - id: %s-%d\n    title: %s\n    lang: %s\n    when: process.handles > 0\n    score: %s\n    message: %s\n",
				lang, i, c.name, lang, yamlQuote(score), yamlQuote(message))
		}
	}
	set := mustLoad(t, src("scores.yaml", b.String()))
	for i, c := range cases {
		for _, lang := range []string{"cel", "expr"} {
			r := ruleByID(t, set, fmt.Sprintf("%s-%d", lang, i))
			for j, p := range evalProcs {
				got, err := r.ScoreOf(evalSnap, p)
				if err != nil || got != c.want[j] {
					t.Errorf("%s score %q on %s = %v, %v; want %v", lang, c.name, p.Image, got, err, c.want[j])
				}
				msg, err := r.Render(evalSnap, p)
				if want := strings.NewReplacer("TITLE", c.name, "ID", r.ID).Replace(wantMsg[j]); err != nil || msg != want {
					t.Errorf("%s message on %s = %q, %v; want %q", r.ID, p.Image, msg, err, want)
				}
			}
		}
	}
}

func TestDefaultScoreAndMessage(t *testing.T) {
	set := mustLoad(t, src("a.yaml", `rules:
  - id: P
    title: A process rule
    when: process.handles > 0
  - id: S
    title: A snapshot rule
    scope: snapshot
    lang: expr
    when: snapshot.unknown_counts > 0
    message: >-
      {{.snapshot.unknown_counts}} of {{.snapshot.process_count}} processes on {{.snapshot.host}}
      have no count; {{count .snapshot.lines}} lines.
`))
	p, s := ruleByID(t, set, "P"), ruleByID(t, set, "S")
	if got, err := p.ScoreOf(evalSnap, procStore); got != 250000 || err != nil {
		t.Errorf("default process score = %v, %v; want the handle count", got, err)
	}
	if got, err := s.ScoreOf(evalSnap, nil); got != 1 || err != nil {
		t.Errorf("default snapshot score = %v, %v; want 1", got, err)
	}
	if got, err := p.Render(evalSnap, procStore); got != "A process rule" || err != nil {
		t.Errorf("default message = %q, %v; want the title", got, err)
	}
	if ok, err := s.Match(evalSnap, nil); !ok || err != nil {
		t.Errorf("snapshot rule Match = %v, %v; want true", ok, err)
	}
	if got, err := s.Render(evalSnap, nil); got != "1 of 3 processes on SRV1 have no count; 5,000 lines." || err != nil {
		t.Errorf("snapshot message = %q, %v", got, err)
	}
}

// One condition, written as LD0001 writes it (a folded block), loads and
// answers the same in both dialects.
func TestCELAndExprOverTheSameRulesFile(t *testing.T) {
	for _, lang := range []string{"cel", "expr"} {
		set := mustLoad(t, src("a.yaml", evalPreface+`rules:
  - id: R
    title: t
    lang: `+lang+`
    when: >-
      process.handles > params.threshold &&
      !(lower(process.image) in params.heavy)
`))
		var got []bool
		for _, p := range evalProcs {
			ok, err := set.Rules[0].Match(evalSnap, p)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ok)
		}
		if diff := cmp.Diff([]bool{true, false, false}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", lang, diff)
		}
	}
}

// A loop in a loop over a process's top names is cheap by the static
// estimate, which takes top_names to hold at most facts.TopNamesLimit
// names. Facts with far more make it costly at run time, and the run-time
// limit stops it with an error rather than running on.
func TestCELCostLimitAtRunTime(t *testing.T) {
	set := mustLoad(t, src("a.yaml", `rules:
  - id: R
    title: pairs of names
    when: >-
      process.top_names.exists(a,
        process.top_names.exists(b, a.count + b.count < 0))
`))
	r := set.Rules[0]
	small := &facts.ProcessFacts{TopNames: make([]facts.NameFacts, facts.TopNamesLimit)}
	if ok, err := r.Match(noSnapshot, small); ok || err != nil {
		t.Errorf("over %d names: %v, %v; want false, no error", facts.TopNamesLimit, ok, err)
	}
	huge := &facts.ProcessFacts{TopNames: make([]facts.NameFacts, 2000)}
	ok, err := r.Match(noSnapshot, huge)
	if ok || err == nil || !strings.Contains(err.Error(), "cost limit exceeded") || !strings.Contains(err.Error(), `rule "R"`) {
		t.Errorf("over 2000 names: %v, %v; want the cost limit's error, naming the rule", ok, err)
	}
}

// The static estimate rejects what is costly for the largest facts there
// can be, and lets through loops over small lists it knows the size of.
func TestCELCostEstimate(t *testing.T) {
	errs := loadErrors(t, src("a.yaml", `rules:
  - id: R
    title: pairs of types
    when: process.by_type.exists(a, process.by_type.exists(b, a + b == process.image))
`))
	if diff := cmp.Diff([]errorSummary{{"a.yaml:4:11", "R", CodeCost}}, summarize(errs)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(errs[0].Msg, "over the limit of 100000") {
		t.Errorf("message %q does not name the limit", errs[0].Msg)
	}

	set := mustLoad(t, src("a.yaml", `lists:
  pair: [a.exe, b.exe]
rules:
  - id: R
    title: pairs of a two-item list
    when: lists.pair.exists(a, lists.pair.exists(b, a + b == process.image))
`))
	if ok, err := set.Rules[0].Match(noSnapshot, &facts.ProcessFacts{Image: "b.exea.exe"}); !ok || err != nil {
		t.Errorf("Match = %v, %v; want true", ok, err)
	}
}

// A list param is as small as a list: its size is known when the rule is
// compiled. The estimate prices it as 1024 items, and rejects a loop in a
// loop over two.
func TestCELCostEstimateOfListParams(t *testing.T) {
	_, err := loadNoPanic(t, []Source{src("a.yaml", `rules:
  - id: R
    title: pairs of a two-item list param
    when: params.pair.exists(a, params.pair.exists(b, a + b == process.image))
    params:
      pair: [a.exe, b.exe]
`)})
	if err != nil {
		t.Errorf("a loop in a loop over a two-item list param is rejected:\n%v", err)
	}
}

// The custom lower() has no size estimate, so CEL's estimator takes its
// result to be of unbounded size, and any cost proportional to the size
// of a lowered string (contains, matches, endsWith ...) is priced at
// about 3.7e18: a plain condition is rejected as too costly. lower of a
// string is no longer than the string.
func TestCELCostEstimateOfLower(t *testing.T) {
	for _, when := range []string{
		`lower(process.top_name.name).contains("basenamedobjects")`,
		`lower(process.image).endsWith(".exe")`,
		`lower(process.image).matches("^svc")`,
		`process.top_names.exists(n, lower(n.name).contains("session"))`,
	} {
		_, err := loadNoPanic(t, []Source{src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: "+yamlQuote(when)+"\n")})
		if err != nil {
			t.Errorf("%s is rejected:\n%v", when, err)
		}
	}
}

// Some conditions read the same in both dialects and answer differently.
// These are the dialects' own rules, recorded here so a change shows.
func TestDialectsDiffer(t *testing.T) {
	set := mustLoad(t, src("a.yaml", `rules:
  - {id: cel-div, title: t, lang: cel, when: process.handles / 1000 == 12}
  - {id: expr-div, title: t, lang: expr, when: process.handles / 1000 == 12}
  - {id: cel-key, title: t, lang: cel, when: 'process.by_type["Mutant"] > 0'}
  - {id: expr-key, title: t, lang: expr, when: 'process.by_type["Mutant"] > 0'}
`))
	p := &facts.ProcessFacts{Handles: 12345, ByType: map[string]int64{"Event": 1}}
	type result struct {
		Match bool
		Err   bool
	}
	got := map[string]result{}
	for _, r := range set.Rules {
		ok, err := r.Match(noSnapshot, p)
		got[r.ID] = result{ok, err != nil}
	}
	want := map[string]result{
		"cel-div":  {true, false},  // CEL divides whole numbers as whole numbers
		"expr-div": {false, false}, // expr's / always gives a fraction
		"cel-key":  {false, true},  // CEL: no such key is an error
		"expr-key": {false, false}, // expr: a missing key reads as 0
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
