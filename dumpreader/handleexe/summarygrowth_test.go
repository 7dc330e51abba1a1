package handleexe

import (
	"strconv"
	"strings"
	"testing"
)

// TestSeveralSummariesGrowth: of several type summaries shown without
// Handle's command line, only the last is read; the diagnostic that says
// so also says which type grew most from the first to the last and by how
// much (before, it said only that the first was dropped, so a before and
// after pair whose leak is that growth read as one quiet summary). No
// growth, nothing added. Summaries of fewer handles than a whole machine
// holds count one process, which then holds the last one's handles (a
// paste of `handle -s -p` before and after, whose 65 -> 5,418 Process
// handles were read as the machine's and judged by no rule).
func TestSeveralSummariesGrowth(t *testing.T) {
	summary := func(event, process int) string {
		return "Handle type summary:\n" +
			"  Event           : " + strconv.Itoa(event) + "\n" +
			"  Process         : " + strconv.Itoa(process) + "\n" +
			"Total handles: " + strconv.Itoa(event+process) + "\n"
	}
	tests := []struct {
		name, capture, want string
		process             bool // read as one process's, else the machine's
		event, proc         int64
	}{
		{"a type grew", summary(40, 12) + "\nthen, after the test:\n\n" + summary(41, 3012),
			"Process grew most, from 12 to 3012 (+3000), and all handles from 52 to 3053: the process's growth", true, 41, 3012},
		{"nothing grew", summary(40, 12) + "\n" + summary(40, 10), "", true, 40, 10},
		{"a machine's", summary(40000, 1200) + "\n" + summary(40100, 4200),
			"Process grew most, from 1200 to 4200 (+3000), and all handles from 41200 to 44300: if they count one process", false, 40100, 4200},
		{"shown run without -p", "C:\\>handle -s\n" + summary(40, 12) + "\nC:\\>handle -s\n" + summary(41, 3012),
			"Process grew most, from 12 to 3012", false, 41, 3012},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readHandleExeBytes(t, []byte(tc.capture), "handle.txt")
			var msg string
			for _, d := range snap.Diagnostics {
				if d.Code == CodeSummaries {
					msg = d.Message
				}
			}
			if msg == "" {
				t.Fatalf("no %s diagnostic: %+v", CodeSummaries, snap.Diagnostics)
			}
			if tc.want == "" && strings.Contains(msg, "grew") {
				t.Errorf("diagnostic %q names a growth, want none", msg)
			}
			if tc.want != "" && !strings.Contains(msg, tc.want) {
				t.Errorf("diagnostic %q, want it to say %q", msg, tc.want)
			}
			got := snap.TypeTotals
			if tc.process {
				if len(snap.TypeTotals) != 0 || len(snap.Processes) != 1 {
					t.Fatalf("type totals %v, %d processes; want one process's summary", snap.TypeTotals, len(snap.Processes))
				}
				p := snap.Processes[0]
				if p.HandleCount == nil || *p.HandleCount != tc.event+tc.proc {
					t.Errorf("handle count %v, want the last summary's %d", p.HandleCount, tc.event+tc.proc)
				}
				got = p.ByType
			} else if len(snap.Processes) != 0 {
				t.Errorf("%d processes, want the machine's summary", len(snap.Processes))
			}
			if got["Event"] != tc.event || got["Process"] != tc.proc {
				t.Errorf("counts %v, want the last summary's Event %d, Process %d", got, tc.event, tc.proc)
			}
		})
	}
}
