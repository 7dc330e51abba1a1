package dumpreader

import (
	"bufio"
	"io"
	"sort"
)

// Quote returns the text of the given lines of the capture at path (a
// file, gzip or not, or an entry of a zip archive: archive.zip!/entry), as
// cleaned for reading (see cleaner), keyed by line number. It reads the
// file once, in whatever encoding it has, and stops after the last line
// asked for, so quoting the evidence of a finding near the start of a
// large capture costs little.
func Quote(path string, lines []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(lines) == 0 {
		return out, nil
	}
	want := append([]int64(nil), lines...)
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	f, err := openCapture(path, Limits{})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, sniffLen)
	head, _ := br.Peek(sniffLen)
	enc, bom := sniffEncoding(head)
	var r io.Reader = br
	if bom > 0 {
		br.Discard(bom)
	}
	if enc != encUTF8 {
		r = newUTF16Reader(br, enc == encUTF16BE)
	}
	lr := newLineReader(r)
	var c cleaner
	var n int64
	next := 0
	for next < len(want) {
		line, ok := lr.next()
		if !ok {
			break
		}
		n++
		for next < len(want) && want[next] < n {
			next++ // asked twice, or before line 1
		}
		if next < len(want) && want[next] == n {
			out[n] = quoteLine(c.clean(line))
			next++
		}
	}
	return out, lr.err
}
