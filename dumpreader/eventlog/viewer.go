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
// dayFirst: the header's language is one whose Windows prints a date
// with its day first (04/06/2021 is the 4th of June).
type viewerCols struct {
	delim                   byte
	level, when, source, id int
	dayFirst                bool
}

// viewerColumn is a column of Event Viewer's list.
type viewerColumn uint8

const (
	colOther viewerColumn = iota
	colLevel
	colWhen
	colSource
	colID
)

// viewerHeading is a column's heading in one language.
type viewerHeading struct {
	col      viewerColumn
	dayFirst bool
}

// viewerHeadings are the headings of the list's columns, lowercased, a
// typographic apostrophe made plain, in the languages whose headings were
// seen in real saves and pastes: English; German ("Ebene,Datum und
// Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie", a save converted to CSV);
// French ("Niveau, Date et heure, Source, ID de l'événement, Catégorie de
// la tâche", a list pasted into a forum); Japanese ("レベル,日付と時刻,ソース,
// イベント ID,タスクのカテゴリ", a CSV save, its dates year first). Spanish's
// and Italian's were not found in a real paste, so they are not guessed.
var viewerHeadings = map[string]viewerHeading{
	"level": {colLevel, false}, "date and time": {colWhen, false}, "source": {colSource, false}, "event id": {colID, false},
	"ebene": {colLevel, true}, "datum und uhrzeit": {colWhen, true}, "quelle": {colSource, true}, "ereignis-id": {colID, true},
	"niveau": {colLevel, true}, "date et heure": {colWhen, true}, "id de l'événement": {colID, true},
	"レベル": {colLevel, false}, "日付と時刻": {colWhen, false}, "ソース": {colSource, false}, "イベント id": {colID, false},
}

// viewerHeader reads a header of Event Viewer's list: cells split by a
// comma or a tab, quoted or not, among them its level, time, source and
// event ID, in one of the languages of viewerHeadings.
func viewerHeader(line []byte) (viewerCols, bool) {
	for _, d := range []byte{'\t', ','} {
		cells := splitCells(line, d)
		if len(cells) < 4 {
			continue
		}
		c := viewerCols{delim: d, level: -1, when: -1, source: -1, id: -1}
		for i, cell := range cells {
			h, ok := viewerHeadings[strings.ReplaceAll(strings.ToLower(cell), "’", "'")]
			if !ok {
				continue
			}
			c.dayFirst = c.dayFirst || h.dayFirst
			switch h.col {
			case colLevel:
				c.level = i
			case colWhen:
				c.when = i
			case colSource:
				c.source = i
			case colID:
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
