package kd_test

import (
	"bytes"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
)

// FuzzReadKD feeds the kd reader arbitrary bytes. Properties: no panic,
// every line accounted for exactly once, and the snapshot's JSON form reads
// back to the same facts.
func FuzzReadKD(f *testing.F) {
	readtest.Seed(f, "../../testdata/kd/*.txt")
	f.Add([]byte("0: kd> !handle\n0004: Object: e1009568 GrantedAccess: 000f0003\n"))
	// !vm and !poolused lines, with and without their commands (the
	// captures under testdata/kd hold them whole).
	f.Add([]byte("kd> !vm 1\n*** Virtual Memory Usage ***\n\tNonPagedPool Usage:  59880   (  239520 Kb)\n\t********** 4212 pool allocations have failed **********\n         0a18 ContosoAgent.ex  61234 (  244936 Kb)\n"))
	f.Add([]byte("Free System PTEs:        33496170 (  133984680 Kb)\n  6b4 chrome.exe                     88540 Kb           0 Kb        0 Kb\n"))
	f.Add([]byte("0: kd> !poolused 2 Th*; !poolused 4\n Sorting by NonPaged Pool Consumed\n Tag    Allocs     Used    Allocs     Used\n Nwf8        6     2208         0        0802.11 filter\n TOTAL     3570214 209120008     38769 13066104\n"))
	f.Add([]byte(" Tag    Allocs    Frees     Diff     Used   Allocs    Frees     Diff     Used\n Thre   920112   901204    18908 12101120        0        0        0        0Thread objects\n"))
	// Paste damage, debugger session noise, a wrapped command.
	f.Add([]byte("> 0:000> **!mex.grep -A 2 .etl !handle 0 3 0 File**  \n> PROCESS 896f6a98  SessionId&#8203;: 0  Cid&#x200b;: 02fc\n&nbsp; HandleCount: 124\\.\n--\nName: \\Device\\NamedPipe\\{8f3a2c71-5b0e-4d9a-9c1f-2e7b6a4d3c10}\n"))
	f.Add([]byte("(19ec.153c): Break instruction exception - code 80000003 (first chance)\neax=7ffde000 ebx=00000000\nntdll!DbgBreakPoint:\n7794433c cc int 3\n.  0  Id: 19ec.153c Suspend: 1 Teb: 7ffdf000 Unfrozen\n      Start: app!wmainCRTStartup (00ab1c80)\nKernel handle table at e1539000 with 58 Entries in use\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Read as dumpreader reads it, UTF-16 decoded first.
		snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatKD})
		if err != nil {
			return
		}
		readtest.CheckSnapshot(t, snap)
	})
}
