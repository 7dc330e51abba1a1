package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
)

// TestAnalyzeSummariesWithoutCommandLine: a paste of Handle's type
// summary before and after a test, without the command lines, counts one
// process (215 handles are no whole machine), and read on its own it is
// a series of two captures of that process: LD0013 judges its growth
// (215 -> 6,407), LD0014 the one type that grew (Process, +6,186), and
// LD0003 the last table, 6,204 of its 6,407 handles Process handles. Read
// as the machine's summaries, the last one alone, it gave no finding.
// (Summaries of a machine's tens of thousands stay the machine's:
// TestSeveralSummariesGrowth.)
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
	if strings.Join(got, " ") != "LD0013 LD0003 LD0014 LD0008" {
		t.Errorf("findings %v, want LD0013, LD0003, LD0014 (and LD0008 for the prose around the summaries)", got)
	}
	if !strings.Contains(out, `"reason": "they are the runs of Handle's type summary that `) {
		t.Errorf("the report does not say why the capture is a series:\n%s", out)
	}
}

// TestAnalyzeSummariesAroundAListing: a process summarized before a test
// and after, its handles listed between, grew by one Event: the series
// of its summaries gives no finding. The names the listing shows are not
// a growth from the first summary, which shows none (LD0015 said 612 more
// handles to the log file before).
func TestAnalyzeSummariesAroundAListing(t *testing.T) {
	summary := func(events int) string {
		return fmt.Sprintf("C:\\tools>handle64 -nobanner -s -p 4242\nHandle type summary:\n  Event           : %d\n  File            : 612\nTotal handles: %d\n\n", events, events+612)
	}
	var b strings.Builder
	b.WriteString(summary(40))
	b.WriteString("C:\\tools>handle64 -nobanner -a -p 4242\n" + strings.Repeat("-", 78) + "\ncontoso.exe pid: 4242 CONTOSO\\svc\n")
	for i := range 612 {
		fmt.Fprintf(&b, "  %X: File  (RW-)   C:\\ProgramData\\Contoso\\agent.log\n", 0x100+4*i)
	}
	for i := range 40 {
		fmt.Fprintf(&b, "  %X: Event\n", 0x2000+4*i)
	}
	b.WriteString("\n" + summary(41))
	path := filepath.Join(t.TempDir(), "handle.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "analyze", "--format", "json", "--fail-on", "never", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep engine.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Errorf("finding %s: %s", f.RuleID, f.Message)
	}
}
