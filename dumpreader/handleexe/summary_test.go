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

// TestHandleExeSummaryOfNamedProcesses: `handle -s -p NAME` counts the
// handles of the processes whose names start with NAME, never the whole
// system: the one process the capture shows by that name, or one known
// by the name alone, with a diagnostic when the capture shows none or
// several.
func TestHandleExeSummaryOfNamedProcesses(t *testing.T) {
	const summary = "Handle type summary:\n  Event           : 812\n  File            : 60\nTotal handles: 872\n"
	const sep = "------------------------------------------------------------------------------\n"
	const agent = sep + "agent.exe pid: 3120 CONTOSO\\svc\n   48: File  (RW-)   C:\\ProgramData\\Agent\\agent.log\n"
	const agentUpd = sep + "agentupd.exe pid: 4410 CONTOSO\\svc\n   4C: File  (RW-)   C:\\ProgramData\\Agent\\update.log\n"
	type proc struct {
		PID   uint64
		Image string
		Count int64
	}
	tests := []struct {
		name   string
		text   string
		procs  []proc // processes with a count
		totals map[string]int64
		diag   string // severity:code of the summary-scope diagnostic, "" for none
	}{
		{"name, no process shown", "C:\\>handle64 -nobanner -s -p agent\n" + summary,
			[]proc{{0, "agent", 872}}, nil, "info:" + CodeSummaryScope},
		{"name, one process shown", "C:\\>handle64 -nobanner -a -p agent.exe\n" + agent + "C:\\>handle64 -nobanner -s -p agent.exe\n" + summary,
			[]proc{{3120, "agent.exe", 872}}, nil, ""},
		{"name, two processes shown", "C:\\>handle64 -nobanner -p agent\n" + agent + agentUpd + "C:\\>handle64 -nobanner -s -p agent\n" + summary,
			[]proc{{0, "agent", 872}}, nil, "warning:" + CodeSummaryScope},
		{"pid", "C:\\>handle64 -nobanner -s -p 3120\n" + summary,
			[]proc{{3120, "", 872}}, nil, ""},
		{"no -p", "C:\\>handle64 -nobanner -s\n" + summary,
			nil, map[string]int64{"Event": 812, "File": 60}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readHandleExeBytes(t, []byte(tc.text), "t.txt")
			checkHandleExeLines(t, snap, "t.txt")
			var procs []proc
			for _, p := range snap.Processes {
				if p.HandleCount == nil {
					continue
				}
				procs = append(procs, proc{p.PID, p.Image, *p.HandleCount})
				if diff := cmp.Diff(map[string]int64{"Event": 812, "File": 60}, p.ByType); diff != "" {
					t.Errorf("pid %d by type (-want +got):\n%s", p.PID, diff)
				}
			}
			if diff := cmp.Diff(tc.procs, procs); diff != "" {
				t.Errorf("processes with a count (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.totals, snap.TypeTotals); diff != "" {
				t.Errorf("type totals (-want +got):\n%s", diff)
			}
			var diag string
			for _, d := range snap.Diagnostics {
				if d.Code == CodeSummaryScope {
					diag = string(d.Severity) + ":" + d.Code
				}
			}
			if diag != tc.diag {
				t.Errorf("summary-scope diagnostic %q, want %q: %+v", diag, tc.diag, snap.Diagnostics)
			}
		})
	}
}

// TestTypeIndexSummaryNotHandle: another tool's summary under Handle's
// heading, its types object type indexes ("Type  12: 408"), is not read
// as Handle's: no types named "Type 16", and no Handle capture.
func TestTypeIndexSummaryNotHandle(t *testing.T) {
	const text = "Handle type summary:\n  Type  12: 408\n  Type  21: 64\n  Type  33:  7\nTotal: 479 handles\n"
	if Sniff([]byte(text)) {
		t.Errorf("Sniff = true, want false")
	}
	snap := readHandleExeBytes(t, []byte(text), "t.txt")
	if len(snap.TypeTotals) != 0 {
		t.Errorf("type totals = %v, want none", snap.TypeTotals)
	}
}
