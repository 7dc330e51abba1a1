// Package benchsnap builds the snapshot the rule benchmarks run over: many
// processes of a few images, with handles of a few types and names, and a
// few leakers so that rules fire and messages render.
package benchsnap

import (
	"fmt"

	"github.com/leakdiag/leakdiag/facts"
)

// Build returns a snapshot of procs processes: 50 to 449 handles each,
// a third of them named, and every thousandth process a leaker of 15,000.
// The same procs give the same snapshot.
func Build(procs int) *facts.Snapshot {
	images := []string{"svchost.exe", "chrome.exe", "sqlservr.exe", "w3wp.exe", "agent.exe", "explorer.exe", "store.exe"}
	types := []string{"Event", "File", "Key", "Section", "Mutant", "ALPC Port", "Thread"}
	bld := facts.NewBuilder()
	for i := range procs {
		p := bld.Process(fmt.Sprintf("ffff%012x", i), facts.Position{Path: "bench.txt", Line: int64(i + 1)})
		p.P.PID, p.P.Image = uint64(4*i+8), images[i%len(images)]
		handles := 50 + i%400
		if i%1000 == 0 {
			handles = 15000
		}
		n := int64(handles)
		p.P.HandleCount = &n
		for h := range handles {
			typ := types[(h*7+i)%len(types)]
			hd := &facts.Handle{Value: uint64(4 * (h + 1)), Type: typ, Naming: facts.Unnamed}
			if h%3 == 0 {
				hd.Naming, hd.Name = facts.Named, fmt.Sprintf(`\REGISTRY\MACHINE\SOFTWARE\Vendor%d\Key%d`, i%50, h%20)
			}
			p.AddHandle(hd)
		}
	}
	return bld.Snapshot()
}
