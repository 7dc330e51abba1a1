package counterlog

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// a counter log: a line of it, maybe indented, begins with the first
// cell of a PDH header, `"(PDH-CSV 4.0)` or `"(PDH-TSV 4.0)`, which only
// the PDH library writes.
func Sniff(text []byte) bool {
	return scan.Sniff(text, func(line []byte) bool {
		return headerSep(bytes.TrimLeft(line, " \t")) != 0
	})
}
