package rulesd_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
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
	images := []string{"svchost.exe", "chrome.exe", "sqlservr.exe", "w3wp.exe", "agent.exe", "explorer.exe", "store.exe"}
	types := []string{"Event", "File", "Key", "Section", "Mutant", "ALPC Port", "Thread"}
	bld := facts.NewBuilder()
	const procs = 10_000
	for i := 0; i < procs; i++ {
		p := bld.Process(fmt.Sprintf("ffff%012x", i), facts.Position{Path: "bench.txt", Line: int64(i + 1)})
		p.P.PID, p.P.Image = uint64(4*i+8), images[i%len(images)]
		handles := 50 + i%400
		if i%1000 == 0 {
			handles = 15000 // a few leakers, so rules fire and messages render
		}
		n := int64(handles)
		p.P.HandleCount = &n
		for h := 0; h < handles; h++ {
			typ := types[(h*7+i)%len(types)]
			hd := &facts.Handle{Value: uint64(4 * (h + 1)), Type: typ, Naming: facts.Unnamed}
			if h%3 == 0 {
				hd.Naming, hd.Name = facts.Named, fmt.Sprintf(`\REGISTRY\MACHINE\SOFTWARE\Vendor%d\Key%d`, i%50, h%20)
			}
			p.AddHandle(hd)
		}
	}
	snap := bld.Snapshot()
	nrules := len(set.Enabled())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := engine.Run(context.Background(), set, snap, engine.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/procs/float64(nrules), "ns/process/rule")
}
