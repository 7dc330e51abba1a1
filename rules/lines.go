package rules

import "bytes"

// lines indexes where each line of a file starts. Positions are looked up
// for every condition, message and error of a file; splitting the whole
// file each time made loading quadratic in its size (4,000 rules took
// seconds, a 50 MB file never finished), so the index is built once per
// file and every lookup is a slice of the source.
type lines struct {
	src    []byte
	starts []int // the offset of each line's first byte
}

func newLines(src []byte) *lines {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		starts = append(starts, off)
	}
	return &lines{src: src, starts: starts}
}

// count is the number of lines: one more than the line breaks.
func (l *lines) count() int { return len(l.starts) }

// line returns line n (from 1) without its line break, or "" when the
// file has no such line.
func (l *lines) line(n int) string {
	if n < 1 || n > len(l.starts) {
		return ""
	}
	end := len(l.src)
	if n < len(l.starts) {
		end = l.starts[n] - 1
	}
	return string(l.src[l.starts[n-1]:end])
}
