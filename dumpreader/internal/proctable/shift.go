package proctable

// Pastes move a table's rows against its header: markdown takes a row
// indented by four blanks for code and drops the blanks, or the header
// stays outside a fence the rows are in. Split by where the header puts
// its columns, a row moved by four lands each value under its neighbour
// (the pid under CPU(s), the session id under Id). A row that does not
// fit its header where it stands, and fits it better moved a few
// places, is read moved.

// maxShift is the farthest a row is tried moved, either way.
const maxShift = 8

// shift returns how far to move the tokens of a row so that they fit the
// header: 0 when they fit where they stand (no column gets two values),
// or when no move fits them better; else the move with the fewest
// misfits and, of those, the most overlap of values with their headings,
// the smaller move first.
func (h *Header) shift(toks []token) int {
	bad0, _ := h.fit(toks, 0)
	if bad0 == 0 {
		return 0
	}
	best, bad, over := 0, bad0, -1
	for d := 1; d <= maxShift; d++ {
		for _, m := range []int{-d, d} {
			n, o := h.fit(toks, m)
			if n < bad || (n == bad && o > over) {
				best, bad, over = m, n, o
			}
		}
	}
	if bad >= bad0 {
		return 0
	}
	return best
}

// fit reads a row moved by d as splitFixed gives its phrases (tokens one
// blank apart) to columns: the one a phrase overlaps, else the nearest;
// a phrase across two columns' headers is split there. It returns the
// columns that two phrases fall under, and how many places the phrases
// overlap their columns' headings in all.
func (h *Header) fit(toks []token, d int) (misfits, overlap int) {
	last := h.Cols[len(h.Cols)-1]
	prev := -1
	for k := 0; k < len(toks); {
		j := k + 1
		for j < len(toks) && toks[j].start == toks[j-1].end+1 {
			j++
		}
		start, end := toks[k].start+d, toks[j-1].end+d
		k = j
		if start >= last.Start {
			// The last column runs to the line's end, and a move that
			// pushes values into it earns nothing for them.
			break
		}
		col, ok := h.single(start, end)
		if !ok {
			prev = -1
			continue
		}
		if col == prev {
			misfits++
		}
		prev = col
		if col == len(h.Cols)-1 {
			break // in the last column, as above
		}
		c := h.Cols[col]
		overlap += max(0, min(end, c.End)-max(start, c.Start))
	}
	return misfits, overlap
}
