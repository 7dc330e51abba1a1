package handleexe

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHandleExeSummaryCutShort: a `handle -s` summary whose paste ends
// before its "Total handles" line gives the rows it shows and leaves the
// rest unknown (no handle count, types partial), never zeros; a last row
// the capture ends in without a line break is not counted at all.
func TestHandleExeSummaryCutShort(t *testing.T) {
	const perProcess = "C:\\tools>handle64 -nobanner -s -p 4242\nHandle type summary:\n  ALPC Port       : 4\n  Event           : 1900\n  File            : 41\n"
	const system = "C:\\>handle -s\nHandle type summary:\n  Event           : 31560\n  File            : 9128\n"
	tests := []struct {
		name          string
		capture       string
		byType        map[string]int64
		countKnown    bool
		typesPartial  bool
		totals        map[string]int64
		totalsPartial bool
	}{
		{"process, whole", perProcess + "Total handles: 1945\n", map[string]int64{"ALPC Port": 4, "Event": 1900, "File": 41}, true, false, nil, false},
		{"process, cut before the total", perProcess, map[string]int64{"ALPC Port": 4, "Event": 1900, "File": 41}, false, true, nil, false},
		{"process, cut in the last row", strings.TrimSuffix(perProcess, "1\n"), map[string]int64{"ALPC Port": 4, "Event": 1900}, false, true, nil, false},
		{"system, whole", system + "Total handles: 40688\n", nil, false, false, map[string]int64{"Event": 31560, "File": 9128}, false},
		{"system, cut before the total", system, nil, false, false, map[string]int64{"Event": 31560, "File": 9128}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readHandleExeBytes(t, []byte(tc.capture), "handle.txt")
			if diff := cmp.Diff(tc.totals, snap.TypeTotals); diff != "" {
				t.Errorf("type totals (-want +got):\n%s", diff)
			}
			if snap.TypeTotalsPartial != tc.totalsPartial {
				t.Errorf("TypeTotalsPartial = %v, want %v", snap.TypeTotalsPartial, tc.totalsPartial)
			}
			if tc.byType == nil {
				return
			}
			if len(snap.Processes) != 1 {
				t.Fatalf("%d processes, want 1", len(snap.Processes))
			}
			p := snap.Processes[0]
			if diff := cmp.Diff(tc.byType, p.ByType); diff != "" {
				t.Errorf("by type (-want +got):\n%s", diff)
			}
			if p.CountKnown() != tc.countKnown || p.TypesPartial != tc.typesPartial {
				t.Errorf("CountKnown %v, TypesPartial %v; want %v, %v", p.CountKnown(), p.TypesPartial, tc.countKnown, tc.typesPartial)
			}
			if _, known := p.TypeCount("Thread"); known == tc.typesPartial {
				t.Errorf("TypeCount(Thread), a type the summary does not list: known %v", known)
			}
		})
	}
}
