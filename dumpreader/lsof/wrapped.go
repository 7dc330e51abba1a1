package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// wrapState follows rows whose NAME (or its end) a page set on the next
// line, indented deeper than the row ("sendmail 605 root 3r DOOR 0t0
// 58", then "        /var/run/name_service_door(door to nscd[81])"):
// lsof prints a row on one line, but an article or a terminal narrower
// than the row folds it.
type wrapState struct {
	// indent is the indentation of the line being read; rowIndent that
	// of the latest row, folded set once a line of it was read past.
	indent, rowIndent int
	folded            bool
	// names counts the folded lines read past, line the first.
	names, line int64
	// length is the length of the line being read, rowLen that of the
	// latest row, widest that of the longest row before it.
	length, rowLen, widest int
	// cut counts the rows a terminal cut at its width (termFolded),
	// cutLine the first line that goes on with one, cutWidth its width.
	cut, cutLine int64
	cutWidth     int
}

// minTermWidth is the narrowest row a terminal's fold is recognized
// after: lsof's rows are long, and a terminal no narrower than 80
// columns.
const minTermWidth = 80

// maxFoldedTail bounds the end of a NAME a terminal put on the next line
// that is recognized as such: a word longer than that is more likely
// prose.
const maxFoldedTail = 40

// rowTaken notes a row of length w.length.
func (w *wrapState) rowTaken() {
	w.widest = max(w.widest, w.rowLen)
	w.rowLen = w.length
}

// indentOf returns the blanks a raw line starts with.
func indentOf(raw []byte) int {
	n := 0
	for n < len(raw) && (raw[n] == ' ' || raw[n] == '\t') {
		n++
	}
	return n
}

// foldedName reports whether the line being read, which nothing else
// read, is the folded NAME of the row just before it: indented deeper
// than the row, one such line a row. It counts the line.
func (r *lsofReader) foldedName(rowBefore bool, line []byte) bool {
	w := &r.wrap
	if !rowBefore || w.folded {
		return false
	}
	if w.indent <= w.rowIndent {
		return r.termFolded(line)
	}
	if w.names == 0 {
		w.line = r.lineNo
	}
	w.names++
	w.folded = true
	return true
}

// termFolded reports whether line, not indented deeper than the row
// before it, is the end of that row's NAME a terminal put at the start
// of the next line: one short word, after a row at least as long as
// every row before it (the terminal's width) and no narrower than a
// terminal. lsof prints a row on one line; a paste of a terminal's
// screen keeps where the terminal cut it ("..._0.d", then "vd"). A count
// or an elision is no such word. It counts the line.
func (r *lsofReader) termFolded(line []byte) bool {
	w := &r.wrap
	if w.rowLen < minTermWidth || w.rowLen < w.widest || len(line) > maxFoldedTail ||
		bytes.ContainsAny(line, " \t") || scan.AllDigits(line) || scan.IsElision(line) {
		return false
	}
	if w.cut == 0 {
		w.cutLine, w.cutWidth = r.lineNo, w.rowLen
	}
	w.cut++
	w.folded = true
	return true
}

// wrapFinish reports the folded names read past.
func (r *lsofReader) wrapFinish() {
	if w := &r.wrap; w.names > 0 {
		r.log.Diag(w.line, facts.SevInfo, facts.CodeRepaired,
			"%d row(s) go on, indented, on the next line (the page folded them): read without what is there, part of their NAME", w.names)
	}
	if w := &r.wrap; w.cut > 0 {
		r.log.Diag(w.cutLine, facts.SevInfo, facts.CodeRepaired,
			"%d row(s) go on at the start of the next line (a terminal %d columns wide cut them): read without what is there, the end of their NAME", w.cut, w.cutWidth)
	}
}
