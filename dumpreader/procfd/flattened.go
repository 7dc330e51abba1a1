package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A page that lost its <pre> (a wiki's text extracted, a post reflowed)
// joins the lines of an ls -l listing with blanks:
//
//	$ ls -l /proc/4242/fd total 0 lrwx------ 1 ann ann 64 Mar 11 10:05 0 -> /dev/pts/3 lrwx------ 1 ann ann 64 Mar 11 10:05 1 -> /dev/pts/3
//
// Read as one line, it was one row whose link ran to the end, or nothing
// known, and the capture was refused. Such a line, two rows' modes and
// arrows in it, is cut back into the lines it was, before each row's
// mode and before ls's "total N", and each is read in turn.

// flatMinLen is the shortest line that may be a flattened listing: two
// rows.
const flatMinLen = 80

// flattenedPieces cuts line, when it is a listing flattened onto one
// line (two descriptor rows in it), into the lines it was, appended to
// dst; it returns dst unchanged for any other line.
func flattenedPieces(line []byte, dst [][]byte) [][]byte {
	if len(line) < flatMinLen || bytes.Count(line, []byte(" -> ")) < 2 {
		return dst
	}
	rows := 0
	for i := 1; i < len(line) && rows < 2; i++ {
		if line[i-1] == ' ' && isFlatRow(line[i:]) {
			rows++
		}
	}
	if rows < 2 && !(rows == 1 && isFlatRow(line)) {
		return dst
	}
	return scan.Unflatten(line, dst, func(i int) bool {
		return line[i-1] == ' ' && (isFlatRow(line[i:]) || isFlatTotal(line[i:]))
	})
}

// isFlatRow reports whether rest starts with a descriptor's mode and a
// blank: "lrwx------ ", "lr-x------. ".
func isFlatRow(rest []byte) bool {
	end := bytes.IndexByte(rest, ' ')
	return end >= 10 && end <= 11 && (isFDMode(rest[:end]) || isUnreadableMode(rest[:end]))
}

// isFlatTotal reports whether rest starts with ls's "total N" and a
// blank: in a line with rows, the word is ls's, not prose's.
func isFlatTotal(rest []byte) bool {
	n, ok := bytes.CutPrefix(rest, []byte("total "))
	if !ok {
		return false
	}
	end := bytes.IndexByte(n, ' ')
	return end > 0 && scan.AllDigits(n[:end])
}

// flattenedLine reads a line flattenedPieces cut, piece by piece, and
// returns what the line was: parsed if a piece was.
func (z *reader) flattenedLine(pieces [][]byte) scan.LineKind {
	if !z.flatNoted {
		z.flatNoted = true
		z.log.Diag(z.lineNo, facts.SevInfo, facts.CodeRepaired,
			"a listing flattened onto one line (a page that lost its line breaks): cut back into its lines before each row's mode and ls's \"total\", and read")
	}
	z.inFlat = true
	defer func() { z.inFlat = false }()
	kind := scan.Unrecognized
	for _, p := range pieces {
		kind = scan.Joined(kind, z.readLine(p))
	}
	return kind
}
