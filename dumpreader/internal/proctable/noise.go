package proctable

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Noise accounts for the lines pastes of any table carry besides it: a
// blank line, a markdown fence (```, ```text, ~~~) and an elision ("...",
// "*snip*", a vertical ellipsis), reporting the elision at lineNo. ok is
// false for any other line.
func Noise(line []byte, log *facts.SourceLog, lineNo int64) (kind scan.LineKind, ok bool) {
	switch {
	case len(line) == 0:
		return scan.Ignored, true
	case IsFence(line):
		return scan.Ignored, true
	case scan.IsElision(line) || isVerticalEllipsis(line):
		log.Diag(lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
		return scan.Ignored, true
	}
	return scan.Unrecognized, false
}

// IsFence recognizes a markdown code fence, as CommonMark has them: three
// backticks or more, with an info string after them ("```powershell",
// "``` text") that holds no backtick; or three tildes or more, with
// anything after them.
func IsFence(line []byte) bool {
	switch {
	case scan.HasPrefix(line, "```"):
		return bytes.IndexByte(bytes.TrimLeft(line, "`"), '`') < 0
	case scan.HasPrefix(line, "~~~"):
		return true
	}
	return false
}

// isVerticalEllipsis recognizes a line of one dot, or "⋮": a table pasted
// with rows cut leaves a dot on each of a few lines where they were
// (".", ".", "."), and no table's row is a dot alone. Only the tables'
// readers take it so: elsewhere (a bare ls -a) a dot may be a name.
func isVerticalEllipsis(line []byte) bool {
	return string(line) == "." || string(line) == "⋮"
}
