package osquery

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// borderLine reads a box border, "+-----+------+".
func (q *reader) borderLine(line []byte) (scan.LineKind, bool) {
	if len(line) < 3 || line[len(line)-1] != '+' {
		return 0, false
	}
	border := q.border[:0]
	for i, c := range line {
		switch c {
		case '+':
			border = append(border, i)
		case '-':
		default:
			return 0, false
		}
	}
	if len(border) < 2 || len(border) > maxColumns+1 {
		return 0, false
	}
	q.endRecord()
	q.border = border
	if q.mode == modeBox && q.columns != nil {
		q.borders++
		if q.borders >= 2 {
			q.columns = nil
		}
	}
	if q.mode != modeBox {
		// The border above a header: the next '|' line names columns.
		q.mode, q.columns = modeBox, nil
	}
	q.ev.border++
	return scan.Parsed, true
}

// boxLine reads a header or a row of a box table.
func (q *reader) boxLine(line []byte) (scan.LineKind, bool) {
	if q.mode != modeBox || len(line) < 2 || line[len(line)-1] != '|' {
		return 0, false
	}
	cells := q.boxCells(line)
	if q.columns == nil {
		if !q.header(cells) {
			return 0, false
		}
		return scan.Parsed, true
	}
	return q.row(cells, q.lineNo), true
}

// boxCells cuts a box row into its cells: at the border's '+' positions
// when the row lines up with it (so a cell may hold a '|'), else at
// every '|'.
func (q *reader) boxCells(line []byte) []string {
	cells := q.cells[:0]
	if n := len(q.border); n > 1 && q.border[n-1] == len(line)-1 {
		aligned := true
		for _, at := range q.border {
			if line[at] != '|' {
				aligned = false
				break
			}
		}
		if aligned {
			for i := 0; i+1 < n; i++ {
				cells = append(cells, string(scan.TrimSpace(line[q.border[i]+1:q.border[i+1]])))
			}
			q.cells = cells
			return cells
		}
	}
	q.parts = proctable.CutAt(line[1:len(line)-1], '|', maxColumns+1, q.parts)
	for _, p := range q.parts {
		cells = append(cells, string(scan.TrimSpace(p)))
	}
	q.cells = cells
	return cells
}

// endRecord reads the --line row collected so far, if any.
func (q *reader) endRecord() {
	if len(q.record) == 0 {
		return
	}
	q.process(q.record, q.recLine)
	q.record = nil
}

// header takes cells for the names of a table's columns: osquery's
// column names are lower case identifiers.
func (q *reader) header(cells []string) bool {
	if len(cells) == 0 || len(cells) > maxColumns {
		return false
	}
	for _, c := range cells {
		if !isIdentifier(c) {
			return false
		}
	}
	q.columns = append(q.columns[:0], cells...)
	q.borders = 0
	q.noPID = true
	for _, c := range cells {
		if c == "pid" {
			q.noPID = false
		}
		if processColumns[c] {
			q.ev.columns++
		}
	}
	if q.noPID {
		q.log.Diag(q.lineNo, facts.SevWarning, CodeNoPID,
			"a table without a pid column: its rows are not read")
	}
	return true
}

// row reads a row of the current table.
func (q *reader) row(cells []string, at int64) scan.LineKind {
	if len(cells) != len(q.columns) {
		q.log.Diag(at, facts.SevWarning, CodeCells,
			"row of %d cells under a header of %d columns: not read", len(cells), len(q.columns))
		return scan.Unrecognized
	}
	if q.noPID {
		return scan.Ignored
	}
	rec := make(map[string]string, len(cells))
	for i, c := range cells {
		rec[q.columns[i]] = c
	}
	if !q.process(rec, at) {
		return scan.Unrecognized
	}
	return scan.Parsed
}
