package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/severity"
)

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
		{"handels", allFactFields(), `handles`},
		{"handle_cnt", allFactFields(), `handle_count`},
		{"proces_count", allFactFields(), `process_count`},
		{"imag", allFactFields(), `image`},
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
		{"imgae", allFactFields(), "image"},
		{"lsits", []string{"lists", "params", "rules", "owners"}, "lists"},
	} {
		want := fmt.Sprintf(" (did you mean %q?)", c.want)
		if got := suggest(c.word, c.cands); got != want {
			t.Errorf("suggest(%q) = %q, want %q", c.word, got, want)
		}
	}
}
