package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

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

func TestPatternMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"svchost.exe", "svchost.exe", true},
		{"svchost.exe", "SVCHOST.EXE", true},
		{"SvcHost.EXE", "svchost.exe", true},
		{"svchost.exe", "svchost.exe2", false},
		{"svchost.exe", "svchost.ex", false},
		{"*.exe", "a.exe", true},
		{"*.exe", ".exe", true},
		{"*.exe", "a.exe.bak", false},
		{"*", "", true},
		{"*", "anything at all", true},
		{"svc?ost.exe", "svchost.exe", true},
		{"svc?ost.exe", "svcost.exe", false},
		{"svc?ost.exe", "svcxxost.exe", false},
		{"a?", "a", false},
		{"a?", "ab", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "axxbyy", false},
		{"*ab", "aab", true}, // the star must give back what it took
		{"*a*a*a*b", strings.Repeat("a", 40), false},
		{"*a*a*a*b", strings.Repeat("a", 40) + "b", true},
		{`C:\Windows\*`, `c:\windows\system32\drivers\x.sys`, true}, // '*' crosses separators
		{`*\ntdll.dll`, `C:\Windows\System32\NTDLL.DLL`, true},
		{`\BaseNamedObjects\Session*`, `\BASENAMEDOBJECTS\SessionImmersive`, true},
		{"[a].exe", "[A].EXE", true}, // brackets are literal
		{"[a].exe", "a.exe", false},
		{"CAFÉ.EXE", "café.exe", true},
	} {
		p, err := compilePattern(c.pattern)
		if err != nil {
			t.Errorf("compilePattern(%q): %v", c.pattern, err)
			continue
		}
		if got := p.Match(c.s); got != c.want {
			t.Errorf("%q.Match(%q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
	for _, bad := range []string{"", "**", "?", "*?*"} {
		if _, err := compilePattern(bad); err == nil {
			t.Errorf("compilePattern(%q) succeeded; want an error", bad)
		}
	}
}

func TestPatternSpecificity(t *testing.T) {
	for pattern, want := range map[string]int{
		"*":            0,
		"*.exe":        4,
		"svchost.exe":  11,
		"svc?ost*":     6,
		`C:\Windows\*`: 11,
	} {
		p, err := compilePattern(pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Specificity(); got != want {
			t.Errorf("%q.Specificity() = %d, want %d", pattern, got, want)
		}
	}
	// An owner's specificity adds up its patterns'.
	img, _ := compilePattern("svchost.exe")
	obj, _ := compilePattern(`\Sessions\*`)
	if got := (&Owner{Image: img, ObjectName: obj}).specificity(); got != 11+10 {
		t.Errorf("owner specificity = %d, want 21", got)
	}
}

// Patterns match characters, as the doc says ("'?' any one character"),
// not bytes; and Specificity counts characters.
func TestPatternNonASCII(t *testing.T) {
	p, err := compilePattern("caf?.exe")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Match("café.exe") {
		t.Errorf(`"caf?.exe".Match("café.exe") = false; '?' must match the one character é`)
	}
	if p.Match("cafe\u0301x.exe") {
		t.Errorf(`"caf?.exe" matched two characters`)
	}
	q, _ := compilePattern("café*")
	if got := q.Specificity(); got != 4 {
		t.Errorf(`"café*".Specificity() = %d, want 4 (literal characters)`, got)
	}
}

// Owners decode, in file order, with their positions.
func TestOwners(t *testing.T) {
	set := mustLoad(t,
		src("a.yaml", "owners:\n  - match: {image: svchost.exe}\n    component: Service host\n"),
		src("b.yaml", "owners:\n  - match:\n      image: '*.exe'\n      module: contoso*.dll\n    vendor: Contoso\n    contact: ops@contoso.example\n"),
	)
	if len(set.Owners) != 2 {
		t.Fatalf("%d owners, want 2", len(set.Owners))
	}
	o := set.Owners[1]
	if o.Pos != (Pos{"b.yaml", 2, 5}) || o.Vendor != "Contoso" || o.Contact != "ops@contoso.example" ||
		o.Image.Text != "*.exe" || o.Module.Text != "contoso*.dll" || o.ObjectName != nil {
		t.Errorf("owner = %+v", o)
	}
	if set.Owners[0].Component != "Service host" || set.Owners[0].Pos != (Pos{"a.yaml", 2, 5}) {
		t.Errorf("first owner = %+v", set.Owners[0])
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "", 1},
		{"", "abc", 3},
		{"same", "same", 0},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"handels", "handles", 1}, // a swap of neighbours is one edit
		{"treshold", "threshold", 1},
		{"serverity", "severity", 1},
		{"image", "imag", 1},
		{"abc", "xyz", 3},
	} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := editDistance(c.b, c.a); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (it is symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	top := []string{"lists", "params", "rules", "owners"}
	for _, c := range []struct {
		word  string
		cands []string
		want  string
	}{
		{"handels", allFactFields, `handles`},
		{"handle_cnt", allFactFields, `handle_count`},
		{"proces_count", allFactFields, `process_count`},
		{"imag", allFactFields, `image`},
		{"rule", top, `rules`},
		{"param", top, `params`},
		{"xyz", top, ``},
		{"owner_list", top, ``},
		{"treshold", []string{"threshold", "min_share"}, `threshold`},
		{"eror", severity.Names, `error`},
		{"critical", severity.Names, ``},
		// Ties go to the candidate first in sort order, whatever the
		// order given.
		{"abcd", []string{"abcf", "abce"}, `abce`},
		{"abcd", []string{"abce", "abcf"}, `abce`},
		// Too far for a short word: a typo changes a third at most.
		{"ab", []string{"xy"}, ``},
		{"abc", []string{"axy"}, ``},
		{"abc", []string{"abx"}, `abx`},
		{"abcd", []string{"abxy"}, ``},
		{"abc", nil, ``},
	} {
		want := ""
		if c.want != "" {
			want = fmt.Sprintf(" (did you mean %q?)", c.want)
		}
		if got := suggest(c.word, c.cands); got != want {
			t.Errorf("suggest(%q, %v) = %q, want %q", c.word, c.cands, got, want)
		}
	}
}

// Two letters swapped is the commonest typo; in a short word Levenshtein
// counts it as two edits, over the limit, so "tilte" gets no "did you
// mean". These want a suggestion.
func TestSuggestTranspositions(t *testing.T) {
	ruleKeys := []string{"id", "title", "scope", "lang", "when", "score", "severity", "message", "remediation", "references", "tags", "enabled", "override", "params"}
	for _, c := range []struct {
		word  string
		cands []string
		want  string
	}{
		{"tilte", ruleKeys, "title"},
		{"scoep", ruleKeys, "scope"},
		{"whne", ruleKeys, "when"},
		{"lnag", ruleKeys, "lang"},
		{"imgae", allFactFields, "image"},
		{"lsits", []string{"lists", "params", "rules", "owners"}, "lists"},
	} {
		want := fmt.Sprintf(" (did you mean %q?)", c.want)
		if got := suggest(c.word, c.cands); got != want {
			t.Errorf("suggest(%q) = %q, want %q", c.word, got, want)
		}
	}
}

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
