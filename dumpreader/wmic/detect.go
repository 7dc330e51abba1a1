package wmic

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
)

// Sniff reports whether text, the first bytes of a capture decoded to
// UTF-8 (up to 64 KiB is enough), is wmic's output of processes: a
// table's header of Win32_Process properties without the dashes
// PowerShell prints under its own, with a row under it; a /format:csv
// header (Node first) with a row; or a list block of a process. When
// text fills the 64 KiB, its last line may be cut and is not read.
func Sniff(text []byte) bool {
	return proctable.Sniff(tool, Name, text, decisive)
}

// decisive: rows under a header without dashes (wmic's tables have
// none) or under a CSV header, or a record block.
func decisive(e *proctable.Evidence) bool {
	return e.Rows > 0 && (e.Underlined == 0 || e.Delimited > 0) || e.Records > 0
}
