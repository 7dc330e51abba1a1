package wmic

import (
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/facts"
)

// wmic run in a loop and pasted as one file prints the same table again
// and again:
//
//	C:\>for /l %i in (1,0,2) do (wmic process where name="agent.exe" get ProcessId,HandleCount,QuotaNonPagedPoolUsage & timeout 600)
//	HandleCount  ProcessId  QuotaNonPagedPoolUsage
//	1200         5120       40
//
//	HandleCount  ProcessId  QuotaNonPagedPoolUsage
//	1310         5120       96
//	...
//
// ReadSeries reads such a capture as a series, a snapshot per table, as
// Get-Process's loops are read (proctable.Repeats tells the tables of the
// same processes). wmic prints no time: the tables are ordered, not
// timed.

// CodeLoop: a capture of several tables of the same processes, read as a
// series.
const CodeLoop = "loop-series"

// ReadSeries reads wmic's output from r, accounting every line in log,
// into a snapshot per table when its tables repeat the same processes,
// oldest first, else into one snapshot as Read does. The snapshots have
// no sources and no diagnostics: the caller gives them log's.
func ReadSeries(log *facts.SourceLog, r io.Reader) ([]*facts.Snapshot, error) {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	rd := proctable.NewReader(tool, facts.NewBuilder(), log)
	rd.SplitRepeats(facts.NewBuilder)
	err := rd.Read(r)
	points := rd.Points()
	out := make([]*facts.Snapshot, len(points))
	for i, p := range points {
		out[i] = p.B.Snapshot()
	}
	if len(points) > 1 {
		tables := points[len(points)-1].Index + 1
		log.Diag(points[1].Line, facts.SevInfo, CodeLoop,
			"%d tables of the same processes (wmic run in a loop): read as a series, a capture per table in the order printed (wmic prints no time)", tables)
	}
	return out, err
}
