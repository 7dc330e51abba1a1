package wmic_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/wmic"
	"github.com/leakdiag/leakdiag/facts"
)

// TestReadSeries: wmic run in a loop, its tables of the same process
// pasted one after another, is a series, a snapshot per table in the
// order printed; tables of other processes are one capture.
func TestReadSeries(t *testing.T) {
	loop := "C:\\>for /l %i in (1,0,2) do (wmic process where name=\"agent.exe\" get ProcessId,HandleCount,QuotaNonPagedPoolUsage & timeout 600)\r\n"
	for _, row := range []string{"1200         5120       40", "1310         5120       96", "1422         5120       150"} {
		loop += "HandleCount  ProcessId  QuotaNonPagedPoolUsage\r\n" + row + "\r\n\r\n"
	}
	other := "HandleCount  Name         ProcessId\r\n4263         System       4\r\n\r\n" +
		"HandleCount  Name         ProcessId\r\n51234        spoolsv.exe  2412\r\n"
	for _, tc := range []struct {
		name, in string
		handles  []int64 // of the first process of each snapshot
	}{
		{"loop", loop, []int64{1200, 1310, 1422}},
		{"two tables of other processes", other, []int64{51234}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := facts.NewSourceLog("t.txt", wmic.Name)
			snaps, err := wmic.ReadSeries(log, strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(snaps) != len(tc.handles) {
				t.Fatalf("%d snapshots, want %d", len(snaps), len(tc.handles))
			}
			for i, s := range snaps {
				p := s.Processes[len(s.Processes)-1]
				if p.HandleCount == nil || *p.HandleCount != tc.handles[i] {
					t.Errorf("snapshot %d: handles %v, want %d", i, p.HandleCount, tc.handles[i])
				}
			}
			if l := log.Lines; l.Unrecognized != 0 || l.Parsed+l.Ignored != l.Total {
				t.Errorf("lines %+v", l)
			}
		})
	}
}
