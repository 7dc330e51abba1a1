package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A page that lost its <pre> (a blog's text extracted, a forum's post
// reflowed) joins a PROCESS block's lines with blanks:
//
//	kd> !process ffffc986a505a080 0 PROCESS ffffc986a505a080 SessionId: 1 Cid: 1010 Peb: 37648ff000 ParentCid: 0588 DirBase: 16484cd000 ObjectTable: 00000000 HandleCount: 0. Image: contoso.exe
//
// Read as one line, the prompt took it all for a command and the block
// was lost without a word, or the PROCESS line read kept the pid and lost
// the handle count and image. Such a line is cut back into the lines it
// was, at the labels that start them (PROCESS, SessionId:, DirBase:,
// Image:, THREAD, No active threads and the detail lines of flags 1 and
// up), and each is read in turn.

// flatMinLen is the shortest line that may be a flattened block: the
// PROCESS line of the 32-bit layout alone is about as long.
const flatMinLen = 64

// flatLabels start the lines of a PROCESS block, besides processDetails.
var flatLabels = []string{"PROCESS ", "SessionId:", "DirBase:", "Image:", "THREAD ", "No active threads"}

// flattenedPieces cuts line, when it is a PROCESS block flattened onto one
// line (a "PROCESS address" with DirBase: or Image: after it), into the
// lines it was, appended to dst; it returns dst unchanged for any other
// line.
func flattenedPieces(line []byte, dst [][]byte) [][]byte {
	at := flatProcessAt(line, 0)
	if at < 0 || (!bytes.Contains(line[at:], []byte(" DirBase:")) && !bytes.Contains(line[at:], []byte(" Image:"))) {
		return dst
	}
	return scan.Unflatten(line, dst, func(i int) bool { return line[i-1] == ' ' && startsFlatLine(line, i) })
}

// flatProcessAt returns where, at from or after it, line holds "PROCESS "
// and an address at the start of a word, or -1.
func flatProcessAt(line []byte, from int) int {
	for from < len(line) {
		i := bytes.Index(line[from:], []byte("PROCESS "))
		if i < 0 {
			return -1
		}
		i += from
		if (i == 0 || line[i-1] == ' ') && isFlatAddress(line[i+len("PROCESS "):]) {
			return i
		}
		from = i + 1
	}
	return -1
}

// isFlatAddress reports whether b starts with a hex address, with or
// without the backtick of 64-bit addresses, as a word of its own.
func isFlatAddress(b []byte) bool {
	n := 0
	for n < len(b) && (scan.IsHexDigit(b[n]) || b[n] == '`') {
		n++
	}
	return n >= 8 && (n == len(b) || b[n] == ' ')
}

// startsFlatLine reports whether a line of a PROCESS block starts at
// line[i].
func startsFlatLine(line []byte, i int) bool {
	rest := line[i:]
	if scan.HasPrefix(rest, "PROCESS ") {
		return isFlatAddress(rest[len("PROCESS "):])
	}
	for _, label := range flatLabels[1:] {
		if scan.HasPrefix(rest, label) {
			return true
		}
	}
	return isProcessDetail(rest)
}

// flattenedLine reads a line that flattenedPieces cut, piece by piece,
// and returns what the line was: parsed if a piece was.
func (k *kdReader) flattenedLine(pieces [][]byte) scan.LineKind {
	if !k.flatNoted {
		k.flatNoted = true
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired,
			"a PROCESS block flattened onto one line (a page that lost its line breaks): cut back into its lines at their labels (PROCESS, DirBase:, Image:...) and read")
	}
	kind := scan.Unrecognized
	for _, p := range pieces {
		kind = scan.Joined(kind, k.line(p, false))
	}
	return kind
}
