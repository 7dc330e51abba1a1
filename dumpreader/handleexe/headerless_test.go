package handleexe

import (
	"fmt"
	"strings"
	"testing"
)

// TestGluedPromptSummaryScope: a summary after "$handle -s -p NAME", the
// prompt glued to the command as a Unix shell's is written, counts the
// process NAME (before, the line was not taken for Handle's command line,
// so the summary was read as the machine's, said to have no command line).
func TestGluedPromptSummaryScope(t *testing.T) {
	const capture = " $handle -s -p contoso\n \n Handle type summary:\n   Event           : 21\n   Thread          : 11\nTotal handles: 32\n"
	snap := readHandleExeBytes(t, []byte(capture), "glued.txt")
	if len(snap.TypeTotals) != 0 || len(snap.Processes) != 1 {
		t.Fatalf("type totals %v, %d processes; want the summary of one process", snap.TypeTotals, len(snap.Processes))
	}
	p := snap.Processes[0]
	if p.Image != "contoso" || p.HandleCount == nil || *p.HandleCount != 32 || p.ByType["Thread"] != 11 {
		t.Errorf("process %q, count %v, types %v; want contoso's 32 handles, 11 of them Thread", p.Image, p.HandleCount, p.ByType)
	}
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
	}
}

// TestHeaderlessSummary: rows of a type summary pasted without the
// "Handle type summary:" line, after a summary of `-s -p`, are another
// summary of that process, the last one read; the warning that several
// summaries of one process were read names the type that grew (before,
// the rows were unrecognized lines and the process held the first
// summary's counts, its growth from 11 to 1,011 Thread handles lost).
// Rows of another shape, of a type the summary before did not count (a
// Format-List record's "Handles : 466"), or before any summary, are not
// taken.
func TestHeaderlessSummary(t *testing.T) {
	const before = "C:\\>handle -s -p 4242\n\nHandle type summary:\n  Event           : 21\n  Thread          : 11\nTotal handles: 32\n\n"
	tests := []struct {
		name, capture string
		thread        int64 // the process's Thread count
		growth        string
		unrecognized  int64
	}{
		{"after a summary", before + "after 999 connects:\n\n  Event           : 1021\n  Thread          : 1011\n  WaitCompletionPacket: 4\n",
			1011, "Event grew most, from 21 to 1021 (+1000)", 1},
		{"unpadded rows", before + "after:\nEvent: 1021\nThread: 1011\n", 11, "", 3},
		{"a Format-List record after a summary", before + "Id              : 368\nHandles         : 466\n", 11, "", 2},
		{"no summary before", "C:\\>handle -p 4242\n\n  Event           : 1021\n  Thread          : 1011\n", 0, "", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readHandleExeBytes(t, []byte(tc.capture), "headerless.txt")
			if got := snap.Sources[0].Lines.Unrecognized; got != tc.unrecognized {
				t.Errorf("%d unrecognized lines, want %d: %v", got, tc.unrecognized, snap.Diagnostics)
			}
			var thread int64
			for _, p := range snap.Processes {
				thread += p.ByType["Thread"]
			}
			if thread != tc.thread {
				t.Errorf("Thread handles %d, want %d", thread, tc.thread)
			}
			var growth string
			for _, d := range snap.Diagnostics {
				if d.Code == CodeSummaries {
					growth = d.Message
				}
			}
			if tc.growth == "" && growth != "" || !strings.Contains(growth, tc.growth) {
				t.Errorf("several-summaries diagnostic %q, want it to say %q", growth, tc.growth)
			}
		})
	}
}

// TestHeaderlessSummariesSaidOnce: of many summaries pasted without their
// header, of a `-s -p NAME` whose process the capture does not show, the
// reading is said once, not once a summary (a capture of a thousand
// would hold a thousand diagnostics of each).
func TestHeaderlessSummariesSaidOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("$handle -s -p contoso\n\nHandle type summary:\n  Thread          : 11\n\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "run %d:\n  Thread          : %d\n\n", i, 12+i)
	}
	snap := readHandleExeBytes(t, []byte(b.String()), "many.txt")
	said := map[string]int{}
	var msg string
	for _, d := range snap.Diagnostics {
		said[d.Code]++
		if d.Code == CodeHeaderless {
			msg = d.Message
		}
	}
	if said[CodeHeaderless] != 1 || said[CodeSummaryScope] != 1 || said[CodeSummaries] != 1 {
		t.Errorf("diagnostics by code %v, want one each of %s, %s and %s", said, CodeHeaderless, CodeSummaryScope, CodeSummaries)
	}
	if !strings.Contains(msg, "1000 runs") {
		t.Errorf("%s diagnostic %q, want it to count the 1000 runs", CodeHeaderless, msg)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].ByType["Thread"] != 1011 {
		t.Errorf("processes %+v, want contoso with the last run's 1011 Thread handles", snap.Processes)
	}
}
