package counterlog

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// a counter log: a line of it, maybe indented, begins with the first
// cell of a PDH header, `"(PDH-CSV 4.0)` or `"(PDH-TSV 4.0)`, which only
// the PDH library writes; or the header of Get-Counter's table,
// "Timestamp  CounterSamples", or the first line of a sample's Readings
// piped to Format-List ("Readings : \\host\object\counter :"). The
// head's last line is read too, though it may be cut: a header of a
// thousand processes is longer than the head, and its start is what
// tells it. A blockquote before the lines is skipped, and so is the "# "
// of a PowerShell comment block before Get-Counter's header.
func Sniff(text []byte) bool {
	for len(text) > 0 {
		line := text
		if i := bytes.IndexAny(text, "\r\n"); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		if t := bytes.TrimLeft(scan.Unquote(line), " \t"); headerSep(t) != 0 || isGetCounterHeader(t) || isGetCounterHeader(uncomment(t)) ||
			isReadings(t) || isReadings(uncomment(t)) {
			return true
		}
	}
	return false
}
