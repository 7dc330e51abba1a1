package lsof

import "github.com/leakdiag/leakdiag/facts"

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
func (r *lsofReader) foldedName(rowBefore bool) bool {
	w := &r.wrap
	if !rowBefore || w.folded || w.indent <= w.rowIndent {
		return false
	}
	if w.names == 0 {
		w.line = r.lineNo
	}
	w.names++
	w.folded = true
	return true
}

// wrapFinish reports the folded names read past.
func (r *lsofReader) wrapFinish() {
	if w := &r.wrap; w.names > 0 {
		r.log.Diag(w.line, facts.SevInfo, facts.CodeRepaired,
			"%d row(s) go on, indented, on the next line (the page folded them): read without what is there, part of their NAME", w.names)
	}
}
