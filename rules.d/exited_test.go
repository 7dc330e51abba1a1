package rulesd_test

import (
	"strings"
	"testing"
)

// TestExitedMessageNamesALiveSibling: an exited process whose image runs
// still (a service started again after a crash) is said to be so; one
// whose image runs no more is not.
func TestExitedMessageNamesALiveSibling(t *testing.T) {
	set := loadRules(t)
	const restarted = "1 live process of its image runs: if only one runs at a time (a service), it was started again"
	tests := []struct {
		name  string
		again bool // a live ContosoSvc.exe runs beside the exited one
	}{
		{"started again", true},
		{"not running", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine()
			base(m, 2600)
			m.exited(6000, 700, 0, "ContosoSvc.exe")
			if tc.again {
				m.proc(6100, 700, 0, "ContosoSvc.exe", typical(300))
			}
			msg := ""
			for _, f := range run(t, set, m.snapshot()).Findings {
				if f.RuleID == "LD0023" {
					msg = f.Message
				}
			}
			if msg == "" {
				t.Fatal("LD0023 did not fire on an exited process nobody holds")
			}
			if strings.Contains(msg, restarted) != tc.again {
				t.Errorf("LD0023 message %q: saying %q is %v, want %v", msg, restarted, !tc.again, tc.again)
			}
		})
	}
}
