package engine_test

import (
	"context"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/internal/benchsnap"
)

// BenchmarkRun evaluates the default rules over 10,000 processes, the
// figure issue 17 sets a goal for (under 50 ms beyond reading them), and
// reports allocations and time per process-rule pair besides -benchmem's
// totals.
func BenchmarkRun(b *testing.B) {
	set := defaultRules(b)
	const procs = 10_000
	snap := benchsnap.Build(procs)
	pairs := float64(procs * len(set.Enabled()))
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := engine.Run(context.Background(), set, snap, engine.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// On a shared machine wall time varies with the load; the CPU time
	// the process took (the garbage collector's included) varies less.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	allocs := testing.AllocsPerRun(1, func() {
		if _, err := engine.Run(context.Background(), set, snap, engine.Options{}); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(allocs/pairs, "allocs/process/rule")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pairs, "ns/process/rule")
}
