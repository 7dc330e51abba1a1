package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
)

// TestAnalyzeSummariesWithoutCommandLine: a paste of Handle's type
// summary before and after a test, without the command lines, counts one
// process (215 handles are no whole machine), so its last summary is that
// process's table, and LD0003 judges it: 6,204 of its 6,407 handles are
// Process handles. Read as the machine's summaries, as before, it gave no
// finding. (Summaries of a machine's tens of thousands stay the
// machine's: TestSeveralSummariesGrowth.)
func TestAnalyzeSummariesWithoutCommandLine(t *testing.T) {
	const capture = "../../testdata/handleexe/v5-s-before-after-no-command-line.txt"
	code, out, errOut := runCLI(t, "analyze", "--format", "json", "--fail-on", "never", capture)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep engine.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.RuleID)
		if f.RuleID == "LD0003" && !strings.Contains(f.Message, "of the process of Handle's type summary are Process handles (6,204)") {
			t.Errorf("LD0003 says %q, want it to name the summary's process and its Process handles", f.Message)
		}
	}
	if strings.Join(got, " ") != "LD0003 LD0008" {
		t.Errorf("findings %v, want LD0003 (and LD0008 for the prose around the summaries)", got)
	}
}
