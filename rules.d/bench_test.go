package rulesd_test

import (
	"context"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/internal/benchsnap"
	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// BenchmarkDefaultRules runs the whole default rule set over a snapshot of
// 10,000 processes and reports the time per process per rule.
func BenchmarkDefaultRules(b *testing.B) {
	srcs, err := rules.ReadDir(rulesd.FS, ".")
	if err != nil {
		b.Fatal(err)
	}
	set, err := rules.Load(srcs)
	if err != nil {
		b.Fatal(err)
	}
	const procs = 10_000
	snap := benchsnap.Build(procs)
	nrules := len(set.Enabled())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := engine.Run(context.Background(), set, snap, engine.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/procs/float64(nrules), "ns/process/rule")
}
