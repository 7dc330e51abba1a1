package rules

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// manyRules is a rule file of n rules, each with a condition and a
// message in a block scalar, as a large site file would have them.
func manyRules(n int) Source {
	var b strings.Builder
	b.WriteString("rules:\n")
	for i := range n {
		fmt.Fprintf(&b, `  - id: SITE%05d
    title: rule %d of a large site file
    when: >-
      process.handles > params.limit &&
      lower(process.image) == "agent%d.exe"
    params: {limit: %d}
    message: >-
      {{.process.image}} holds {{count .process.handles}} handles,
      over {{count .params.limit}}
`, i, i, i, 1000+i)
	}
	return Source{Path: "many.yaml", Data: []byte(b.String())}
}

// BenchmarkLoad4000Rules loads one file of 4,000 rules. Positions of
// conditions and messages are found from an index of the file's lines
// built once, so the time grows with the file, not with its square.
func BenchmarkLoad4000Rules(b *testing.B) {
	src := manyRules(4000)
	b.SetBytes(int64(len(src.Data)))
	for b.Loop() {
		if _, err := Load([]Source{src}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad4000RulesOver4000Params loads the same rules after a file
// of 4,000 params. Every rule sees every param, but a rule is compiled
// with only the params it names and shares the rest, so the time does not
// grow with rules times params.
func BenchmarkLoad4000RulesOver4000Params(b *testing.B) {
	var p strings.Builder
	p.WriteString("params:\n")
	for i := range 4000 {
		fmt.Fprintf(&p, "  p%d: %d\n", i, i)
	}
	srcs := []Source{{Path: "params.yaml", Data: []byte(p.String())}, manyRules(4000)}
	for b.Loop() {
		if _, err := Load(srcs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadDefaultRules loads the rules leakdiag ships (rules.d):
// what every analysis pays before its first evaluation, most of a small
// capture's run; "checked" with their CEL expressions checked ahead
// (WithChecked), as the binary loads them.
func BenchmarkLoadDefaultRules(b *testing.B) {
	srcs, err := ReadDir(os.DirFS("../rules.d"), ".")
	if err != nil {
		b.Fatal(err)
	}
	checked, err := CheckCEL(srcs)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		opts []Option
	}{{"compiled", nil}, {"checked", []Option{WithChecked(checked)}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(srcs, bc.opts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
