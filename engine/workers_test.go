package engine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/internal/benchsnap"
	"github.com/leakdiag/leakdiag/rules"
)

// The report is the same whatever the number of workers: findings in the
// order one goroutine gives them, and a failing rule's errors the first
// ten with the rest counted on the tenth, across the blocks the workers
// took.
func TestWorkersGiveTheSameReport(t *testing.T) {
	// A rule that fails for one process in three (a missing map key), in
	// every block, and one that fires in a few blocks only.
	set := defaultRules(t, rules.Source{Path: "extra.yaml", Data: []byte(`
rules:
  - id: T-FAIL
    title: fails for some
    when: process.pid % 3 == 0 && process.by_type["NoSuchType"] > 0
  - id: T-SOME
    title: fires for a few
    when: process.pid % 997 == 0
`)})
	snap := benchsnap.Build(3000) // 12 blocks of processes
	serial := run(t, set, snap, engine.Options{Workers: 1})
	if len(serial.Findings) < 10 {
		t.Fatalf("only %d findings: the test needs rules that fire in several blocks", len(serial.Findings))
	}
	fails, listed := 0, 0
	for _, e := range serial.Errors {
		if e.RuleID != "T-FAIL" {
			continue
		}
		// The first failures, in process order: pids 12, 24, 36, ...
		listed++
		if want := uint64(12 * listed); e.PID != want {
			t.Errorf("T-FAIL error %d is for pid %d, want %d", listed, e.PID, want)
		}
		fails += 1 + e.More
	}
	if fails != 1000 {
		t.Fatalf("T-FAIL failed %d times, want 1000", fails)
	}
	for _, w := range []int{0, 2, 3, 8, 64} {
		got := run(t, set, snap, engine.Options{Workers: w})
		if d := cmp.Diff(serial, got); d != "" {
			t.Errorf("Workers %d: the report differs from one worker's (-one +%d):\n%s", w, w, d)
		}
	}
}
