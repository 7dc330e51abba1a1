package facts_test

import (
	"fmt"

	"github.com/leakdiag/leakdiag/facts"
)

// A reader feeds a Builder one process header and one handle at a time;
// the snapshot carries only the aggregates.
func ExampleBuilder() {
	b := facts.NewBuilder()
	p := b.Process("8a26d020", facts.Position{Path: "capture.txt", Line: 12})
	p.P.PID, p.P.Image = 0x6a4, "spoolsv.exe"
	for v := uint64(4); v <= 40; v += 4 {
		p.AddHandle(&facts.Handle{Value: v, Type: "Event", Naming: facts.Unnamed})
	}
	p.AddHandle(&facts.Handle{Value: 44, Type: "Key", Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso\Print`, Naming: facts.Named})
	p.AddHandle(&facts.Handle{Value: 44, Type: "Key", Name: `\REGISTRY\MACHINE\SOFTWARE\Contoso\Print`, Naming: facts.Named})

	snap := b.Snapshot()
	proc := snap.Processes[0]
	fmt.Printf("%s (pid %d): %d handles, %s holds %.0f%%, %d unnamed\n",
		proc.Image, proc.PID, proc.HandlesParsed, proc.DominantType, proc.DominantShare*100, proc.Unnamed)
	fmt.Printf("most held name: %s %s x%d\n", proc.TopNames[0].Type, proc.TopNames[0].Name, proc.TopNames[0].Count)
	// Output:
	// spoolsv.exe (pid 1700): 11 handles, Event holds 91%, 10 unnamed
	// most held name: Key \REGISTRY\MACHINE\SOFTWARE\Contoso\Print x1
}
