package volatility

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// renderer is how Volatility 3 printed a table (its -r option).
type renderer uint8

const (
	// rText: the default ("quick") renderer, its cells separated by tabs
	// (or by blanks, once a paste turned the tabs into them), a child of
	// pstree indented with a star a level.
	rText renderer = iota
	// rCSV: -r csv, a TreeDepth column first, values quoted where they
	// hold a comma.
	rCSV
	// rPretty: -r pretty, cells separated by " | ", a column of stars
	// first (one for a root, one more a level).
	rPretty
)

// headingOf returns the layout a heading line names and the renderer
// that printed it, nil if it is none.
func headingOf(line []byte) (*layout, renderer) {
	if len(line) > 400 {
		return nil, rText
	}
	if l := heading(line); l != nil {
		return l, rText
	}
	if scan.HasPrefix(line, "TreeDepth,") {
		return heading(bytes.ReplaceAll(line[len("TreeDepth,"):], []byte(","), []byte(" "))), rCSV
	}
	if scan.HasPrefix(line, "| ") {
		// The heading's first cell, over the stars, is blank (and trimmed).
		return heading(bytes.ReplaceAll(line[2:], []byte(" | "), []byte(" "))), rPretty
	}
	return nil, rText
}

// splitCSV splits a row of -r csv into cells (dst reused), the tree
// depth apart; false when it is no such row.
func (m *matcher) splitCSV(line []byte) (depth int, ok bool) {
	r := csv.NewReader(bytes.NewReader(line))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err != nil || len(rec) < 2 || len(rec) > proctable.MaxCols {
		return 0, false
	}
	depth, err = strconv.Atoi(rec[0])
	if err != nil || depth < 0 {
		return 0, false
	}
	m.cells = m.cells[:0]
	for _, c := range rec[1:] {
		m.cells = append(m.cells, scan.TrimSpace([]byte(c)))
	}
	return depth, true
}

// splitPretty splits a row of -r pretty into cells, the tree depth
// apart (a root's is 0); false when it is no such row.
func (m *matcher) splitPretty(line []byte) (depth int, ok bool) {
	m.cells = m.cells[:0]
	for len(m.cells) < proctable.MaxCols {
		i := bytes.Index(line, []byte(" | "))
		if i < 0 {
			m.cells = append(m.cells, scan.TrimSpace(line))
			break
		}
		m.cells = append(m.cells, scan.TrimSpace(line[:i]))
		line = line[i+3:]
	}
	if len(m.cells) < 2 || len(bytes.Trim(m.cells[0], "*")) != 0 {
		return 0, false
	}
	depth = max(len(m.cells[0])-1, 0)
	m.cells = m.cells[1:]
	return depth, true
}
