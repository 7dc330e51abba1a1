package wmic_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/wmic"
)

// TestQuotaNonPagedPoolUsage: Win32_Process's QuotaNonPagedPoolUsage, in
// KB (as its PageFileUsage is), is the nonpaged pool charged to the
// process, from wmic's table and list and from PowerShell's Format-List
// of Get-WmiObject; its peak (QuotaPeakNonPagedPoolUsage) is not.
func TestQuotaNonPagedPoolUsage(t *testing.T) {
	cases := []struct {
		name   string
		format dumpreader.Format
		in     string
		want   map[uint64]int64 // pid: bytes
	}{{
		name: "wmic process get", format: wmic.Name,
		in: "C:\\>wmic process get ProcessId,Name,HandleCount,QuotaNonPagedPoolUsage\r\n" +
			"HandleCount  Name         ProcessId  QuotaNonPagedPoolUsage\r\n" +
			"4263         System       4          0\r\n" +
			"51234        spoolsv.exe  2412       1466\r\n",
		want: map[uint64]int64{4: 0, 2412: 1466 * 1024},
	}, {
		name: "wmic process list", format: wmic.Name,
		in:   "HandleCount=812\r\nName=svchost.exe\r\nProcessId=1104\r\nQuotaNonPagedPoolUsage=14\r\nQuotaPeakNonPagedPoolUsage=90\r\n\r\n",
		want: map[uint64]int64{1104: 14 * 1024},
	}, {
		name: "Get-WmiObject Win32_Process", format: getprocess.Name,
		in: "Caption                    : winlogon.exe\n" +
			"HandleCount                : 187\n" +
			"Name                       : winlogon.exe\n" +
			"ProcessId                  : 652\n" +
			"QuotaNonPagedPoolUsage     : 9\n" +
			"QuotaPeakNonPagedPoolUsage : 11\n",
		want: map[uint64]int64{652: 9 * 1024},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := proctest.Read(t, []byte(c.in), "t.txt", c.format)
			if len(snap.Processes) != len(c.want) {
				t.Fatalf("%d processes, want %d:\n%s", len(snap.Processes), len(c.want), proctest.Diags(snap))
			}
			for _, p := range snap.Processes {
				want := c.want[p.PID]
				if p.PoolNonpagedBytes == nil || *p.PoolNonpagedBytes != want {
					t.Errorf("pid %d: pool_nonpaged_bytes %v, want %d", p.PID, p.PoolNonpagedBytes, want)
				}
			}
		})
	}
}
