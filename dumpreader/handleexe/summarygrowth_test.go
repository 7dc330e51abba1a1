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
// growth, nothing added.
func TestSeveralSummariesGrowth(t *testing.T) {
	summary := func(event, process int) string {
		return "Handle type summary:\n" +
			"  Event           : " + strconv.Itoa(event) + "\n" +
			"  Process         : " + strconv.Itoa(process) + "\n" +
			"Total handles: " + strconv.Itoa(event+process) + "\n"
	}
	tests := []struct {
		name, capture, want string
	}{
		{"a type grew", summary(40, 12) + "\nthen, after the test:\n\n" + summary(41, 3012),
			"Process grew most, from 12 to 3012 (+3000), and all handles from 52 to 3053"},
		{"nothing grew", summary(40, 12) + "\n" + summary(40, 10), ""},
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
			if got := snap.TypeTotals["Process"]; tc.want != "" && got != 3012 {
				t.Errorf("type total of Process = %d, want the last summary's 3012", got)
			}
		})
	}
}
