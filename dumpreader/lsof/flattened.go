package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A page that lost its <pre> (a wiki's text extracted, a post reflowed)
// joins the lines of lsof's listing with blanks, header first:
//
//	COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME java 4242 ann cwd DIR 252,2 4096 26 /srv java 4242 ann 3w REG 252,2 48 27 /srv/gc.log [...]
//
// Read as one line, it was a header that did not parse, and the capture
// was refused. Such a line, a header followed by rows, is cut back into
// the lines it was: before each place the first row's COMMAND and PID
// start again, before each row of another process (a COMMAND, a PID,
// then a USER and an FD, or a TID, a USER and an FD: the listing of
// every process), and around an author's elision ("[...]", "..."),
// which may come first too; each is read in turn.

// flatHeaderWords are the words lsof's header starts with.
var flatHeaderWords = [][]byte{[]byte("COMMAND"), []byte("PID")}

// flattenedPieces cuts line, when it is a listing flattened onto one line
// (a header, then at least two rows of one process), into the lines it
// was, appended to dst; it returns dst unchanged for any other line.
func flattenedPieces(line []byte, dst [][]byte) [][]byte {
	if len(line) < 80 || !bytes.HasPrefix(line, []byte("COMMAND ")) {
		return dst
	}
	name := bytes.Index(line, []byte(" NAME "))
	if name < 0 {
		return dst
	}
	f := bytes.Fields(line[:name])
	if len(f) < 8 || !bytes.Equal(f[0], flatHeaderWords[0]) || !bytes.Equal(f[1], flatHeaderWords[1]) {
		return dst
	}
	first := name + len(" NAME ")
	rest := bytes.Fields(line[first:])
	for len(rest) > 0 && isFlatElision(rest[0]) {
		rest = rest[1:] // "NAME ... java 4242": an elision before the first row
	}
	if len(rest) < 2 || !scan.AllDigits(rest[1]) {
		return dst
	}
	// The first row's COMMAND and PID, as each of its process's rows
	// starts: " java 4242 ".
	key := make([]byte, 0, len(rest[0])+len(rest[1])+3)
	key = append(append(append(append(append(key, ' '), rest[0]...), ' '), rest[1]...), ' ')
	if bytes.Count(line[first-1:], key) < 2 && flatRowStarts(line[first:]) < 2 {
		return dst
	}
	return scan.Unflatten(line, dst, func(i int) bool {
		if line[i-1] != ' ' {
			return false
		}
		if i == first || bytes.HasPrefix(line[i-1:], key) || i > first && isFlatRowStart(line[i:]) {
			return true
		}
		// An elision is a piece of its own: cut before it and after it.
		return isFlatElision(line[i:]) || isFlatElision(line[lastWordStart(line, i-1):i-1])
	})
}

// isFlatRowStart reports whether rest (a flattened line from a word on)
// starts as a row does: a COMMAND, a PID, then a USER and an FD, or a
// TID, a USER and an FD. The FD's shape (a number and its access
// character, cwd, txt, mem, DEL) is what no NAME or DEVICE has.
func isFlatRowStart(rest []byte) bool {
	var w [5][]byte
	n := 0
	for n < len(w) {
		rest = bytes.TrimLeft(rest, " ")
		if len(rest) == 0 {
			break
		}
		end := bytes.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		w[n], rest = rest[:end], rest[end:]
		n++
	}
	if n < 4 || scan.IsDigit(w[0][0]) || isFlatElision(w[0]) || !scan.AllDigits(w[1]) {
		return false
	}
	if lsofFDShape(w[3], false) {
		return true
	}
	return n == 5 && scan.AllDigits(w[2]) && lsofFDShape(w[4], false)
}

// flatRowStarts counts the words of line that start a row
// (isFlatRowStart), up to two.
func flatRowStarts(line []byte) int {
	n := 0
	for i := 0; i < len(line) && n < 2; i++ {
		if (i == 0 || line[i-1] == ' ') && line[i] != ' ' && isFlatRowStart(line[i:]) {
			n++
		}
	}
	return n
}

// isFlatElision reports whether rest starts with an elision an author put
// in the listing, then a blank or the end: "[...]", "...", "…".
func isFlatElision(rest []byte) bool {
	end := bytes.IndexByte(rest, ' ')
	if end < 0 {
		end = len(rest)
	}
	switch string(rest[:end]) {
	case "[...]", "...", "…", "[…]":
		return true
	}
	return false
}

// lastWordStart returns where the word that ends at end (exclusive) in
// line starts.
func lastWordStart(line []byte, end int) int {
	i := end
	for i > 0 && line[i-1] != ' ' {
		i--
	}
	return i
}

// flattenedLine reads a line flattenedPieces cut, piece by piece, and
// returns what the line was: parsed if a piece was.
func (r *lsofReader) flattenedLine(pieces [][]byte) scan.LineKind {
	if !r.flatNoted {
		r.flatNoted = true
		r.log.Diag(r.lineNo, facts.SevInfo, facts.CodeRepaired,
			"a listing flattened onto one line (a page that lost its line breaks): cut back into its header and rows, before each row and around its elisions, and read")
	}
	r.inFlat = true
	defer func() { r.inFlat = false }()
	kind := scan.Unrecognized
	for _, p := range pieces {
		kind = scan.Joined(kind, r.readLine(p))
	}
	return kind
}
