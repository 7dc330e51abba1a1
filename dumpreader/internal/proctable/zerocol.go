package proctable

import (
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// PowerShell on Linux and macOS, and the 6.0 previews on Windows, print
// a Handles column of zeros: .NET there gives no handle count. Every
// live Windows process but a few pseudo-processes holds handles, so a
// table whose every count is 0, with a row of another process, shows a
// column the tool did not fill: its counts are unknown, not zero.

// CodeZeroColumn: every handle count of the table is 0.
const CodeZeroColumn = "zero-column"

// holdsNone are the images of the pseudo-processes that hold no handles
// (compared in lower case, without ".exe").
var holdsNone = []string{"idle", "system idle process", "registry", "memory compression", "secure system", "vmmem", "vmmemwsl"}

// zeroColumn unsets the counts of a table whose every count is 0 and
// that shows a process holding handles, and reports it at line.
func (s *Sink) zeroColumn() {
	if len(s.procs) < 2 {
		return
	}
	holder := false
	first := int64(0)
	for _, p := range s.procs {
		n := p.pb.P.HandleCount
		if n == nil || *n != 0 {
			return
		}
		image := strings.TrimSuffix(strings.ToLower(p.pb.P.Image), ".exe")
		if !inList(holdsNone, image) {
			holder = true
		}
		if first == 0 || p.line < first {
			first = p.line
		}
	}
	if !holder {
		return
	}
	for _, p := range s.procs {
		p.pb.P.HandleCount = nil
	}
	s.log.Diag(first, facts.SevWarning, CodeZeroColumn,
		"every one of the %d processes shows 0 handles: the tool did not fill the column (PowerShell on Linux or macOS, or a 6.0 preview, prints 0 for every process), so their handle counts are unknown, not zero",
		len(s.procs))
}

func inList(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
