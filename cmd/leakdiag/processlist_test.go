package main

import (
	"encoding/json"
	"testing"
)

// TestAnalyzeGetProcessSeries: two Get-Process tables of one machine
// four hours apart read as a series, and the spooler, whose count rose
// from 30,120 to 51,234, is the top finding as steady growth; the count
// alone (one table) fires the count rule only.
func TestAnalyzeGetProcessSeries(t *testing.T) {
	const (
		earlier = "../../testdata/getprocess/spoolsv-30120-four-hours-earlier-ps51.txt"
		later   = "../../testdata/getprocess/spoolsv-51234-sort-handles-desc-ps51.txt"
	)
	type finding struct {
		RuleID   string `json:"rule_id"`
		Severity string `json:"severity"`
		Process  *struct {
			PID   uint64 `json:"pid"`
			Image string `json:"image"`
		} `json:"process"`
	}
	analyze := func(args ...string) []finding {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"analyze", "--format", "json", "--fail-on", "never"}, args...)...)
		if code != 0 {
			t.Fatalf("analyze %v: exit %d: %s", args, code, errOut)
		}
		var rep struct {
			Findings []finding `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("analyze %v: %v", args, err)
		}
		return rep.Findings
	}
	fs := analyze("--at", earlier+"=2026-12-06T08:00:00Z", "--at", later+"=2026-12-06T12:00:00Z", earlier, later)
	if len(fs) == 0 || fs[0].RuleID != "LD0013" || fs[0].Process == nil || fs[0].Process.PID != 2412 || fs[0].Process.Image != "spoolsv.exe" {
		t.Fatalf("series: findings %+v, want LD0013 on spoolsv.exe pid 2412 first", fs)
	}
	one := analyze(later)
	if len(one) == 0 {
		t.Fatal("one table: no finding, want LD0001 on spoolsv.exe")
	}
	for _, f := range one {
		if f.RuleID != "LD0001" || f.Process == nil || f.Process.Image != "spoolsv.exe" {
			t.Errorf("one table: finding %+v, want LD0001 on spoolsv.exe only", f)
		}
	}
}
