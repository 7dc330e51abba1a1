package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// src is a rule file for Load.
func src(path, data string) Source { return Source{Path: path, Data: []byte(data)} }

func mustLoad(t *testing.T, srcs ...Source) *Set {
	t.Helper()
	set, err := loadNoPanic(t, srcs)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return set
}

// loadErrors loads srcs, which must not load, and returns the errors.
func loadErrors(t *testing.T, srcs ...Source) ErrorList {
	t.Helper()
	_, err := loadNoPanic(t, srcs)
	if err == nil {
		t.Fatal("Load succeeded; want errors")
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Load returned %T, not an ErrorList: %v", err, err)
	}
	return list
}

func ruleByID(t *testing.T, set *Set, id string) *Rule {
	t.Helper()
	for _, r := range set.Rules {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %q", id)
	return nil
}

func ruleIDs(rules []*Rule) []string {
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	return ids
}

// errorSummary is what tests compare of an error: its place, rule and code.
type errorSummary struct {
	Pos    string
	RuleID string
	Code   string
}

func summarize(l ErrorList) []errorSummary {
	var out []errorSummary
	for _, e := range l {
		out = append(out, errorSummary{e.Pos.String(), e.RuleID, e.Code})
	}
	return out
}

var noSnapshot = &facts.SnapshotFacts{}

const layerBase = `lists:
  agents: [agent.exe, helper.exe]
params:
  threshold: 10000
  min_share: 0.8
  vendor: contoso
rules:
  - id: A1
    title: Many handles
    when: process.handles > params.threshold
    severity: warning
    params:
      limit: 5
    message: "{{.process.image}} holds {{count .process.handles}}, over {{count .params.threshold}}"
  - id: A2
    title: An agent
    lang: expr
    when: lower(process.image) in lists.agents
  - id: A3
    title: To be disabled
    when: process.exited
  - id: A4
    title: Uses a param only the site file sets
    when: process.handles > params.site_limit
`

const layerSite = `lists:
  agents: [helper.exe, monitor.exe, monitor.exe]
  extra: []
params:
  threshold: 20000
  site_limit: 3
rules:
  - id: A1
    override: true
    severity: error
    params:
      limit: 7
  - id: A2
    override: true
    when: process.image == "monitor.exe"
  - id: A3
    override: true
    enabled: false
  - id: A5
    title: New in the site file
    when: process.image in lists.agents && size(lists.extra) == 0
`

func TestLayering(t *testing.T) {
	set := mustLoad(t, src("10-base.yaml", layerBase), src("20-site.yaml", layerSite))

	if diff := cmp.Diff([]string{"A1", "A2", "A3", "A4", "A5"}, ruleIDs(set.Rules)); diff != "" {
		t.Errorf("rules are not in the order first defined (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"A1", "A2", "A4", "A5"}, ruleIDs(set.Enabled())); diff != "" {
		t.Errorf("Enabled (-want +got):\n%s", diff)
	}

	// Lists merge in order, without duplicates; a list declared empty exists.
	wantLists := map[string][]string{
		"agents": {"agent.exe", "helper.exe", "monitor.exe"},
		"extra":  {},
	}
	if diff := cmp.Diff(wantLists, set.Lists); diff != "" {
		t.Errorf("Lists (-want +got):\n%s", diff)
	}
	// A later file's param wins.
	wantParams := map[string]any{"threshold": int64(20000), "min_share": 0.8, "vendor": "contoso", "site_limit": int64(3)}
	if diff := cmp.Diff(wantParams, set.Params); diff != "" {
		t.Errorf("Params (-want +got):\n%s", diff)
	}

	a1 := ruleByID(t, set, "A1")
	if a1.Severity != severity.Error || a1.Title != "Many handles" || a1.Lang != LangCEL || a1.Scope != ScopeProcess {
		t.Errorf("A1 after override: severity %q title %q lang %q scope %q; want error, the base title, cel, process",
			a1.Severity, a1.Title, a1.Lang, a1.Scope)
	}
	// The rule sees the files' params, the later one's value, and its own
	// as overridden.
	wantA1 := map[string]any{"threshold": int64(20000), "min_share": 0.8, "vendor": "contoso", "site_limit": int64(3), "limit": int64(7)}
	if diff := cmp.Diff(wantA1, a1.Params()); diff != "" {
		t.Errorf("A1 params (-want +got):\n%s", diff)
	}
	a2 := ruleByID(t, set, "A2")
	if a2.When != `process.image == "monitor.exe"` || a2.Lang != LangExpr {
		t.Errorf("A2: when %q lang %q; want the override's condition, still expr", a2.When, a2.Lang)
	}
	if a3 := ruleByID(t, set, "A3"); a3.Enabled {
		t.Error("A3 is enabled after an override with enabled: false")
	}

	// Defined and Overridden: the rule's first key, in its file.
	wantPos := map[string][2]any{
		"A1": {Pos{"10-base.yaml", 8, 5}, []Pos{{"20-site.yaml", 8, 5}}},
		"A2": {Pos{"10-base.yaml", 15, 5}, []Pos{{"20-site.yaml", 13, 5}}},
		"A3": {Pos{"10-base.yaml", 19, 5}, []Pos{{"20-site.yaml", 16, 5}}},
		"A4": {Pos{"10-base.yaml", 22, 5}, []Pos(nil)},
		"A5": {Pos{"20-site.yaml", 19, 5}, []Pos(nil)},
	}
	for id, want := range wantPos {
		r := ruleByID(t, set, id)
		if diff := cmp.Diff(want, [2]any{r.Defined, r.Overridden}); diff != "" {
			t.Errorf("%s Defined, Overridden (-want +got):\n%s", id, diff)
		}
	}

	// The layered rules evaluate with the layered values.
	procs := map[string]*facts.ProcessFacts{
		"15000 handles": {Image: "svchost.exe", Handles: 15000},
		"25000 handles": {Image: "svchost.exe", Handles: 25000},
		"monitor":       {Image: "monitor.exe", Handles: 2},
		"agent":         {Image: "Agent.exe", Handles: 5, Exited: true},
	}
	want := map[string][]string{
		"15000 handles": {"A4"},
		"25000 handles": {"A1", "A4"},
		"monitor":       {"A2", "A5"},
		"agent":         {"A4"}, // lists match case-sensitively
	}
	for name, p := range procs {
		var got []string
		for _, r := range set.Enabled() {
			ok, err := r.Match(noSnapshot, p)
			if err != nil {
				t.Errorf("%s on %s: %v", r.ID, name, err)
			}
			if ok {
				got = append(got, r.ID)
			}
		}
		if diff := cmp.Diff(want[name], got); diff != "" {
			t.Errorf("rules matching %s (-want +got):\n%s", name, diff)
		}
	}
	msg, err := a1.Render(noSnapshot, procs["25000 handles"])
	if err != nil || msg != "svchost.exe holds 25,000, over 20,000" {
		t.Errorf("A1 message: %q, %v; want the site's threshold in it", msg, err)
	}
}

func TestOverridesInOrder(t *testing.T) {
	set := mustLoad(t,
		src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: process.handles > 1\n  - id: R\n    override: true\n    severity: info\n"),
		src("b.yaml", "rules:\n  - id: R\n    override: true\n    severity: error\n    when: process.handles > 2\n"),
		src("c.yaml", "# a comment\n\nrules:\n  - id: R\n    override: true\n    when: process.handles > 3\n    lang: expr\n"),
	)
	r := ruleByID(t, set, "R")
	wantOver := []Pos{{"a.yaml", 5, 5}, {"b.yaml", 2, 5}, {"c.yaml", 4, 5}}
	if diff := cmp.Diff(wantOver, r.Overridden); diff != "" {
		t.Errorf("Overridden (-want +got):\n%s", diff)
	}
	if r.Defined != (Pos{"a.yaml", 2, 5}) {
		t.Errorf("Defined = %v", r.Defined)
	}
	if r.Severity != severity.Error || r.When != "process.handles > 3" || r.Lang != LangExpr {
		t.Errorf("got severity %q, when %q, lang %q; want the last override's values", r.Severity, r.When, r.Lang)
	}
	for handles, want := range map[int64]bool{3: false, 4: true} {
		if got, err := r.Match(noSnapshot, &facts.ProcessFacts{Handles: handles}); got != want || err != nil {
			t.Errorf("Match with %d handles = %v, %v; want %v", handles, got, err, want)
		}
	}
}

// A rule's own param is what it sees, over a file's param of the same
// name, even one set in a later file.
func TestRuleParamOverFileParam(t *testing.T) {
	set := mustLoad(t,
		src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: process.handles > params.threshold\n    params: {threshold: 10}\n"),
		src("b.yaml", "params:\n  threshold: 99\n"),
	)
	r := ruleByID(t, set, "R")
	if r.Params()["threshold"] != int64(10) || set.Params["threshold"] != int64(99) {
		t.Errorf("rule sees %v, the set has %v; want 10 and 99", r.Params()["threshold"], set.Params["threshold"])
	}
	if ok, _ := r.Match(noSnapshot, &facts.ProcessFacts{Handles: 50}); !ok {
		t.Error("50 handles do not match > params.threshold with the rule's own threshold of 10")
	}
}

func TestParamKindChanges(t *testing.T) {
	base := src("a.yaml", `params:
  limit: 10
  ratio: 0.5
  name: x
  flag: true
  names: [a]
  table: {a.exe: 1}
rules:
  - id: R
    title: t
    when: process.handles > params.own
    params:
      own: 10
`)
	for _, c := range []struct {
		name, site string
		want       []errorSummary
		msg        string
	}{
		{"file int to string", "params:\n  limit: ten\n",
			[]errorSummary{{"b.yaml:2:3", "", CodeBadValue}}, `param "limit" was a whole number, cannot become a string`},
		{"file int to fraction", "params:\n  limit: 10.5\n",
			[]errorSummary{{"b.yaml:2:3", "", CodeBadValue}}, `param "limit" was a whole number, cannot become a fraction`},
		{"file string to bool", "params:\n  name: false\n",
			[]errorSummary{{"b.yaml:2:3", "", CodeBadValue}}, `param "name" was a string, cannot become true/false`},
		{"file bool to list", "params:\n  flag: [a]\n",
			[]errorSummary{{"b.yaml:2:3", "", CodeBadValue}}, `param "flag" was true/false, cannot become a list`},
		{"file list to table", "params:\n  names: {a: 1}\n",
			[]errorSummary{{"b.yaml:2:3", "", CodeBadValue}}, `param "names" was a list, cannot become a table`},
		{"file table to int", "params:\n  table: 5\n",
			[]errorSummary{{"b.yaml:2:3", "", CodeBadValue}}, `param "table" was a table, cannot become a whole number`},
		{"rule int to string", "rules:\n  - id: R\n    override: true\n    params:\n      own: ten\n",
			[]errorSummary{{"b.yaml:5:7", "R", CodeBadValue}}, `param "own" was a whole number, cannot become a string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			errs := loadErrors(t, base, src("b.yaml", c.site))
			if diff := cmp.Diff(c.want, summarize(errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, errs)
			}
			if len(errs) > 0 && errs[0].Msg != c.msg {
				t.Errorf("message %q, want %q", errs[0].Msg, c.msg)
			}
		})
	}

	// A whole number may replace a fraction; the same kind may change
	// value; a table adds to the earlier table.
	set := mustLoad(t, base, src("b.yaml", "params:\n  ratio: 2\n  limit: 20\n  names: [b]\n  table: {b.exe: 2}\n"))
	want := map[string]any{"limit": int64(20), "name": "x", "flag": true, "names": []string{"b"}, "table": map[string]int64{"a.exe": 1, "b.exe": 2}}
	got := map[string]any{}
	for k, v := range set.Params {
		if k != "ratio" {
			got[k] = v
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("params after the site file (-want +got):\n%s", diff)
	}
}

// A whole number written where the earlier file had a fraction is allowed
// (min_ratio: 20 for 20.0), and must stay a number of the kind the rules
// were written against: a CEL condition multiplying it by a double must
// still compile, and the error, if any, belongs to the file that changed
// it, not to the rule in the file that did not.
func TestParamFractionBecomesWholeNumber(t *testing.T) {
	base := src("a.yaml", `params:
  scale: 2.5
rules:
  - id: R
    title: t
    when: process.dominant_share * params.scale > 1.0
`)
	set, err := loadNoPanic(t, []Source{base, src("b.yaml", "params:\n  scale: 3\n")})
	if err != nil {
		t.Fatalf("a site file setting scale: 3 where the default is 2.5 breaks the default rule:\n%v", err)
	}
	if v, ok := set.Params["scale"].(float64); !ok || v != 3 {
		t.Errorf("scale = %#v; want float64(3), the kind it was", set.Params["scale"])
	}
	if ok, err := ruleByID(t, set, "R").Match(noSnapshot, &facts.ProcessFacts{DominantShare: 0.5}); !ok || err != nil {
		t.Errorf("Match = %v, %v; want true", ok, err)
	}
}

// An override that empties a rule's condition must not load: a rule with
// no condition has nothing to evaluate (and Match dereferences nil).
func TestOverrideEmptyCondition(t *testing.T) {
	for _, when := range []string{`""`, ``, `"   "`} {
		t.Run("when: "+when, func(t *testing.T) {
			srcs := []Source{
				src("a.yaml", "rules:\n  - id: R\n    title: t\n    when: process.handles > 1\n"),
				src("b.yaml", "rules:\n  - id: R\n    override: true\n    when: "+when+"\n"),
			}
			set, err := loadNoPanic(t, srcs)
			if err != nil {
				return
			}
			t.Errorf("Load succeeded with an empty condition; want an error at b.yaml:4")
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("and Match panics: %v", r)
					}
				}()
				set.Rules[0].Match(noSnapshot, &facts.ProcessFacts{})
			}()
		})
	}
}

// reversedFS returns directory entries in reverse order, to show ReadDir
// sorts them itself.
type reversedFS struct{ fstest.MapFS }

func (f reversedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := f.MapFS.ReadDir(name)
	slices.Reverse(entries)
	return entries, err
}

func TestReadDir(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		"rules/90-site.yaml":         file("# 90\n"),
		"rules/10-base.yaml":         file("# 10\n"),
		"rules/50-mid.yml":           file("# 50\n"),
		"rules/README.md":            file("not rules"),
		"rules/20-old.yaml.bak":      file("not rules"),
		"rules/30-notes.txt":         file("not rules"),
		"rules/sub.yaml/inner.yaml":  file("# in a directory named like a rule file"),
		"rules/nested/40-deep.yaml":  file("# not read: ReadDir is not recursive"),
		"rules/05-empty.yaml":        file(""),
		"other/00-elsewhere.yaml":    file("# another directory"),
		"rules/100-after-90.yaml":    file("# name order, not number order"),
		"rules/A-upper-first.yaml":   file("# upper case sorts after digits"),
		"rules/.hidden.yaml":         file("# a dot file is still a YAML file"),
		"rules/no-extension-yaml":    file("not rules"),
		"rules/trailing.yaml~":       file("an editor's backup"),
		"rules/59-mid.yml.swp":       file("an editor's swap file"),
		"rules/60-double.yaml.yaml":  file("# ends in .yaml"),
		"rules/70-dotyml.json":       file("not rules"),
		"rules/80-yaml":              file("not rules"),
		"rules/85-.yaml-in-name.txt": file("not rules"),
	}
	want := []Source{
		{"rules/.hidden.yaml", []byte("# a dot file is still a YAML file")},
		{"rules/05-empty.yaml", []byte("")},
		{"rules/10-base.yaml", []byte("# 10\n")},
		{"rules/100-after-90.yaml", []byte("# name order, not number order")},
		{"rules/50-mid.yml", []byte("# 50\n")},
		{"rules/60-double.yaml.yaml", []byte("# ends in .yaml")},
		{"rules/90-site.yaml", []byte("# 90\n")},
		{"rules/A-upper-first.yaml", []byte("# upper case sorts after digits")},
	}
	for name, fsys := range map[string]fs.FS{"MapFS": fsys, "reversed": reversedFS{fsys}} {
		t.Run(name, func(t *testing.T) {
			got, err := ReadDir(fsys, "rules")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ReadDir (-want +got):\n%s", diff)
			}
			// What ReadDir returns loads: comments and empty files add nothing.
			if set := mustLoad(t, got...); len(set.Rules) != 0 {
				t.Errorf("rules from comment-only files: %v", ruleIDs(set.Rules))
			}
		})
	}
	if _, err := ReadDir(fsys, "missing"); err == nil {
		t.Error("ReadDir of a missing directory succeeded")
	}
	got, err := ReadDir(fsys, ".")
	if err != nil || len(got) != 0 {
		t.Errorf("ReadDir of a directory with only directories = %v, %v; want nothing", got, err)
	}
}

// Files ReadDir returns layer in name order, whatever order they are
// listed in, and keep their paths in positions.
func TestReadDirLayersByName(t *testing.T) {
	fsys := fstest.MapFS{
		"20-site.yaml": {Data: []byte("rules:\n  - id: R\n    override: true\n    severity: error\n")},
		"10-base.yaml": {Data: []byte("rules:\n  - id: R\n    title: t\n    when: process.handles > 1\n")},
	}
	srcs, err := ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	r := ruleByID(t, mustLoad(t, srcs...), "R")
	if r.Severity != severity.Error || r.Defined != (Pos{"10-base.yaml", 2, 5}) || !slices.Equal(r.Overridden, []Pos{{"20-site.yaml", 2, 5}}) {
		t.Errorf("severity %q defined %v overridden %v; want the site file layered on the base", r.Severity, r.Defined, r.Overridden)
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{Pos: Pos{"a.yaml", 3, 7}, Code: CodeType, Msg: "boom"}
	if got := e.Error(); got != "a.yaml:3:7: boom" {
		t.Errorf("Error() = %q", got)
	}
	e.RuleID, e.Snippet = "R", snippet(newLines([]byte("x\ny\n\tz: tab\n")), 3, 2)
	if got, want := e.Error(), "a.yaml:3:7: rule \"R\": boom\n     z: tab\n     ^"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	for _, c := range []struct {
		line, col int
		want      string
	}{
		{1, 1, "    abc\n    ^"},
		{1, 3, "    abc\n      ^"},
		{1, 10, "    abc\n       ^"}, // past the end: at the end
		{1, 0, "    abc\n    ^"},
		{0, 1, ""},
		{3, 1, ""},
	} {
		if got := snippet(newLines([]byte("abc\r\ndef")), c.line, c.col); got != c.want {
			t.Errorf("snippet(%d, %d) = %q, want %q", c.line, c.col, got, c.want)
		}
	}
	if err := (ErrorList{}).Err(); err != nil {
		t.Errorf("empty list's Err() = %v, want nil", err)
	}
}

// An error's Pos and Snippet agree, for a rule in every file of a layered
// load, and the list is sorted across files.
func TestErrorsSortedAcrossFiles(t *testing.T) {
	errs := loadErrors(t,
		src("b.yaml", "rules:\n  - id: B\n    title: t\n    when: process.handels > 1\n"),
		src("a.yaml", "rules:\n  - id: A\n    title: t\n    when: process.handels > 1\n  - id: B\n    title: again\n    when: process.handles > 1\n"),
	)
	want := []errorSummary{
		{"a.yaml:4:19", "A", CodeType},
		{"a.yaml:5:5", "B", CodeDuplicateID},
		{"b.yaml:4:19", "B", CodeType},
	}
	if diff := cmp.Diff(want, summarize(errs)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, e := range errs {
		if e.Code == CodeType && !strings.HasSuffix(e.Snippet, "\n"+strings.Repeat(" ", 4+18)+"^") {
			t.Errorf("%s: caret not under the field:\n%s", e.Pos, e.Snippet)
		}
	}
}

// Match, ScoreOf and Render are safe for concurrent use (run with -race).
func TestConcurrentEval(t *testing.T) {
	set := mustLoad(t, src("a.yaml", evalPreface+`rules:
  - id: C
    title: t
    when: process.handles > params.threshold && process.top_names.exists(n, n.count > 10)
    score: process.dominant_share * 100.0
    message: "{{.process.image}} {{count .process.handles}}"
  - id: E
    title: t
    lang: expr
    when: process.handles > params.threshold && any(process.top_names, .count > 10)
    score: process.dominant_share * 100
    message: "{{.process.image}} {{count .process.handles}}"
`))
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			var err error
			for i := 0; i < 200 && err == nil; i++ {
				p := evalProcs[(g+i)%len(evalProcs)]
				for _, r := range set.Rules {
					var ok bool
					if ok, err = r.Match(evalSnap, p); err == nil && ok != (p != procAgent) {
						err = fmt.Errorf("%s on %s: %v", r.ID, p.Image, ok)
					}
					if err == nil {
						_, err = r.ScoreOf(evalSnap, p)
					}
					if err == nil {
						_, err = r.Render(evalSnap, p)
					}
				}
			}
			done <- err
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestComponentNameBounded: a component template's output is a name, one
// line of at most maxComponentBytes, whatever the facts hold.
func TestComponentNameBounded(t *testing.T) {
	set := mustLoad(t, src("c.yaml", `
rules:
  - id: C1
    title: a driver's leak
    scope: snapshot
    when: "true"
    component: |
      {{.snapshot.driver_pool_leak_driver}}
        and {{range 300}}é{{end}}
`))
	name, err := ruleByID(t, set, "C1").RenderComponent(&facts.SnapshotFacts{DriverPoolLeakDriver: "fabrikamflt.sys"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "fabrikamflt.sys and éé") || !strings.HasSuffix(name, "...") || len(name) > maxComponentBytes+3 || !utf8.ValidString(name) {
		t.Errorf("component %q (%d bytes): want one line, cut at %d bytes on a character", name, len(name), maxComponentBytes)
	}
}
