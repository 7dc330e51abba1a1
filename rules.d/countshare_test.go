package rulesd_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestCountMessageSharesTheShown: where the capture shows only some of a
// process's handles (a grep of lsof beside an ls | wc -l count), LD0001
// gives the types of those shown, not their share of the count ("<0.1%"
// would read as if the type were rare); where it shows them all, the
// share of all.
func TestCountMessageSharesTheShown(t *testing.T) {
	set := loadRules(t)
	tests := []struct {
		name        string
		count       int64
		shown       int
		want, false string
	}{
		{"12 shown of 24,336", 24336, 12, "the capture shows 12 of them, 100% socket", "makes up"},
		{"all shown", 12000, 12000, "socket makes up 100% of them", "the capture shows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := facts.NewBuilder()
			p := b.ProcessByPID(1978, facts.Position{Path: "c.txt", Line: 1})
			p.P.Image, p.P.HandleCount = "java", &tc.count
			for i := 0; i < tc.shown; i++ {
				p.AddHandle(&facts.Handle{Value: uint64(4 * (i + 3)), Type: "socket", Naming: facts.Unnamed})
			}
			log := facts.NewSourceLog("c.txt", "lsof")
			log.Lines = facts.LineCounts{Total: int64(tc.shown) + 2, Parsed: int64(tc.shown) + 2}
			b.AddSource(log)
			msg := ""
			for _, f := range run(t, set, b.Snapshot()).Findings {
				if f.RuleID == "LD0001" {
					msg = f.Message
				}
			}
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, tc.false) {
				t.Errorf("LD0001 message %q: want it to say %q and not %q", msg, tc.want, tc.false)
			}
		})
	}
}
