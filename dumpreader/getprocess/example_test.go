package getprocess_test

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/facts"
)

// Read a Get-Process table: one process per row, with its handle count,
// and the line accounting.
func ExampleRead() {
	const capture = `PS C:\> Get-Process | Sort-Object Handles -Descending | Select-Object -First 2

Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName
-------  ------    -----      -----     ------     --  -- -----------
  51234      88    12416      30764     112.50   2412   0 spoolsv
   4263       0      200       8412               4   0 System
`
	b := facts.NewBuilder()
	log := facts.NewSourceLog("handles.txt", getprocess.Name)
	if err := getprocess.Read(b, log, strings.NewReader(capture)); err != nil {
		fmt.Println(err)
		return
	}
	b.AddSource(log)
	snap := b.Snapshot()
	for _, p := range snap.Processes {
		fmt.Printf("%d %s %d\n", p.PID, p.Image, *p.HandleCount)
	}
	fmt.Printf("%+v lacks %v\n", snap.Sources[0].Lines, snap.Sources[0].Lacks)
	// Output:
	// 4 System 4263
	// 2412 spoolsv.exe 51234
	// {Total:6 Parsed:5 Ignored:1 Unrecognized:0} lacks [types names stacks]
}
