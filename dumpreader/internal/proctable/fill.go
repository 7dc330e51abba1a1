package proctable

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Fill gives pb what a process row's cells say besides its pid and
// image: its handle count (a cell that is no count is reported to log
// at line, and the count left unknown), its parent's pid, the nonpaged
// pool charged to it (a NonPagedKB column, "1,024 K"), and its image
// path and command line where pb has none yet.
func (c *Columns) Fill(pb *facts.ProcessBuilder, cells [][]byte, log *facts.SourceLog, line int64) {
	if cell := c.Cell(cells, Handles); len(cell) > 0 {
		if n, ok := ParseCount(cell); ok {
			pb.P.HandleCount = &n
		} else {
			log.Diag(line, facts.SevWarning, facts.CodeMissing,
				"handle count %s of pid %d is not a number", scan.QuoteLine(cell), pb.P.PID)
		}
	}
	if ppid, ok := ParseCount(c.Cell(cells, PPID)); ok {
		pb.P.PPID = uint64(ppid)
	}
	if cell := c.Cell(cells, NonPagedKB); len(cell) > 0 {
		if n, ok := parseBytes(string(cell), NonPagedKB); ok {
			pb.P.PoolNonpagedBytes = &n
		}
	}
	if path := c.Cell(cells, Path); len(path) > 0 && pb.P.Path == "" && !Truncated(string(path)) {
		pb.P.Path = string(path)
	}
	if cmd := c.Cell(cells, Cmdline); len(cmd) > 0 && pb.P.Cmdline == "" && !Truncated(string(cmd)) {
		pb.P.Cmdline = string(cmd)
	}
}
