package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// explainOf loads one rule and explains it for a process.
func explainOf(t *testing.T, rule string, proc facts.ProcessFacts) *Explanation {
	t.Helper()
	set := mustLoad(t, src("r.yaml", `
params:
  threshold: 10000
lists:
  heavy: [store.exe, sqlservr.exe]
rules:
`+rule))
	x, err := set.Rules[0].Explain(&facts.SnapshotFacts{ProcessCount: 1}, &proc)
	if err != nil {
		t.Fatalf("Explain: %v", err)
	}
	return x
}

func TestExplainFalsePart(t *testing.T) {
	proc := facts.ProcessFacts{PID: 4, Image: "spoolsv.exe", Handles: 1056,
		ByType: map[string]int64{"Event": 900, "File": 156}}
	for _, lang := range []string{"cel", "expr"} {
		t.Run(lang, func(t *testing.T) {
			notIn := `!(lower(process.image) in lists.heavy)`
			if lang == "expr" {
				notIn = `not (lower(process.image) in lists.heavy)`
			}
			x := explainOf(t, `
  - id: R1
    title: t
    lang: `+lang+`
    when: process.handles > params.threshold && `+notIn+` && process.by_type["Event"] > 500
`, proc)
			if x.Fired || x.Result != "false" {
				t.Errorf("fired %v, result %q; want not fired, false", x.Fired, x.Result)
			}
			got := map[string]string{}
			for _, v := range x.Values {
				got[v.Name] = v.Value
			}
			byType := `process.by_type["Event"]`
			if lang == "expr" {
				byType = `process.by_type.Event`
			}
			want := map[string]string{
				"process.handles": "1056", "params.threshold": "10000", "process.image": `"spoolsv.exe"`,
				"lists.heavy": `["store.exe", "sqlservr.exe"]`, byType: "900",
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("values (-want +got):\n%s", d)
			}
			if x.Condition.Op != "and" || len(x.Condition.Parts) != 3 {
				t.Fatalf("condition = %+v, want an and of three", x.Condition)
			}
			var why []string
			for _, p := range x.Condition.Why() {
				why = append(why, p.Source+" = "+p.Value)
			}
			if d := cmp.Diff([]string{"process.handles > params.threshold = false"}, why); d != "" {
				t.Errorf("why (-want +got):\n%s", d)
			}
		})
	}
}

func TestExplainFiredAndExcepted(t *testing.T) {
	rule := `
  - id: R1
    title: t
    when: process.handles > 100 || process.image == "x.exe"
    exceptions:
      - name: store
        reason: by design
        match: [[image, "=", store.exe]]
`
	x := explainOf(t, rule, facts.ProcessFacts{Image: "a.exe", Handles: 500})
	if !x.Fired || x.Result != "true" || x.Exception != nil {
		t.Errorf("a.exe: fired %v result %q exception %v; want fired", x.Fired, x.Result, x.Exception)
	}
	if why := x.Condition.Why(); len(why) != 1 || why[0].Source != "process.handles > 100" {
		t.Errorf("why a true or = %+v, want its true part", why)
	}
	x = explainOf(t, rule, facts.ProcessFacts{Image: "store.exe", Handles: 500})
	if x.Fired || x.Result != "true" || x.Exception == nil || x.Exception.Name != "store" {
		t.Errorf("store.exe: fired %v result %q exception %v; want the exception to hold", x.Fired, x.Result, x.Exception)
	}
	x = explainOf(t, rule, facts.ProcessFacts{Image: "b.exe", Handles: 5})
	if why := x.Condition.Why(); len(why) != 2 {
		t.Errorf("why a false or = %+v, want both parts", why)
	}
}

func TestExplainErrorPart(t *testing.T) {
	// Evaluated alone, the guarded index fails; the guard is what made
	// the condition false.
	x := explainOf(t, `
  - id: R1
    title: t
    when: '"Mutant" in process.by_type && process.by_type["Mutant"] > 10'
`, facts.ProcessFacts{ByType: map[string]int64{"Event": 3}})
	why := x.Condition.Why()
	if len(why) != 1 || why[0].Value != "false" {
		t.Errorf("why = %+v, want the guard", why)
	}
	if p := x.Condition.Parts[1]; p.Value[:6] != "error:" {
		t.Errorf("the guarded part = %q, want an error", p.Value)
	}
}

func TestExplainComprehensionIsALeaf(t *testing.T) {
	x := explainOf(t, `
  - id: R1
    title: t
    when: process.top_names.exists(n, n.count > 1000 && n.name.startsWith("\\REGISTRY"))
`, facts.ProcessFacts{TopNames: []facts.NameFacts{{Name: `\REGISTRY\A`, Type: "Key", Count: 5}}})
	if x.Condition.Op != "" || x.Condition.Value != "false" {
		t.Errorf("condition = %+v, want one false leaf", x.Condition)
	}
	if len(x.Values) != 1 || x.Values[0].Name != "process.top_names" {
		t.Errorf("values = %+v, want process.top_names only", x.Values)
	}
}

func TestFormatValue(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{int64(3), "3"}, {"a\"b", `"a\"b"`}, {0.25, "0.25"}, {true, "true"}, {nil, "null"},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, `["a", "b", "c", "d", "e", ... (2 more)]`},
		{map[string]int64{"b": 2, "a": 1}, `{"a": 1, "b": 2}`},
		{facts.NameFacts{Name: "n", Type: "Key", Count: 2}, `{name: "n", type: "Key", count: 2, count_error: 0}`},
	} {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}
