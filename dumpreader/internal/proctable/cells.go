package proctable

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// SplitCells cuts a row into its cells, trimmed, into dst (reused): at tabs
// when the row holds one, the way the tools save and copy; else at runs
// of two blanks or more, the way a tab survives a web page or an editor
// that turned it into spaces. tabbed says which. A row of more than
// MaxCols cells is damage, read only up to it.
func SplitCells(line []byte, dst [][]byte) (cells [][]byte, tabbed bool) {
	dst = dst[:0]
	if bytes.IndexByte(line, '\t') >= 0 {
		dst = CutAt(line, '\t', MaxCols, dst)
		for i := range dst {
			dst[i] = scan.TrimSpace(dst[i])
		}
		return dst, true
	}
	line = scan.TrimSpace(line)
	for len(line) > 0 && len(dst) < MaxCols {
		i := gap(line)
		if i < 0 {
			dst = append(dst, line)
			break
		}
		dst = append(dst, line[:i])
		line = scan.TrimSpace(line[i:])
	}
	return dst, false
}

// CutAt cuts line at every sep into dst (reused), untrimmed, at most
// limit cells: what follows the limit-th is dropped (a row of so many is
// damage). It reads no quoting: the tools whose rows it cuts (a tab
// separated copy, osqueryi's --list) quote nothing.
func CutAt(line []byte, sep byte, limit int, dst [][]byte) [][]byte {
	dst = dst[:0]
	for len(dst) < limit {
		i := bytes.IndexByte(line, sep)
		if i < 0 {
			return append(dst, line)
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
	return dst
}

// gap returns where the first run of two blanks or more starts, -1 if
// there is none.
func gap(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == ' ' && b[i+1] == ' ' {
			return i
		}
	}
	return -1
}
