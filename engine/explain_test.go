package engine_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
)

// TestExplain: every enabled rule for every process, a snapshot rule once;
// --rule reaches a disabled rule; --pid picks one process; errors name
// what is missing.
func TestExplain(t *testing.T) {
	set := load(t, `
rules:
  - id: P1
    title: many handles
    when: process.handles > 100
  - id: S1
    title: many processes
    scope: snapshot
    when: snapshot.process_count > 1
  - id: OFF
    title: disabled
    when: "true"
    enabled: false
`)
	snap := build(t, 500,
		proc{addr: "a1", pid: 8, image: "big.exe", line: 1, handles: []hs{{"Event", "", 150}}},
		proc{addr: "a2", pid: 12, image: "small.exe", line: 200, handles: []hs{{"Event", "", 5}}})
	xs, err := engine.Explain(set, snap, engine.ExplainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range xs {
		s := x.RuleID
		if x.Process != nil {
			s += " " + x.Process.Image
		}
		if x.Fired {
			s += " fired"
		}
		got = append(got, s)
	}
	want := []string{"P1 big.exe fired", "P1 small.exe", "S1 fired"}
	if len(got) != len(want) {
		t.Fatalf("explained %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("explained %v, want %v", got, want)
			break
		}
	}
	pid := uint64(12)
	xs, err = engine.Explain(set, snap, engine.ExplainOptions{RuleID: "off", PID: &pid})
	if err != nil || len(xs) != 1 || xs[0].RuleID != "OFF" || xs[0].Enabled || !xs[0].Fired || xs[0].Process.PID != 12 {
		t.Errorf("a disabled rule for pid 12: %+v, %v", xs, err)
	}
	if _, err := engine.Explain(set, snap, engine.ExplainOptions{RuleID: "P2"}); err == nil || !strings.HasPrefix(err.Error(), `no rule "P2"`) {
		t.Errorf("unknown rule: %v", err)
	}
	pid = 99
	if _, err := engine.Explain(set, snap, engine.ExplainOptions{PID: &pid}); err == nil || err.Error() != "no process with pid 99 in the capture" {
		t.Errorf("unknown pid: %v", err)
	}
}
