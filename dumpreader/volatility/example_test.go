package volatility_test

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/volatility"
	"github.com/leakdiag/leakdiag/facts"
)

// Read Volatility 2's pslist: a process that has exited but is still in
// the active process list is kept alive by a reference.
func ExampleRead() {
	const capture = `$ vol.py -f mem.raw --profile=Win7SP1x64 pslist
Volatility Foundation Volatility Framework 2.6
Offset(V)          Name                    PID   PPID   Thds     Hnds   Sess  Wow64 Start                          Exit
------------------ -------------------- ------ ------ ------ -------- ------ ------ ------------------------------ ------------------------------
0xfffffa80031e2b30 MonitorSvc.exe         1608    488     31    88412      0      1 2026-12-02 03:12:30 UTC+0000
0xfffffa8003f00060 wmiprvse.exe           4416    620      0 --------      0      0 2026-12-06 11:02:17 UTC+0000   2026-12-06 11:02:19 UTC+0000
`
	b := facts.NewBuilder()
	log := facts.NewSourceLog("pslist.txt", volatility.Name)
	if err := volatility.Read(b, log, strings.NewReader(capture)); err != nil {
		fmt.Println(err)
		return
	}
	b.AddSource(log)
	snap := b.Snapshot()
	for _, p := range snap.Processes {
		fmt.Println(p.PID, p.Image, p.Exited)
	}
	fmt.Printf("%+v lacks %v\n", snap.Sources[0].Lines, snap.Sources[0].Lacks)
	// Output:
	// 1608 MonitorSvc.exe false
	// 4416 wmiprvse.exe true
	// {Total:6 Parsed:6 Ignored:0 Unrecognized:0} lacks [types names stacks]
}
