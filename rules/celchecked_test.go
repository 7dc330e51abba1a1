package rules

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/cel-go/cel"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/leakdiag/leakdiag/facts"
)

// defaultSources are the default rules, read from ../rules.d.
func defaultSources(t *testing.T) []Source {
	t.Helper()
	srcs, err := ReadDir(os.DirFS("../rules.d"), ".")
	if err != nil {
		t.Fatal(err)
	}
	return srcs
}

// roundTrip is c written and read back, as a binary embeds it.
func roundTrip(t *testing.T, c *CheckedCEL) *CheckedCEL {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadCheckedCEL(data)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// TestCheckedCELGivesTheSameRules loads the default rules compiled anew
// and taken from a CheckedCEL, and compares every CEL condition and score:
// the checked AST, the cost estimate, and the answers, scores and
// explanations over the evaluation tests' processes.
func TestCheckedCELGivesTheSameRules(t *testing.T) {
	srcs := defaultSources(t)
	c, err := CheckCEL(srcs)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := Load(srcs)
	if err != nil {
		t.Fatal(err)
	}
	checked := roundTrip(t, c)
	cached, err := Load(srcs, WithChecked(checked))
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh.Rules) != len(cached.Rules) {
		t.Fatalf("%d rules fresh, %d from checked", len(fresh.Rules), len(cached.Rules))
	}
	celRules := 0
	for i, f := range fresh.Rules {
		k := cached.Rules[i]
		for _, pair := range [][2]evaluator{{f.cond, k.cond}, {f.score, k.score}} {
			fp, ok := pair[0].(*celProgram)
			if !ok {
				continue
			}
			celRules++
			kp := pair[1].(*celProgram)
			fpb, err1 := cel.AstToCheckedExpr(fp.ast)
			kpb, err2 := cel.AstToCheckedExpr(kp.ast)
			if err1 != nil || err2 != nil || !proto.Equal(fpb, kpb) {
				t.Errorf("%s: the checked AST differs (%v, %v)", f.ID, err1, err2)
			}
			if fp.estimate != kp.estimate || (fp.fast == nil) != (kp.fast == nil) {
				t.Errorf("%s: estimate %d (fast %v) fresh, %d (fast %v) from checked", f.ID, fp.estimate, fp.fast != nil, kp.estimate, kp.fast != nil)
			}
		}
		for _, p := range append(evalProcs, nil) {
			if (p == nil) != (f.Scope == ScopeSnapshot) {
				continue
			}
			fm, ferr := f.Match(evalSnap, p)
			km, kerr := k.Match(evalSnap, p)
			if fm != km || (ferr == nil) != (kerr == nil) {
				t.Errorf("%s: Match %v, %v fresh; %v, %v from checked", f.ID, fm, ferr, km, kerr)
			}
			fs, _ := f.ScoreOf(evalSnap, p)
			ks, _ := k.ScoreOf(evalSnap, p)
			if fs != ks {
				t.Errorf("%s: score %v fresh, %v from checked", f.ID, fs, ks)
			}
			fx, ferr := f.Explain(evalSnap, p)
			kx, kerr := k.Explain(evalSnap, p)
			if (ferr == nil) != (kerr == nil) {
				t.Errorf("%s: Explain errors %v, %v", f.ID, ferr, kerr)
			}
			if diff := cmp.Diff(fx, kx); diff != "" {
				t.Errorf("%s: explanations differ (-fresh +checked):\n%s", f.ID, diff)
			}
		}
	}
	if celRules == 0 || checked.Len() == 0 {
		t.Fatalf("no CEL expression compared (%d checked)", checked.Len())
	}
}

// TestCheckedCELIsUsed swaps the checked AST of one condition for
// another's of the same environment: the rule then answers as the other,
// which shows the condition was not parsed and checked again.
func TestCheckedCELIsUsed(t *testing.T) {
	file := func(cond string) []Source {
		return []Source{{Path: "t.yaml", Data: []byte(`rules:
  - id: T1
    title: t
    scope: process
    lang: cel
    when: ` + cond + `
    message: m
`)}}
	}
	many, few := "process.handles > 10000", "process.handles > 10"
	cm, err := CheckCEL(file(many))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := CheckCEL(file(few))
	if err != nil {
		t.Fatal(err)
	}
	swapped := roundTrip(t, cm)
	swapped.entries[many][0].Checked = roundTrip(t, cf).entries[few][0].Checked
	proc := &facts.ProcessFacts{Image: "a.exe", Handles: 500}
	for _, tc := range []struct {
		name string
		c    *CheckedCEL
		want bool
	}{{"fresh", nil, false}, {"checked", roundTrip(t, cm), false}, {"swapped", swapped, true}} {
		set, err := Load(file(many), WithChecked(tc.c))
		if err != nil {
			t.Fatal(err)
		}
		got, err := set.Rules[0].Match(evalSnap, proc)
		if err != nil || got != tc.want {
			t.Errorf("%s: Match = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

// TestCheckedCELOnlyInItsEnvironment: an expression checked with a param
// of one type, or in another scope, or against other facts, or damaged,
// is compiled anew, with the problems a fresh compile finds.
func TestCheckedCELOnlyInItsEnvironment(t *testing.T) {
	rule := func(limit, scope string) Source {
		return Source{Path: "t.yaml", Data: []byte(`rules:
  - id: T1
    title: t
    scope: ` + scope + `
    lang: cel
    when: process.handles > params.limit
    params: {limit: ` + limit + `}
    message: m
`)}
	}
	c, err := CheckCEL([]Source{rule("5", "process")})
	if err != nil {
		t.Fatal(err)
	}
	good := roundTrip(t, c)
	if good.Len() != 1 {
		t.Fatalf("%d expressions checked, want 1", good.Len())
	}
	data, _ := json.Marshal(c)
	stale, err := ReadCheckedCEL([]byte(strings.Replace(string(data), celFactsPrint(), "0000000000000000", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if stale.Len() != 0 {
		t.Errorf("a CheckedCEL made against other facts keeps %d expressions", stale.Len())
	}
	damaged := roundTrip(t, c)
	for _, es := range damaged.entries {
		es[0].Checked = []byte("not a protobuf")
	}
	for _, tc := range []struct {
		name, limit, scope string
		c                  *CheckedCEL
		wantErr            string
	}{
		{"a string param", `"many"`, "process", good, "no matching overload"},
		{"snapshot scope", "5", "snapshot", good, "use scope: process"},
		{"damaged", "5", "process", damaged, ""},
		{"stale", "5", "process", stale, ""},
	} {
		set, err := Load([]Source{rule(tc.limit, tc.scope)}, WithChecked(tc.c))
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.wantErr)
		case err == nil:
			if got, err := set.Rules[0].Match(evalSnap, &facts.ProcessFacts{Handles: 6}); !got || err != nil {
				t.Errorf("%s: Match = %v, %v; want true", tc.name, got, err)
			}
		}
	}
}
