package handleexe

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A page that lost its <pre> (a vendor manual's text extracted, a post
// reflowed) joins the lines of a `handle -a` listing with blanks:
//
//	Handle v3.42 Copyright (C) 1997-2008 Mark Russinovich ... ------ System pid: 4 NT AUTHORITY\SYSTEM 4: Process System(4) 8: Thread ...
//
// Read as one line, nothing of it was known and the capture was refused.
// Such a line is cut back into the lines it was, at the dashes between
// processes, the "image pid: N" headers, the "HEX: Type" handle rows and
// the banner's lines, and each is read in turn. An author's vertical
// ellipsis, flattened to ": :", is an elision.

// flatMinLen is the shortest line that may be a flattened listing: a
// separator, a header and a row.
const flatMinLen = 80

// flatElision is an author's vertical ellipsis once its lines were joined.
var flatElision = []byte(": :")

// flattenedPieces cuts line, when it is a listing flattened onto one line
// (a run of dashes with a "pid: " header after it, at least flatMinLen
// long) or a type summary flattened so (flatsummary.go), or both, into the
// lines it was, appended to dst; it returns dst unchanged for any other
// line.
func flattenedPieces(line []byte, dst [][]byte) [][]byte {
	listing := false
	if len(line) >= flatMinLen {
		sep := bytes.Index(line, []byte("----------"))
		listing = sep >= 0 && bytes.Contains(line[sep:], []byte(" pid: "))
	}
	header := flatSummaryStart(line)
	if !listing && header < 0 {
		return dst
	}
	return scan.Unflatten(line, dst, func(i int) bool {
		return (listing && startsFlatLine(line, i)) || (header >= 0 && startsFlatSummaryLine(line, header, i))
	})
}

// startsFlatLine reports whether a line of the listing starts at line[i]:
// the first dash of a separator or the word after its last, a header, a
// handle row, a banner line or a flattened elision, each after a blank.
func startsFlatLine(line []byte, i int) bool {
	prev, rest := line[i-1], line[i:]
	if prev == '-' {
		return rest[0] == ' ' && i >= 10 && bytes.Equal(line[i-10:i], []byte("----------"))
	}
	if prev != ' ' {
		return false
	}
	switch {
	case scan.HasPrefix(rest, "----------"),
		scan.HasPrefix(rest, "Copyright (C)"),
		scan.HasPrefix(rest, "Sysinternals - "),
		bytes.HasPrefix(rest, flatElision):
		return true
	}
	return isFlatHeader(rest) || isFlatRow(rest)
}

// isFlatHeader recognizes "image pid: N" at the start of rest: a word,
// then " pid: " and a digit.
func isFlatHeader(rest []byte) bool {
	end := bytes.IndexByte(rest, ' ')
	if end <= 0 || end > 260 {
		return false
	}
	after := rest[end:]
	return scan.HasPrefix(after, " pid: ") && len(after) > len(" pid: ") && scan.IsDigit(after[len(" pid: ")])
}

// isFlatRow recognizes a handle row at the start of rest: up to 16 hex
// digits, a colon, a blank and a type's capital.
func isFlatRow(rest []byte) bool {
	n := 0
	for n < len(rest) && n <= 16 && scan.IsHexDigit(rest[n]) {
		n++
	}
	return n > 0 && n <= 16 && len(rest) > n+2 && rest[n] == ':' && rest[n+1] == ' ' &&
		rest[n+2] >= 'A' && rest[n+2] <= 'Z'
}

// flattenedLine reads a line flattenedPieces cut, piece by piece, and
// returns what the line was: parsed if a piece was.
func (h *handleExeReader) flattenedLine(pieces [][]byte) scan.LineKind {
	if !h.flatNoted {
		h.flatNoted = true
		h.log.Diag(h.lineNo, facts.SevInfo, facts.CodeRepaired,
			"Handle's output flattened onto one line (a page that lost its line breaks): cut back into its lines at the dashes, the \"pid:\" headers, the handle rows and a type summary's header and rows, and read")
	}
	kind := scan.Unrecognized
	for _, p := range pieces {
		if bytes.Equal(p, flatElision) {
			p = []byte("...") // read as the elision it was
		}
		k := h.line(p)
		if k == scan.Unrecognized && (h.usage || h.foreign != "") {
			k = scan.Ignored // another program's output, or Handle's usage text
		}
		kind = scan.Joined(kind, k)
	}
	return kind
}
