package osquery

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// lineModeLine reads a line of --line output, "handle_count = 2739": the
// columns of a row one per line, right-aligned names, a blank line
// between rows. A column named again starts a row as well.
func (q *reader) lineModeLine(line []byte) (scan.LineKind, bool) {
	i := bytes.Index(line, []byte(" = "))
	if i <= 0 {
		if !bytes.HasSuffix(line, []byte(" =")) {
			return 0, false
		}
		i = len(line) - 2
	}
	name := string(scan.TrimSpace(line[:i]))
	if !isIdentifier(name) {
		return 0, false
	}
	value := ""
	if i+3 <= len(line) {
		value = string(scan.TrimSpace(line[i+3:]))
	}
	if _, again := q.record[name]; again {
		q.endRecord()
	}
	if q.record == nil {
		if len(q.columns) > 0 || q.mode == modeBox || q.mode == modeList {
			q.columns = nil
		}
		q.mode = modeLine
		q.record, q.recLine = map[string]string{}, q.lineNo
	}
	if len(q.record) >= maxColumns {
		return scan.Unrecognized, true
	}
	q.record[name] = value
	switch {
	case name == "pid":
		q.ev.linePID++
	case processColumns[name]:
		q.ev.lineValues++
	}
	return scan.Parsed, true
}
