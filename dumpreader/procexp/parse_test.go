package procexp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// read reads text as Process Explorer's saved text.
func read(t *testing.T, text string) *facts.Snapshot {
	t.Helper()
	return proctest.Read(t, []byte(text), "t.txt", dumpreader.FormatProcexp)
}

// summary lists each process as "pid image count parsed types".
func summary(snap *facts.Snapshot) []string {
	var out []string
	for _, p := range snap.Processes {
		out = append(out, fmt.Sprintf("%d %s %s %d %v", p.PID, p.Image, proctest.Count(p.HandleCount), p.HandlesParsed, p.ByType))
	}
	return out
}

func TestProcessListAndPane(t *testing.T) {
	snap := read(t, "Process\tCPU\tPID\tHandles\tDescription\n"+
		"System Idle Process\t98.10\t0\t0\t\n"+
		"  System\t0.20\t4\t1,964\t\n"+
		"    Interrupts\t0.50\tn/a\t\tHardware Interrupts and DPCs\n"+
		"notepad.exe\t\t5120\t231\tNotepad\n"+
		"\n"+
		"Process: notepad.exe Pid: 5120\n"+
		"\n"+
		"Type\tName\tHandle\n"+
		"Event\t\t0x4\n"+
		"File\tC:\\Users\\alice\t0x8\n"+
		"File\tC:\\Users\\alice\t0xC\n")
	want := []string{
		"0 System Idle Process 0 0 map[]",
		"4 System 1964 0 map[]",
		"5120 notepad.exe 231 3 map[Event:1 File:2]",
	}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l != (facts.LineCounts{Total: 12, Parsed: 9, Ignored: 3}) {
		t.Errorf("lines %+v", l)
	}
	if diff := cmp.Diff([]string{facts.LacksStacks}, snap.Sources[0].Lacks); diff != "" {
		t.Errorf("lacks (-want +got):\n%s", diff)
	}
	if len(snap.Diagnostics) != 0 {
		t.Errorf("diagnostics %v, want none", proctest.DiagLines(snap))
	}
}

// TestListOnly: a saved process list without a handle pane has counts
// but no types or names.
func TestListOnly(t *testing.T) {
	snap := read(t, "Process\tPID\tHandles\nx.exe\t7\t12\n")
	if diff := cmp.Diff([]string{"7 x.exe 12 0 map[]"}, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	want := []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	if diff := cmp.Diff(want, snap.Sources[0].Lacks); diff != "" {
		t.Errorf("lacks (-want +got):\n%s", diff)
	}
}

// TestDamagedTable: a paste with prose, a fence, blanks turned spaces,
// an elision, rows that do not fit and handles without their heading.
func TestDamagedTable(t *testing.T) {
	snap := read(t, "I saved this:\n"+ // 1
		"```text\n"+ // 2
		"Process      PID      Handles\n"+ // 3: tabs turned into spaces
		"a.exe        10       5\n"+ // 4
		"...\n"+ // 5
		"b.exe        11       1 234\n"+ // 6: one blank groups thousands, two split cells
		"c.exe\t12\tlots\n"+ // 7
		"d.exe\t13\t1\t2\t3\n"+ // 8
		"\t\t\n"+ // 9
		"```\n"+ // 10
		"Type\tName\n"+ // 11
		"Event\t\\BaseNamedObjects\\e\n"+ // 12
		"Process: a.exe Pid: 10\n"+ // 13
		"Type\tName\tHandle\n"+ // 14
		"Key\t\\REGISTRY\\MACHINE\t0x4\n"+ // 15
		"Key\t\\REGISTRY\\MACHINE\t0x4\n"+ // 16
		"Key\t\tzz\n") // 17: unnamed, its value no number
	want := []string{
		"0  - 1 map[Event:1]",
		"10 a.exe 5 2 map[Key:2]",
		"11 b.exe 1234 0 map[]",
		"12 c.exe - 0 map[]",
	}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l != (facts.LineCounts{Total: 17, Parsed: 11, Ignored: 4, Unrecognized: 2}) {
		t.Errorf("lines %+v", l)
	}
	wantDiags := []string{
		"1:unrecognized-line", "5:elision", "7:missing-value", "8:cell-count", "8:unrecognized-line",
		"12:handle-without-process", "16:duplicate-handle", "17:missing-value",
	}
	if diff := cmp.Diff(wantDiags, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestFindResults: the Find dialog's results name each handle's process.
func TestFindResults(t *testing.T) {
	snap := read(t, "Process\tPID\tType\tName\n"+
		"a.exe\t10\tFile\tC:\\log.txt\n"+
		"b.exe\t11\tFile\tC:\\log.txt\n"+
		"b.exe\tx\tFile\tC:\\log.txt\n")
	want := []string{"10 a.exe - 1 map[File:1]", "11 b.exe - 1 map[File:1]"}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1:partial-listing", "4:unrecognized-line"}, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestHostileSizes: a row of many cells and a huge count are bounded.
func TestHostileSizes(t *testing.T) {
	snap := read(t, "Process\tPID\tHandles\nx.exe\t1\t99999999999999999999\n"+
		"y.exe\t2\t"+strings.Repeat("\t", 100000)+"\n")
	if got := summary(snap); len(got) != 2 || got[0] != "1 x.exe - 0 map[]" {
		t.Errorf("processes %v", got)
	}
}

// TestNamedOnlyPane: a pane without unnamed handles is what Process
// Explorer shows by default, which leaves unnamed handles out.
func TestNamedOnlyPane(t *testing.T) {
	snap := read(t, "Process: a.exe Pid: 10\nType\tName\nKey\t\\REGISTRY\\MACHINE\nFile\tC:\\x\n")
	if diff := cmp.Diff([]string{"3:partial-listing"}, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"10 a.exe - 2 map[File:1 Key:1]"}, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
}

// TestSpacedTable: a table whose tabs turned to blanks is read where
// each row has a cell for every column; a row with an empty cell, which
// leaves no trace among blanks, is not guessed at.
func TestSpacedTable(t *testing.T) {
	snap := read(t, "Process          PID    CPU    Handles\n"+
		"a.exe            10     0.10   50\n"+
		"b.exe            11            60\n")
	if diff := cmp.Diff([]string{"10 a.exe 50 0 map[]"}, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"3:cell-count", "3:unrecognized-line"}, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestHeadingForms: the handle pane's heading as Process Explorer writes
// it and as users retype it.
func TestHeadingForms(t *testing.T) {
	for _, heading := range []string{"Process: a b.exe Pid: 10", "process: a b.exe, PID: 10", "Process: a b.exe (10)", "Process: a b.exe (PID 10)"} {
		snap := read(t, heading+"\nType\tName\nEvent\t\n")
		if diff := cmp.Diff([]string{"10 a b.exe - 1 map[Event:1]"}, summary(snap)); diff != "" {
			t.Errorf("%s: processes (-want +got):\n%s", heading, diff)
		}
	}
}

// TestMarkdownTable: a process list copied into notes as a markdown
// table, with bold cells, cells in code spans, an aligned rule and a
// heading above, reads as the tab-separated list.
func TestMarkdownTable(t *testing.T) {
	snap := read(t, "## processes\n\n"+
		"| Process | PID | CPU | Handles | Notes |\n"+
		"|---------|----:|:---:|--------:|-------|\n"+
		"| svchost.exe | 840 | 0.1 | 1,200 | |\n"+
		"| **agent.exe** | 5120 | 2.0 | **48,000** | **ours** |\n"+
		"| `sihost.exe` | 4120 | 0.0 | `261,440` | |\n"+
		"| **`dllhost.exe`** | 6004 | 0.0 | 310 | |\n")
	want := []string{
		"840 svchost.exe 1200 0 map[]",
		"4120 sihost.exe 261440 0 map[]",
		"5120 agent.exe 48000 0 map[]",
		"6004 dllhost.exe 310 0 map[]",
	}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l.Unrecognized != 1 || l.Parsed != 6 {
		t.Errorf("lines %+v, want 6 parsed and the heading unrecognized", l)
	}
}

// TestProcessListWithoutPIDs: a process list retyped without its PID
// column (a markdown table in an issue) names processes by image: an
// image shown once is read as its process, without a pid; one shown in
// several rows is not, and a warning says so.
func TestProcessListWithoutPIDs(t *testing.T) {
	text := "| Process | Handles | Breakdown |\n" +
		"|---|---|---|\n" +
		"| `sihost.exe` | 261,440 | 55,576 Event / 55,417 Process |\n" +
		"| svchost.exe | 2,210 | |\n" +
		"| svchost.exe | 1,804 | |\n" +
		"| explorer.exe | 1,489 | |\n"
	if got := dumpreader.Detect([]byte(text)); got != dumpreader.FormatProcexp {
		t.Fatalf("Detect = %q, want %q", got, dumpreader.FormatProcexp)
	}
	snap := read(t, text)
	want := []string{"0 explorer.exe 1489 0 map[]", "0 sihost.exe 261440 0 map[]"}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	var warned bool
	for _, d := range snap.Diagnostics {
		warned = warned || d.Code == facts.CodeMissing && d.Severity == facts.SevWarning && d.Line == 3
	}
	if !warned {
		t.Errorf("no warning that the svchost.exe rows were not read:\n%s", proctest.Diags(snap))
	}
	if l := snap.Sources[0].Lines; l.Parsed != 6 || l.Unrecognized != 0 {
		t.Errorf("lines %+v, want all 6 parsed", l)
	}
}
