package osquery

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// evidence counts the lines that tell osqueryi's output from other text,
// as the reader reads them.
type evidence struct {
	prompt     int // "osquery>"
	border     int // "+----+----+"
	columns    int // header columns only the processes table names so
	listHeader int
	linePID    int // --line values of pid
	lineValues int // --line values of such columns
	jsonRows   int // JSON rows holding such a column
	rows       int
}

// decisive reports whether the evidence so far makes text osqueryi's
// processes table: a header with pid and a column of the processes
// table (handle_count, on_disk...) in a box or as --csv, with a row
// under it; --line values of pid and such a column; such JSON rows; or
// the osquery> prompt with a row read.
func (e *evidence) decisive() bool {
	switch {
	case e.prompt > 0 && e.rows > 0:
		return true
	case e.columns > 0 && (e.border > 0 || e.listHeader > 0) && e.rows > 0:
		return true
	case e.linePID > 0 && e.lineValues > 0, e.jsonRows > 0:
		return true
	}
	return false
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// osqueryi's output of the processes table.
func Sniff(text []byte) bool {
	q := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		q.lineNo++
		q.readLine(line)
		return q.ev.decisive()
	})
}
