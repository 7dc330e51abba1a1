package proctable

import (
	"strings"
)

// Splitter splits the rows of a table into cells; it keeps its scratch
// between rows.
type Splitter struct {
	toks  []token
	owner []int
	cells []string
	// ListLast says the last column holds a list whose items are
	// apart by blanks (Tool.WrapLast): a collapsed row's extra tokens
	// may be its.
	ListLast bool
}

// Split returns the cells of row under h, one per column ("" for a
// blank cell), valid until the next call, and false when the row does
// not fit the header (a delimited row of another number of cells, a
// fixed-width row with nothing under the columns).
func (s *Splitter) Split(h *Header, row []byte) ([]string, bool) {
	if h.Sep != 0 {
		cells, ok := SplitDelimited(row, h.Sep, s.cells)
		s.cells = cells
		if ok && len(cells) > len(h.Cols) && h.Cut {
			cells = cells[:len(h.Cols)]
			s.cells = cells
		}
		if ok && len(cells) > len(h.Cols) && h.Spill >= 0 {
			cells = spill(cells, h.Spill, len(cells)-len(h.Cols), h.Sep)
			s.cells = cells
		}
		if !ok || len(cells) != len(h.Cols) {
			return nil, false
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		return cells, true
	}
	return s.splitFixed(h, row)
}

// splitFixed gives each value of row to the column it lies under: the
// one it overlaps most, else the nearest. A value is a phrase, tokens
// one blank apart ("System Idle Process", a CPU time printed "8 786,38"),
// unless it spans two columns' headers, when its tokens are cells of
// their own (a VM(M) of "...79" one blank after WS(K)). Right-aligned
// numbers end under their header's end, left-aligned names start under
// their header's start, and a value wider than its header is still
// nearest its own: a blank cell (PowerShell prints none for a value it
// could not read) leaves its column empty instead of shifting the
// others. Every token at or after the last column's start belongs to
// it, since the last column (the process name of PowerShell's tables)
// runs to the line's end.
func (s *Splitter) splitFixed(h *Header, row []byte) ([]string, bool) {
	s.toks = tokens(row, s.toks)
	if len(s.toks) == 0 {
		return nil, false
	}
	if d := h.shift(s.toks); d != 0 {
		for i := range s.toks {
			s.toks[i].start += d
			s.toks[i].end += d
		}
	}
	n := len(h.Cols)
	s.owner = s.owner[:0]
	last := h.Cols[n-1]
	for k := 0; k < len(s.toks); {
		j := k + 1
		for j < len(s.toks) && s.toks[j].start == s.toks[j-1].end+1 {
			j++
		}
		if c, ok := h.single(s.toks[k].start, s.toks[j-1].end); ok && j-k > 1 {
			for ; k < j; k++ {
				s.owner = append(s.owner, c)
			}
			continue
		}
		// Cells one blank apart: each token goes to the header it
		// overlaps, a token under none to the cell of the token before
		// it ("0 System Idle Process": the pid, then a name of three
		// words).
		for first := k; k < j; k++ {
			t := s.toks[k]
			best := n - 1
			switch {
			case t.start >= last.Start:
			case h.overlaps(t.start, t.end):
				best = h.nearest(t.start, t.end)
			case k > first:
				best = s.owner[len(s.owner)-1]
			default:
				best = h.nearest(t.start, t.end)
			}
			s.owner = append(s.owner, best)
		}
	}
	// A column's cell is its tokens one blank apart: a value with blanks
	// in it is read whole.
	if cap(s.cells) < n {
		s.cells = make([]string, n)
	}
	s.cells = s.cells[:n]
	for i := range s.cells {
		s.cells[i] = ""
	}
	for k, c := range s.owner {
		if s.cells[c] == "" {
			s.cells[c] = string(s.toks[k].text)
		} else {
			s.cells[c] += " " + string(s.toks[k].text)
		}
	}
	return s.cells, true
}

// spill joins the extra cells of a row into its column at, where the
// delimiter stood unquoted in a value.
func spill(cells []string, at, extra int, sep byte) []string {
	joined := strings.Join(cells[at:at+extra+1], string(sep))
	out := append(cells[:at], joined)
	return append(out, cells[at+extra+1:]...)
}

// nearest returns the column [start, end) overlaps most, or, if none,
// the one nearest it.
func (h *Header) nearest(start, end int) int {
	best, bestScore := 0, 0
	for i, c := range h.Cols {
		// Overlap is positive, a gap negative: the larger wins.
		score := min(end, c.End) - max(start, c.Start)
		if i == 0 || score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// overlaps reports whether [start, end) overlaps a column's header.
func (h *Header) overlaps(start, end int) bool {
	for _, c := range h.Cols {
		if min(end, c.End) > max(start, c.Start) {
			return true
		}
	}
	return false
}

// single returns the column a phrase at [start, end) lies under when it
// overlaps at most one column's header (the nearest, if none), and false
// when it overlaps two or more.
func (h *Header) single(start, end int) (int, bool) {
	last := len(h.Cols) - 1
	if start >= h.Cols[last].Start {
		return last, true
	}
	hit, count := -1, 0
	for i, c := range h.Cols {
		if i == last {
			c.End = max(c.End, end)
		}
		if min(end, c.End) > max(start, c.Start) {
			hit = i
			count++
		}
	}
	switch count {
	case 0:
		return h.nearest(start, end), true
	case 1:
		return hit, true
	}
	return 0, false
}

// SplitDelimited splits line at sep into dst, reading CSV quoting when
// sep is ',' or ';' (a cell in double quotes, "" for a quote inside).
// It returns false for a quote left open, which a record continued on
// the next line leaves.
func SplitDelimited(line []byte, sep byte, dst []string) ([]string, bool) {
	dst = dst[:0]
	quoting := sep == ',' || sep == ';'
	var cell strings.Builder
	inQuote, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inQuote && c == '"':
			if i+1 < len(line) && line[i+1] == '"' {
				cell.WriteByte('"')
				i++
			} else {
				inQuote = false
			}
		case inQuote:
			cell.WriteByte(c)
		case quoting && c == '"' && !quoted && strings.TrimSpace(cell.String()) == "":
			cell.Reset()
			inQuote, quoted = true, true
		case c == sep:
			if len(dst) >= MaxCols {
				return dst, false
			}
			dst = append(dst, cell.String())
			cell.Reset()
			quoted = false
		default:
			cell.WriteByte(c)
		}
	}
	if inQuote {
		return dst, false
	}
	return append(dst, cell.String()), true
}
