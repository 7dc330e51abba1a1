package dumpreader

import (
	"bytes"

	"github.com/leakdiag/leakdiag/facts"
)

// looksLikeLsof reports whether text, the first bytes of a capture decoded
// to UTF-8 (up to 64 KiB is enough), is lsof output: a listing's header
// with a row under it, or a -F process set with a file set in it, alone
// or pasted among other text. A header alone may be quoted in prose, and
// "p1234" may be anything; the two together are lsof's. When text fills
// the 64 KiB, its last line may be cut and is not read. Text of -F0
// output holds NULs: this is to be asked before text with NULs is taken
// for binary.
func looksLikeLsof(text []byte) bool {
	sep := []byte("\n")
	if bytes.IndexByte(text, '\n') < 0 && bytes.IndexByte(text, '\r') >= 0 {
		sep = []byte("\r") // classic Mac line ends
	}
	lines := bytes.Split(text, sep)
	if len(text) >= sniffLen && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	r := newLsofReader(facts.NewBuilder(), facts.NewSourceLog("", string(FormatLsof)))
	for _, line := range lines {
		r.lineNo++
		if len(line) > maxLineLen {
			line = line[:maxLineLen]
		}
		r.readLine(trimCR(line))
		if r.ev.decisive() {
			return true
		}
	}
	return false
}
