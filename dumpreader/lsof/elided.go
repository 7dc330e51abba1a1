package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Rows whose columns an author cut. People shorten a long row to what
// matters by putting "..." or "…" where columns were, most often DEVICE,
// SIZE/OFF and NODE:
//
//	java 1234 app 45u IPv6 ... TCP host:443->peer:5521 (CLOSE_WAIT)
//
// Such a row keeps its columns' order, not their places, and the values
// left may not be where the shapes of a whole row put them (the text
// after the mark is not a DEVICE). What stands where only it can stand is
// read: COMMAND and PID first, the FD after USER (or the mark in its
// place), the TYPE right after the FD, then, past the marks and the
// numbers and protocol left between them, the NAME. DEVICE, SIZE/OFF and
// NODE are not read: which of them a number left is, is unknown. A row
// whose FD was cut names no descriptor and is not read.

// CodeElidedColumns: rows whose columns an author replaced by "..." or
// "…" were read without them.
const CodeElidedColumns = "elided-columns"

// isElidedColumn reports whether t is an author's mark for columns left
// out: "...", "…", as such or in brackets ("[...]", "(…)").
func isElidedColumn(t []byte) bool {
	if len(t) >= 2 && (t[0] == '[' && t[len(t)-1] == ']' || t[0] == '(' && t[len(t)-1] == ')') {
		t = t[1 : len(t)-1]
	}
	switch string(t) {
	case "...", "....", "…":
		return true
	}
	return false
}

// elidedRow reads line as a row with columns elided. elided says a mark
// stands among its columns before the NAME, where the row is read so or
// not at all (ok); without one, the row is left to the other readings.
func (h *lsofHeader) elidedRow(line []byte, sp []lsofSpan, row *lsofRow) (elided, ok bool) {
	if !bytes.Contains(line, []byte("...")) && !bytes.Contains(line, []byte("…")) {
		return false, false // most rows: one pass over the line, no tokens
	}
	tok := func(i int) []byte { return line[sp[i].start:sp[i].end] }
	mark := -1
	for i := 2; i < len(sp); i++ {
		if isElidedColumn(tok(i)) {
			mark = i
			break
		}
	}
	if mark < 0 {
		return false, false
	}
	base := 3 // COMMAND PID USER
	if h.ok {
		base += h.fixed
	}
	fdAt := -1
	switch {
	case base < len(sp) && lsofFDShape(tok(base), false):
		fdAt = base
	case !h.ok && base+1 < len(sp) && mark > base && scan.AllDigits(tok(2)) && lsofFDShape(tok(base+1), false):
		// A thread's row: its TID before USER (TASKCMD cut, or not shown).
		fdAt, row.tid, row.extra = base+1, true, tok(2)
	}
	if fdAt < 0 {
		// The FD cut (or the row no row): a mark before where it stands
		// says so.
		return mark <= base, false
	}
	f := &row.file
	f.fd = lsofFDText(tok(fdAt))
	i := fdAt + 1
	if i < len(sp) && !isElidedColumn(tok(i)) && lsofTypeShape(tok(i)) {
		f.typ = tok(i)
		i++
	}
	inet := isInetType(f.typ) || len(f.typ) == 0
	marked := mark < fdAt
	// Past the marks and what is left of DEVICE, SIZE/OFF and NODE (a
	// protocol for an Internet socket) starts the NAME.
	for values := 0; i < len(sp); i++ {
		t := tok(i)
		switch {
		case isElidedColumn(t):
			marked = true
			continue
		case values < 3 && i+1 < len(sp) && (lsofNumberShape(t) || humanSizeShape(t)):
			values++
			continue
		case inet && len(f.proto) == 0 && i+1 < len(sp) && lsofProtoShape(t):
			f.proto = t
			continue
		}
		break
	}
	if !marked {
		// The mark is in the NAME, not among the columns.
		row.file = lsofFile{}
		row.tid, row.extra = false, nil
		return false, false
	}
	if mark < fdAt && !markAfter(line, sp, fdAt) {
		// Only USER was cut: the rest is a whole row's, read by its
		// shapes, DEVICE, SIZE/OFF and NODE included.
		row.file = lsofFile{}
		row.tid, row.extra = false, nil
		ok = h.shapedRow(line, sp, row)
		row.elided = ok
		return true, ok
	}
	if i < len(sp) {
		f.name = line[sp[i].start:]
	}
	row.elided = true
	return true, true
}

// markAfter reports whether a mark stands among the tokens of line after
// the one at i.
func markAfter(line []byte, sp []lsofSpan, i int) bool {
	for _, s := range sp[i+1:] {
		if isElidedColumn(line[s.start:s.end]) {
			return true
		}
	}
	return false
}

// noteElided counts a row read with columns elided.
func (r *lsofReader) noteElided() {
	r.elidedRows++
	if r.elidedLine == 0 {
		r.elidedLine = r.lineNo
	}
}

// elidedFinish reports the rows read with columns elided.
func (r *lsofReader) elidedFinish() {
	if r.elidedRows == 0 {
		return
	}
	r.log.Diag(r.elidedLine, facts.SevInfo, CodeElidedColumns,
		"%d row(s) have columns replaced by \"...\" or \"…\" (an elision by whoever pasted them): their command, pid, descriptor, type and name are read where they stand; their DEVICE, SIZE/OFF and NODE are not",
		r.elidedRows)
}
