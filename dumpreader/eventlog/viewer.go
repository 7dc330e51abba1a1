package eventlog

import (
	"bytes"
	"strings"

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

// maxViewerCells bounds the cells of a header or row read.
const maxViewerCells = 32

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
			switch strings.ToLower(string(cell)) {
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
	if !scan.AllDigits(cells[c.id]) || len(cells[c.id]) == 0 || len(cells[c.id]) > 10 ||
		!bytes.ContainsAny(cells[c.when], "0123456789") || len(cells[c.level]) == 0 {
		return 0, "", "", false
	}
	v, ok := scan.ParseDec(cells[c.id])
	if !ok {
		return 0, "", "", false
	}
	return v, string(cells[c.when]), string(cells[c.source]), true
}

// splitCells splits line at d outside double quotes, each cell trimmed of
// blanks and of its quotes; at most maxViewerCells cells, the last taking
// the rest.
func splitCells(line []byte, d byte) [][]byte {
	var cells [][]byte
	quoted, start := false, 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) && line[i] == '"' {
			quoted = !quoted
			continue
		}
		if i < len(line) && (line[i] != d || quoted || len(cells) == maxViewerCells-1) {
			continue
		}
		cell := scan.TrimSpace(line[start:i])
		if len(cell) >= 2 && cell[0] == '"' && cell[len(cell)-1] == '"' {
			cell = cell[1 : len(cell)-1]
		}
		cells = append(cells, cell)
		start = i + 1
	}
	return cells
}
