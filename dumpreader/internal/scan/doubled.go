package scan

import "bytes"

// minDoubledLines is how many lines of text a head must hold, each on its
// own between blank lines, to be taken as double-spaced: a note of three
// paragraphs is not.
const minDoubledLines = 4

// DoubleSpaced reports whether head, the start of a capture, is double
// spaced: a blank line after every line, as some pages and mail programs
// render a paste (a <p> or a <br><br> per line). No capture of a format
// leakdiag reads prints every line on its own between blank lines: its
// tables' rows, its blocks' lines follow one another. A double-spaced
// capture has its blank lines doubled too, so the spacing line is the
// one after each line (DropSpacing).
func DoubleSpaced(head []byte) bool {
	sep := byte('\n')
	if bytes.IndexByte(head, '\n') < 0 {
		return false // classic Mac line ends are not worth the second look
	}
	lines, prevText := 0, false
	for len(head) > 0 {
		i := bytes.IndexByte(head, sep)
		line := head
		if i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		text := len(TrimSpace(line)) > 0
		if text && prevText {
			return false
		}
		if text {
			lines++
		}
		prevText = text
	}
	return lines >= minDoubledLines
}

// spacing tracks the blank lines a double-spaced capture has after every
// line: the first line after one that was returned is dropped when it is
// blank.
type spacing struct {
	on       bool // the capture is double-spaced
	returned bool // a line was returned, so the next blank is spacing
}

// drop reports whether line is the spacing after the line before it.
func (s *spacing) drop(line []byte) bool {
	if !s.on {
		return false
	}
	if s.returned && len(TrimSpace(line)) == 0 {
		s.returned = false
		return true
	}
	s.returned = true
	return false
}
