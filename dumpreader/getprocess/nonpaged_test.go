package getprocess_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
)

// TestNonPaged: the nonpaged pool charged to a process is read in bytes
// from the default table's NPM(K) (KB), Format-List's and Export-Csv's
// NPM and NonpagedSystemMemorySize64 (bytes) and PowerShell 7's NPM(M)
// (MB with two decimals); a table without it gives none, nor a cell
// that is no figure of its unit.
func TestNonPaged(t *testing.T) {
	cases := []struct {
		name, in string
		want     map[uint64]int64 // pid: bytes; a pid left out has none
	}{{
		name: "default table",
		in: "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
			"-------  ------    -----      -----     ------     --  -- -----------\n" +
			"    341     130    10300      16156       0.20  17464  16 fluent-bit\n" +
			"   4263       0      200       8412  20,434.38      4   0 System\n" +
			"   1489   1,058    23732      78908              3520   1 explorer\n",
		want: map[uint64]int64{17464: 130 * 1024, 4: 0, 3520: 1058 * 1024},
	}, {
		name: "Format-List",
		in: "Id      : 2412\nHandles : 51234\nNPM     : 23864\nName    : spoolsv\n\n" +
			"Id                         : 1104\nHandles                    : 812\nNonpagedSystemMemorySize64 : 14520\nName                       : svchost\n",
		want: map[uint64]int64{2412: 23864, 1104: 14520},
	}, {
		name: "Export-Csv",
		in:   exportCsvHeader + "\n" + exportCsvRow + "\n",
		want: map[uint64]int64{2412: 23864},
	}, {
		// PowerShell 7 prints MB with two decimals in the machine's
		// culture (German: a decimal comma, a dot between thousands).
		name: "PowerShell 7's NPM(M)",
		in: " NPM(M)    PM(M)      WS(M)     CPU(s)      Id  SI ProcessName\n" +
			" ------    -----      -----     ------      --  -- -----------\n" +
			"  14.38   123.45     150.20      12.34    2412   0 spoolsv\n" +
			"   0,02     1,10       5,00       0,00    1104   0 svchost\n" +
			"1.234,56    1,10       5,00       0,00     512   0 agent\n" +
			"  1,234     1,10       5,00       0,00     600   0 odd\n",
		want: map[uint64]int64{2412: 14<<20 + 38<<20/100, 1104: 2 << 20 / 100, 512: 1234<<20 + 56<<20/100},
	}, {
		name: "no NPM column",
		in: "HandleCount Name        Id\n" +
			"----------- ----        --\n" +
			"      51234 spoolsv   2412\n",
		want: map[uint64]int64{},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := proctest.Read(t, []byte(c.in), "t.txt", getprocess.Name)
			if len(snap.Processes) == 0 {
				t.Fatalf("no process read:\n%s", proctest.Diags(snap))
			}
			for _, p := range snap.Processes {
				want, ok := c.want[p.PID]
				switch {
				case !ok && p.PoolNonpagedBytes != nil:
					t.Errorf("pid %d: pool_nonpaged_bytes %d, want none", p.PID, *p.PoolNonpagedBytes)
				case ok && p.PoolNonpagedBytes == nil:
					t.Errorf("pid %d: no pool_nonpaged_bytes, want %d", p.PID, want)
				case ok && *p.PoolNonpagedBytes != want:
					t.Errorf("pid %d: pool_nonpaged_bytes %d, want %d", p.PID, *p.PoolNonpagedBytes, want)
				}
			}
		})
	}
}
