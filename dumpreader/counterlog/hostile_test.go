package counterlog

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// Damaged and hostile logs: read as far as they can be, every line
// accounted, the damage said.
func TestDamaged(t *testing.T) {
	hdr := `"(PDH-CSV 4.0) (UTC)(0)","\\H\Process(a)\Handle Count","\\H\Process(b)\Handle Count"` + "\n"
	for _, c := range []struct {
		name      string
		text      string
		snaps     int
		unrec     int64
		wantCodes []string
		check     func(t *testing.T, snaps []*facts.Snapshot)
	}{{
		name: "rows without a header", text: `"01/01/2025 00:00:00.000","1","2"` + "\n",
		snaps: 1, unrec: 1, wantCodes: []string{facts.CodeUnrecognized},
	}, {
		name: "more values than counters", text: hdr + `"01/01/2025 00:00:00.000","1","2","3","4"` + "\n",
		snaps: 1, wantCodes: []string{CodeColumns},
		check: func(t *testing.T, s []*facts.Snapshot) {
			if count(proc(s[0], "b")) != 2 {
				t.Errorf("b: %d", count(proc(s[0], "b")))
			}
		},
	}, {
		name: "fewer values than counters", text: hdr + `"01/01/2025 00:00:00.000","1"` + "\n",
		snaps: 1, wantCodes: []string{CodeColumns},
		check: func(t *testing.T, s []*facts.Snapshot) {
			if len(s[0].Processes) != 1 {
				t.Errorf("%d processes, want a alone", len(s[0].Processes))
			}
		},
	}, {
		name: "time going backwards", text: hdr + `"01/01/2025 00:01:00.000","1","2"` + "\n" + `"01/01/2025 00:00:00.000","1","2"` + "\n",
		snaps: 1, wantCodes: []string{CodeTime},
	}, {
		name: "a bad time", text: hdr + `"yesterday","1","2"` + "\n",
		snaps: 1, unrec: 1, wantCodes: []string{facts.CodeUnrecognized},
	}, {
		name: "values that are no counts", text: hdr + `"01/01/2025 00:00:00.000","-1","x"` + "\n",
		snaps: 1, wantCodes: []string{facts.CodeMissing},
		check: func(t *testing.T, s []*facts.Snapshot) {
			if len(s[0].Processes) != 0 {
				t.Errorf("%d processes from values that are no counts", len(s[0].Processes))
			}
		},
	}, {
		name: "a stray quote joins no line of another width", text: hdr + `"01/01/2025 00:00:00.000","1,2` + "\n" + strings.Repeat("x\n", 3),
		snaps: 1, unrec: 3, wantCodes: []string{CodeColumns, facts.CodeMissing, facts.CodeUnrecognized, facts.CodeUnrecognized, facts.CodeUnrecognized},
	}, {
		name:  "a stray quote joins lines of its width up to the bound",
		text:  hdr + `"01/01/2025 00:00:00.000","1,2` + strings.Repeat("y", 50) + "\n" + strings.Repeat(strings.Repeat("x", 80)+"\n", maxRecordLines+2),
		snaps: 1, unrec: 3, wantCodes: []string{CodeColumns, facts.CodeMissing, facts.CodeUnrecognized, facts.CodeUnrecognized, facts.CodeUnrecognized},
	}, {
		name: "huge column count", text: `"(PDH-CSV 4.0)"` + strings.Repeat(`,"\\H\P(a)\C"`, MaxColumns+10) + "\n",
		snaps: 1, wantCodes: []string{facts.CodeCapped, CodeOtherCounters},
	}, {
		name: "a second header", text: hdr + `"01/01/2025 00:00:00.000","1","2"` + "\n" + `"(PDH-CSV 4.0) (UTC)(0)","\\H\Process(c)\Handle Count"` + "\n" + `"01/01/2025 00:01:00.000","3"` + "\n",
		snaps: 2, wantCodes: []string{CodeColumns},
		check: func(t *testing.T, s []*facts.Snapshot) {
			if count(proc(s[1], "c")) != 3 || proc(s[1], "a") != nil {
				t.Errorf("after the second header: %+v", s[1].Processes)
			}
		},
	}, {
		name: "another host", text: `"(PDH-CSV 4.0) (UTC)(0)","\\H\Process(a)\Handle Count","\\G\Process(a)\Handle Count"` + "\n" + `"01/01/2025 00:00:00.000","1","2"` + "\n",
		snaps: 1, wantCodes: []string{CodeOtherCounters},
	}, {
		name: "prose around", text: "Here is my log:\n" + hdr + `"01/01/2025 00:00:00.000","1","2"` + "\n",
		snaps: 1, unrec: 1, wantCodes: []string{facts.CodeUnrecognized},
	}, {
		name: "empty", text: "", snaps: 1,
	}} {
		t.Run(c.name, func(t *testing.T) {
			snaps, log := read(t, c.text)
			if len(snaps) != c.snaps {
				t.Errorf("%d snapshots, want %d", len(snaps), c.snaps)
			}
			if log.Lines.Unrecognized != c.unrec {
				t.Errorf("%d lines unrecognized, want %d", log.Lines.Unrecognized, c.unrec)
			}
			if got := strings.Join(codes(log), " "); got != strings.Join(c.wantCodes, " ") {
				t.Errorf("diagnostics %q, want %q", got, c.wantCodes)
			}
			if c.check != nil {
				c.check(t, snaps)
			}
		})
	}
}
