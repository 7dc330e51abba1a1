package volatility

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// maxTokens bounds the words of a row matched one by one: what follows
// is the last column's text (a handle's name), or damage.
const maxTokens = 64

// tok is a word of a row: its bytes are line[s:e].
type tok struct{ s, e int }

// matcher splits a row into its columns, reused from row to row.
type matcher struct {
	line []byte
	toks []tok
	// more: the row has more words than maxTokens.
	more bool
	// spans[i] are the words of column i.
	spans [16][2]int
	cells [][]byte
}

// words splits line at runs of blanks.
func (m *matcher) words(line []byte) {
	m.line, m.toks, m.more = line, m.toks[:0], false
	for i := 0; i < len(line); {
		for i < len(line) && scan.IsSpace(line[i]) {
			i++
		}
		if i == len(line) {
			break
		}
		if len(m.toks) == maxTokens {
			m.more = true
			break
		}
		s := i
		for i < len(line) && !scan.IsSpace(line[i]) {
			i++
		}
		m.toks = append(m.toks, tok{s, i})
	}
}

func (m *matcher) word(i int) []byte { return m.line[m.toks[i].s:m.toks[i].e] }

// text is the text of words [from, to), as the row has it.
func (m *matcher) text(from, to int) []byte {
	if from >= to {
		return nil
	}
	if to == len(m.toks) && m.more {
		return scan.TrimSpace(m.line[m.toks[from].s:])
	}
	return m.line[m.toks[from].s:m.toks[to-1].e]
}

// match fits the words from ti on to cols from ci on, recording each
// column's words in spans. Only an image name, whose words are any
// number, and an object type, of one word or two, leave a choice.
func (m *matcher) match(cols []column, ci, ti int) bool {
	if ci == len(cols) {
		return ti == len(m.toks) && !m.more
	}
	n := len(m.toks)
	switch c := cols[ci]; c.kind {
	case kRest:
		m.spans[ci] = [2]int{ti, n}
		return ci == len(cols)-1
	case kName:
		for k := ti; k <= n; k++ {
			m.spans[ci] = [2]int{ti, k}
			if m.match(cols, ci+1, k) {
				return true
			}
		}
		return false
	case kTreeName:
		t := ti
		if t < n && len(bytes.Trim(m.word(t), ".")) == 0 {
			t++ // the level
		}
		if t >= n || !isAddrName(m.word(t)) {
			return false
		}
		for k := t + 1; k <= n; k++ {
			m.spans[ci] = [2]int{ti, k}
			if m.match(cols, ci+1, k) {
				return true
			}
		}
		return false
	case kType:
		if ti+1 < n && scan.IsObjectType(m.line[m.toks[ti].s:m.toks[ti+1].e]) {
			m.spans[ci] = [2]int{ti, ti + 2}
			if m.match(cols, ci+1, ti+2) {
				return true
			}
		}
		if ti < n {
			m.spans[ci] = [2]int{ti, ti + 1}
			return m.match(cols, ci+1, ti+1)
		}
		return false
	case kTime:
		k := timeWords(m, ti)
		m.spans[ci] = [2]int{ti, ti + k}
		return m.match(cols, ci+1, ti+k)
	default:
		if ti >= n || !fits(c.kind, m.word(ti)) {
			return false
		}
		m.spans[ci] = [2]int{ti, ti + 1}
		return m.match(cols, ci+1, ti+1)
	}
}

// fits says a cell is of kind k (the kinds of one word).
func fits(k kind, w []byte) bool {
	switch k {
	case kHex:
		return isHex(w)
	case kDec:
		return isDec(w)
	case kCount:
		return isDec(w) || isNone(w)
	case kFlag:
		switch string(w) {
		case "True", "False", "0", "1":
			return true
		}
		return false
	}
	return true
}

func isHex(w []byte) bool {
	if len(w) < 3 || (w[0] != '0') || (w[1] != 'x' && w[1] != 'X') {
		return false
	}
	_, ok := scan.ParseHex(w[2:])
	return ok
}

func isDec(w []byte) bool {
	if len(w) == 0 || len(w) > 10 {
		return false
	}
	for _, c := range w {
		if !scan.IsDigit(c) {
			return false
		}
	}
	return true
}

// isNone recognizes the marks of a value not given: "-" and Volatility
// 2's runs of dashes, Volatility 3's "N/A", and its renderings of a
// value it could not read.
func isNone(w []byte) bool {
	switch string(w) {
	case "N/A", "Disabled", "UnreadableValue", "NotAvailableValue", "NotApplicableValue":
		return true
	}
	return len(w) > 0 && len(bytes.Trim(w, "-")) == 0
}

// matchCells fits the cells of a row split at tabs to cols, one cell a
// column; a row may end before its last columns when those may be empty
// (a time, a name, the rest).
func (m *matcher) matchCells(cols []column) bool {
	for i, c := range cols {
		var cell []byte
		if i < len(m.cells) {
			cell = m.cells[i]
		}
		switch c.kind {
		case kName, kRest:
		case kType:
			if len(cell) == 0 {
				return false
			}
		case kTime:
			m.words(cell)
			if timeWords(m, 0) != len(m.toks) {
				return false
			}
		case kCount:
			if len(cell) > 0 && !fits(kCount, cell) {
				return false
			}
		default:
			if !fits(c.kind, cell) {
				return false
			}
		}
	}
	return len(m.cells) <= len(cols) || cols[len(cols)-1].kind == kRest
}

// isAddrName recognizes the start of Volatility 2's pstree cell:
// "0x822f1020:smss.exe".
func isAddrName(w []byte) bool {
	i := bytes.IndexByte(w, ':')
	return i > 2 && isHex(w[:i])
}

// splitTreeName reads Volatility 2's pstree cell into the process's
// address and image.
func splitTreeName(cell []byte) (addr, image []byte) {
	cell = scan.TrimSpace(bytes.TrimLeft(cell, "."))
	i := bytes.IndexByte(cell, ':')
	if i < 0 {
		return nil, cell
	}
	return cell[:i], scan.TrimSpace(cell[i+1:])
}
