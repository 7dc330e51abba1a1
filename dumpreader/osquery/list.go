package osquery

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// listLine reads the header or a row of --csv or --list output:
// "pid|name|handle_count", then "6548|explorer.exe|2739".
func (q *reader) listLine(line []byte) (scan.LineKind, bool) {
	if q.mode == modeList {
		cells := q.split(line)
		if len(cells) >= 2 || len(q.columns) == 1 {
			return q.row(cells, q.lineNo), true
		}
		q.mode = modeNone
	}
	for _, sep := range []byte{'|', ','} {
		if bytes.IndexByte(line, sep) < 0 {
			continue
		}
		q.sep = sep
		cells := q.split(line)
		if len(cells) < 2 || !hasPID(cells) || !q.header(cells) {
			continue
		}
		q.mode = modeList
		q.ev.listHeader++
		return scan.Parsed, true
	}
	return 0, false
}

// hasPID reports whether a header names a pid column.
func hasPID(cells []string) bool {
	for _, c := range cells {
		if c == "pid" {
			return true
		}
	}
	return false
}

// split cuts a --csv/--list line at its separator.
func (q *reader) split(line []byte) []string {
	q.parts = proctable.CutAt(line, q.sep, maxColumns+1, q.parts)
	cells := q.cells[:0]
	for _, p := range q.parts {
		cells = append(cells, string(p))
	}
	q.cells = cells
	return cells
}
