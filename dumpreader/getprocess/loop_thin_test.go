package getprocess_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/facts"
)

// TestLoopThinned: a loop of more tables than a series keeps is read
// into at most proctable.MaxPoints snapshots, evenly spread, the first
// and the last table among them, each with its own table's time; a loop
// of one statement, a run per row, too. Without the bound a capture made
// a snapshot per row (12 MB of rows were 200,000 snapshots, 257 MB).
func TestLoopThinned(t *testing.T) {
	const header = "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
		"-------  ------    -----      -----     ------     --  -- -----------\n"
	start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	row := func(i int) string {
		return fmt.Sprintf("%7d      40    10300      16156       0.20   5120   0 agent\n", 1000+i)
	}
	const n = 5000
	var tables, rows strings.Builder
	rows.WriteString(header)
	for i := range n {
		fmt.Fprintf(&tables, "%s\n\n%s%s\n", start.Add(time.Duration(i)*time.Minute).Format(time.DateTime), header, row(i))
		rows.WriteString(row(i))
	}
	for _, tc := range []struct {
		name  string
		in    string
		times bool
	}{
		{"tables with times", tables.String(), true},
		{"a run per row", rows.String(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := facts.NewSourceLog("loop.txt", getprocess.Name)
			snaps, err := getprocess.ReadSeries(log, strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(snaps) > proctable.MaxPoints || len(snaps) < proctable.MinPoints {
				t.Fatalf("%d snapshots, want %d to %d", len(snaps), proctable.MinPoints, proctable.MaxPoints)
			}
			var tablesOf []int
			for _, s := range snaps {
				if len(s.Processes) != 1 || s.Processes[0].HandleCount == nil {
					t.Fatalf("snapshot of %+v, want agent's", s.Processes)
				}
				i := int(*s.Processes[0].HandleCount) - 1000
				tablesOf = append(tablesOf, i)
				want := ""
				if tc.times {
					want = start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
				}
				if s.CapturedAt != want {
					t.Errorf("table %d captured at %q, want %q", i, s.CapturedAt, want)
				}
			}
			if tablesOf[0] != 0 || tablesOf[len(tablesOf)-1] != n-1 {
				t.Errorf("tables %d to %d kept, want 0 to %d", tablesOf[0], tablesOf[len(tablesOf)-1], n-1)
			}
			stride := tablesOf[1] - tablesOf[0]
			for j := 1; j+1 < len(tablesOf); j++ {
				if d := tablesOf[j] - tablesOf[j-1]; d != stride {
					t.Fatalf("tables kept %v: not evenly spread", tablesOf)
				}
			}
			var thinned bool
			for _, d := range log.Diagnostics() {
				thinned = thinned || d.Code == getprocess.CodeThinned && strings.Contains(d.Message, fmt.Sprintf("of the %d tables", n))
			}
			if !thinned {
				t.Errorf("no %s diagnostic: %+v", getprocess.CodeThinned, log.Diagnostics())
			}
		})
	}
}
