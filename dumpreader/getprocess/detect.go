package getprocess

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
)

// Sniff reports whether text, the first bytes of a capture decoded to
// UTF-8 (up to 64 KiB is enough), is PowerShell's output of processes: a
// table's header with its line of dashes and a row under it, a CSV
// header with a row, or a Format-List record of a process. A header
// alone may be quoted in prose, and wmic prints its tables without
// dashes. When text fills the 64 KiB, its last line may be cut and is
// not read.
func Sniff(text []byte) bool {
	return proctable.Sniff(tool, Name, text, decisive)
}

func decisive(e *proctable.Evidence) bool {
	return e.RowsUnderlined > 0 || e.Records > 0
}
