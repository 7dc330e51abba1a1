package pslist_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/pslist"
	"github.com/leakdiag/leakdiag/facts"
)

// TestThreadDetail: pslist -d prints a heading per process and its
// threads' table under it: the headings are the processes, with their
// thread rows counted, and no thread row is a process; its output is
// told from its banner and a heading with a thread row, and says it
// gives no handle count.
func TestThreadDetail(t *testing.T) {
	const tid = " Tid Pri    Cswtch            State     User Time   Kernel Time   Elapsed Time\n"
	const in = "PsList v1.4 - Process information lister\nCopyright (C) 2000-2016 Mark Russinovich\n" +
		"Sysinternals - www.sysinternals.com\n\nThread detail for WS042:\n\n" +
		"agent 3120:\n" + tid +
		" 3124  10     88213     Wait:UserReq  0:00:01.203   0:00:00.781    2:11:04.120\n" +
		" 3188   8       917       Wait:Queue  0:00:00.000   0:00:00.015    2:11:03.998\n" +
		" 3190   8        12       Wait:Queue  0:00:00.000   0:00:00.000    2:11:03.990\n\n" +
		"Memory Compression 2396:\n" + tid +
		" 2400   8     51234         Running  0:00:00.000   0:12:01.015   81:04:59.115\n"
	if !pslist.Sniff([]byte(in)) {
		t.Errorf("Sniff(pslist -d) = false, want true")
	}
	snap := proctest.Read(t, []byte(in), "d.txt", dumpreader.FormatPsList)
	type proc struct {
		PID     uint64
		Image   string
		Threads int64
		Counted bool // a handle count was set
	}
	var got []proc
	for _, p := range snap.Processes {
		got = append(got, proc{p.PID, p.Image, p.Threads, p.HandleCount != nil})
	}
	want := []proc{{2396, "Memory Compression", 1, false}, {3120, "agent.exe", 3, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	// The headings and thread rows parsed; the banner, blanks and the
	// thread tables' headers ignored.
	if diff := cmp.Diff(facts.LineCounts{Total: 15, Parsed: 6, Ignored: 9}, snap.Sources[0].Lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s\n%s", diff, proctest.Diags(snap))
	}
	if diff := cmp.Diff([]string{"7:" + facts.CodeMissing}, proctest.DiagLines(snap)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
