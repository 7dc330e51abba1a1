package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// cut holds Sysinternals Handle -s summaries of one process (pid 4242,
// -s -p) and of a whole system (-s), the last of each cut short by the
// paste: before its "Total handles" line, and for the system one in the
// middle of a row.
const cut = "testdata/cut/"

// TestDiffCutSummaries: `leakdiag diff` of two Handle -s summaries, the
// newer cut before its end, reports the counts it gives and calls the
// rest unknown, never a shrink to 0 (golden, text).
func TestDiffCutSummaries(t *testing.T) {
	for _, tc := range []struct{ name, old, new string }{
		{"process", "process-0800.txt", "process-1000-cut.txt"},
		{"system", "system-0800.txt", "system-1000-cut.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "diff", cut+tc.old, cut+tc.new)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkCLIGolden(t, filepath.Join("testdata", "cut", tc.name+".diff"), out)
			if strings.Contains(out, "-> 0 ") || strings.Contains(out, "shrank") {
				t.Errorf("a count the cut capture does not give reads as a shrink:\n%s", out)
			}
		})
	}
	code, out, _ := runCLI(t, "diff", "--format", "json", cut+"process-0900.txt", cut+"process-1000-cut.txt")
	var d struct {
		Processes []struct {
			Status   string `json:"status"`
			Old, New int64
		} `json:"processes"`
	}
	if err := json.Unmarshal([]byte(out), &d); code != exitOK || err != nil || len(d.Processes) != 1 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if p := d.Processes[0]; p.Status != "unknown" || p.Old != 3548 || p.New != -1 {
		t.Errorf("pid 4242: %+v; want unknown, 3548 -> -1", p)
	}
}

// TestSeriesUnknownCount: a series whose last capture does not give the
// process's count (its summary cut short) measures the growth over the
// captures that do; nothing reads the cut capture as a fall to 0.
func TestSeriesUnknownCount(t *testing.T) {
	paths := []string{cut + "process-0800.txt", cut + "process-0900.txt", cut + "process-1000-cut.txt"}
	args := []string{"analyze", "--fail-on", "never", "--format", "json", "--series"}
	for i, p := range paths {
		args = append(args, "--at", p+"=2026-11-27T"+[]string{"08", "09", "10"}[i]+":00:00Z")
	}
	code, out, errOut := runCLI(t, append(args, paths...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			RuleID   string                         `json:"rule_id"`
			Evidence []struct{ Name, Value string } `json:"evidence"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	growth := ""
	for _, f := range rep.Findings {
		for _, e := range f.Evidence {
			if f.RuleID == "LD0013" && e.Name == "growth" {
				growth = e.Value
			}
		}
	}
	// 1,046 at 08:00, 3,548 at 09:00; 10:00 gives no count.
	if want := "+2,502 handles over 1.0 hours (+2,502/h, rising at every capture)"; growth != want {
		t.Errorf("LD0013 growth %q, want %q", growth, want)
	}
}
