package sysinformer_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/facts"
)

// read reads text as System Informer copies.
func read(t *testing.T, text string) *facts.Snapshot {
	t.Helper()
	return proctest.Read(t, []byte(text), "t.txt", dumpreader.FormatSysinformer)
}

// summary lists each process as "pid image count peak parsed types".
func summary(snap *facts.Snapshot) []string {
	var out []string
	for _, p := range snap.Processes {
		out = append(out, fmt.Sprintf("%d %s %s %s %d %v", p.PID, p.Image, proctest.Count(p.HandleCount), proctest.Count(p.PeakHandles), p.HandlesParsed, p.ByType))
	}
	return out
}

// TestStatistics: both copy forms, grouped digits, a title naming the
// process, and a current count far below the peak.
func TestStatistics(t *testing.T) {
	snap := read(t, "svc.exe (4242) Properties\n"+
		"Other\n"+
		"Handles\t1 204\n"+
		"Peak handles\t96 310\n"+
		"GDI handles, 4\n"+
		"Hang count, 0\n")
	if diff := cmp.Diff([]string{"4242 svc.exe 1204 96310 0 map[]"}, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l != (facts.LineCounts{Total: 6, Parsed: 6}) {
		t.Errorf("lines %+v", l)
	}
}

// TestDamaged: values that are no counts, a row longer than its heading,
// a handle value that is no number, text between the copies.
func TestDamaged(t *testing.T) {
	snap := read(t, "> Handles, 12,5\n"+ // 1: a decimal is no count
		"Peak handles, lots\n"+ // 2
		"Name\tPID\tPrivate bytes\tHandles\n"+ // 3
		"a.exe\t10\t1 MB\t7\n"+ // 4
		"b.exe\t11\t1 MB\t7\textra\n"+ // 5
		"c.exe\tx\t1 MB\t7\n"+ // 6
		"Interrupts\t\t0\t\n"+ // 7
		"random words here\n"+ // 8
		"Type\tName\tHandle\n"+ // 9
		"Event\t\t0xzz\n"+ // 10
		"Event!\t\t0x8\n") // 11
	want := []string{"0  - - 1 map[Event:1]", "10 a.exe 7 - 0 map[]"}
	if diff := cmp.Diff(want, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if l := snap.Sources[0].Lines; l != (facts.LineCounts{Total: 11, Parsed: 6, Ignored: 1, Unrecognized: 4}) {
		t.Errorf("lines %+v", l)
	}
	wantDiags := []string{
		"1:statistic-value", "1:repaired", "2:statistic-value", "5:cell-count", "5:unrecognized-line", "6:unrecognized-line",
		"8:cell-count", "8:unrecognized-line", "10:missing-value", "11:unrecognized-line",
	}
	if diff := cmp.Diff(wantDiags, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestStatisticsSpaced: the copy's tabs turned to blanks, or a colon
// after the name, as pastes and retyping leave them.
func TestStatisticsSpaced(t *testing.T) {
	snap := read(t, "Handles      1 204\nPeak handles: 2 000\nGDI handles   4\nHandles of mine are fine\n")
	if diff := cmp.Diff([]string{"0  1204 2000 0 map[]"}, summary(snap)); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"4:unrecognized-line"}, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
