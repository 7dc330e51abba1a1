package wmic_test

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/wmic"
	"github.com/leakdiag/leakdiag/facts"
)

// Read wmic's CSV: the node is the snapshot's host.
func ExampleRead() {
	const capture = "\nNode,HandleCount,Name,ProcessId\nSRV01,51234,spoolsv.exe,2412\nSRV01,4263,System,4\n"
	b := facts.NewBuilder()
	log := facts.NewSourceLog("handles.csv", wmic.Name)
	if err := wmic.Read(b, log, strings.NewReader(capture)); err != nil {
		fmt.Println(err)
		return
	}
	b.AddSource(log)
	snap := b.Snapshot()
	fmt.Println(snap.Host)
	for _, p := range snap.Processes {
		fmt.Printf("%d %s %d\n", p.PID, p.Image, *p.HandleCount)
	}
	// Output:
	// SRV01
	// 4 System 4263
	// 2412 spoolsv.exe 51234
}
