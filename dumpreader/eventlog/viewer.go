package eventlog

import (
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// viewerCols are the columns of Event Viewer's list of events as it saves
// it (Save All Events As, CSV or tab-delimited text) and as it is copied:
// "Level,Date and Time,Source,Event ID,Task Category", perhaps with a
// message column after them. Each is the index of its cell, -1 for none.
type viewerCols struct {
	delim                   byte
	level, when, source, id int
}

// viewerHeader reads a header of Event Viewer's list: cells split by a
// comma or a tab, quoted or not, among them Level, Date and Time, Source
// and Event ID.
func viewerHeader(line []byte) (viewerCols, bool) {
	for _, d := range []byte{'\t', ','} {
		cells := splitCells(line, d)
		if len(cells) < 4 {
			continue
		}
		c := viewerCols{delim: d, level: -1, when: -1, source: -1, id: -1}
		for i, cell := range cells {
			switch strings.ToLower(cell) {
			case "level":
				c.level = i
			case "date and time":
				c.when = i
			case "source":
				c.source = i
			case "event id":
				c.id = i
			}
		}
		if c.level >= 0 && c.when >= 0 && c.source >= 0 && c.id >= 0 {
			return c, true
		}
	}
	return viewerCols{}, false
}

// viewerRow reads a row under the header: the event's ID, time and
// source; ok is false for a line that is no row (the next line of a
// message quoted over several lines).
func (c viewerCols) row(line []byte) (id int64, when, source string, ok bool) {
	cells := splitCells(line, c.delim)
	if len(cells) <= c.level || len(cells) <= c.when || len(cells) <= c.source || len(cells) <= c.id {
		return 0, "", "", false
	}
	if !scan.AllDigits(cells[c.id]) || len(cells[c.id]) > 10 ||
		!strings.ContainsAny(cells[c.when], "0123456789") || len(cells[c.level]) == 0 {
		return 0, "", "", false
	}
	v, ok := scan.ParseDec([]byte(cells[c.id]))
	if !ok {
		return 0, "", "", false
	}
	return v, cells[c.when], cells[c.source], true
}

// splitCells splits line at d as the admin tools' CSV rows are split
// (proctable.SplitDelimited: quoted cells, "" inside them; a message
// quoted over several lines leaves its quote open, and the cells before
// it are still read), each cell trimmed of blanks and, in a
// tab-delimited save, which quotes too, of its quotes.
func splitCells(line []byte, d byte) []string {
	cells, _ := proctable.SplitDelimited(line, d, nil)
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if len(c) >= 2 && c[0] == '"' && c[len(c)-1] == '"' {
			c = c[1 : len(c)-1]
		}
		cells[i] = c
	}
	return cells
}
