package lsfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// header is the columns of lsfd's output, by where each is in a row.
type header struct {
	line int64
	n    int // how many columns
	// The index of each column read, -1 where the header has none.
	command, pid, assoc, typ, source, inode, name int
}

// maxColumns bounds the columns of a header: lsfd has about eighty.
const maxColumns = 128

// parseHeader reads line as lsfd's header: column names in capitals,
// PID, ASSOC and TYPE among them, and one that only lsfd prints (ASSOC,
// MNTID, XMODE, or SOURCE with MODE), so that lsof's header ("COMMAND
// PID USER FD TYPE DEVICE SIZE/OFF NODE NAME") and ps's are not taken.
func parseHeader(line []byte) (header, bool) {
	h := noColumns()
	if len(line) < 3 || line[0] < 'A' || line[0] > 'Z' || !bytes.Contains(line, []byte("PID")) {
		return h, false // most lines, rows: no split
	}
	f := bytes.Fields(line)
	if len(f) < 3 || len(f) > maxColumns {
		return h, false
	}
	own := false
	for i, c := range f {
		if !isColumnName(c) {
			return h, false
		}
		h.set(i, string(c))
		switch string(c) {
		case "ASSOC", "MNTID", "XMODE":
			own = true
		}
	}
	h.n = len(f)
	return h, own && h.readable()
}

// noColumns is a header of none of the columns read.
func noColumns() header {
	return header{command: -1, pid: -1, assoc: -1, typ: -1, source: -1, inode: -1, name: -1}
}

// set notes that column i is the one named name, if it is one read.
func (h *header) set(i int, name string) {
	switch name {
	case "COMMAND":
		h.command = i
	case "PID":
		h.pid = i
	case "ASSOC":
		h.assoc = i
	case "TYPE":
		h.typ = i
	case "SOURCE":
		h.source = i
	case "INODE":
		h.inode = i
	case "NAME":
		h.name = i
	}
}

// readable says the header has the columns a row is read by: PID and
// ASSOC. Without TYPE (-o left it out) a descriptor's kind is what its
// NAME shows (untypedKind).
func (h *header) readable() bool { return h.pid >= 0 && h.assoc >= 0 }

// isColumnName says whether b names a column as lsfd prints it: capitals,
// digits and '.', ':', '_', '-' ("MAJ:MIN", "SOCK.NETNS").
func isColumnName(b []byte) bool {
	if len(b) == 0 || len(b) > 32 || b[0] < 'A' || b[0] > 'Z' {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || scan.IsDigit(c) || c == '.' || c == ':' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// cells splits a row into the header's columns. COMMAND, where it is the
// first column, may hold blanks ("Web Content"), and so may NAME, where it
// is the last (a path, "state=established laddr=..."); every other cell
// is one word. The PID tells where COMMAND ends: the first word after it
// that is a number, with as many words after it as the columns need.
func (h *header) cells(line []byte, toks [][]byte, out [][]byte) ([][]byte, bool) {
	out = out[:0]
	spanned := 0 // words COMMAND takes beyond one
	if h.command == 0 && h.pid == 1 {
		need := h.n - 1 // words from PID on, NAME at least one
		if h.name == h.n-1 {
			need-- // NAME may be empty
		}
		found := false
		for i := 1; i+need <= len(toks); i++ {
			if scan.AllDigits(toks[i]) {
				spanned, found = i-1, true
				break
			}
		}
		if !found {
			return out, false
		}
	}
	words := h.n + spanned
	last := h.name == h.n-1
	if len(toks) < words && !(last && len(toks) == words-1) {
		return out, false
	}
	if len(toks) > words && !last {
		return out, false
	}
	i := 0
	for col := 0; col < h.n; col++ {
		switch {
		case col == 0 && spanned > 0:
			out = append(out, joinWords(line, toks[0], toks[spanned]))
			i = spanned + 1
		case col == h.n-1 && last:
			if i < len(toks) {
				out = append(out, joinWords(line, toks[i], toks[len(toks)-1]))
			} else {
				out = append(out, nil)
			}
		default:
			out = append(out, toks[i])
			i++
		}
	}
	return out, true
}

// joinWords returns the text of line from word a to word b, both slices
// of line, with the blanks between them as they are.
func joinWords(line, a, b []byte) []byte {
	start := cap(line) - cap(a)
	end := cap(line) - cap(b) + len(b)
	if start < 0 || end > len(line) || start > end {
		return a
	}
	return line[start:end]
}

// errorCells splits a row of TYPE ERROR into its cells: lsfd (2.41 on)
// lists a descriptor whose link or stat it could not read so, the
// failing call and errno in SOURCE ("readlink:EACCES") and the columns
// after it blank but for what it could tell:
//
//	systemd      10677 yamato    31 ????-- ERROR readlink:EACCES
//
// The columns before TYPE are as in any row; after it come SOURCE, where
// the header has it right after TYPE, and NAME, the rest, where NAME is
// last. Columns without a word are nil.
func (h *header) errorCells(line []byte, toks [][]byte, out [][]byte) ([][]byte, bool) {
	out = out[:0]
	if h.typ < 0 {
		return out, false
	}
	spanned := 0
	if h.command == 0 && h.pid == 1 {
		found := false
		for i := 1; i < len(toks); i++ {
			if scan.AllDigits(toks[i]) {
				spanned, found = i-1, true
				break
			}
		}
		if !found {
			return out, false
		}
	}
	t := h.typ + spanned
	if t >= len(toks) || string(toks[t]) != "ERROR" {
		return out, false
	}
	next := t + 1
	for col := 0; col < h.n; col++ {
		switch {
		case col == 0 && spanned > 0:
			out = append(out, joinWords(line, toks[0], toks[spanned]))
		case col <= h.typ:
			out = append(out, toks[col+spanned])
		case col == h.source && col == h.typ+1 && next < len(toks):
			out = append(out, toks[next])
			next++
		case col == h.name && col == h.n-1 && next < len(toks):
			out = append(out, joinWords(line, toks[next], toks[len(toks)-1]))
			next = len(toks)
		default:
			out = append(out, nil)
		}
	}
	return out, next == len(toks)
}
