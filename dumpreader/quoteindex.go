package dumpreader

import (
	"bytes"
	"io"
	"os"
	"sort"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// lineIndex finds lines of a plain capture by byte offset: the offset of
// every every-th line, noted as the capture is read, so that quoting a
// line reads at most every lines of the file, not the file up to it.
type lineIndex struct {
	every   int64
	offsets []int64 // offsets[i] is where line i*every+1 starts
}

// indexEvery is how many lines apart the index notes offsets at first;
// maxIndexOffsets bounds the index, which thins out (every doubles) past
// it.
const (
	indexEvery      = 1024
	maxIndexOffsets = 1 << 16
)

// indexer notes the offsets of a lineIndex from the bytes read through
// it. Its lines are those of scan.LineReader: they end at LF (a line cut
// for length is still one line). A stream whose first 64 KiB hold CRs
// and no LF (which LineReader splits at CRs) gets no index.
type indexer struct {
	r    io.Reader
	idx  lineIndex
	pos  int64 // offset in the file of the next byte read
	line int64 // lines that have ended so far
	head int64 // bytes of the first 64 KiB seen
	lf   bool  // an LF in the first 64 KiB
	cr   bool  // a CR in the first 64 KiB
}

// newIndexer indexes what is read of r, whose first byte is at offset
// start in its file (after a byte-order mark).
func newIndexer(r io.Reader, start int64) *indexer {
	return &indexer{r: r, idx: lineIndex{every: indexEvery, offsets: []int64{start}}, pos: start}
}

func (x *indexer) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	x.note(p[:n])
	return n, err
}

// note counts the lines of b in blocks, walking to the line breaks only
// in the blocks where a noted line starts.
func (x *indexer) note(b []byte) {
	if x.head < 64<<10 {
		h := b[:min(int64(len(b)), 64<<10-x.head)]
		x.lf = x.lf || bytes.IndexByte(h, '\n') >= 0
		x.cr = x.cr || bytes.IndexByte(h, '\r') >= 0
		x.head += int64(len(h))
	}
	const block = 4 << 10
	for len(b) > 0 {
		blk := b[:min(len(b), block)]
		next := int64(len(x.idx.offsets)) * x.idx.every // the line whose end starts a noted line
		if c := int64(bytes.Count(blk, []byte{'\n'})); x.line+c < next {
			x.line += c
		} else {
			for i := 0; ; {
				j := bytes.IndexByte(blk[i:], '\n')
				if j < 0 {
					break
				}
				i += j + 1
				x.line++
				if x.line == int64(len(x.idx.offsets))*x.idx.every {
					x.add(x.pos + int64(i))
				}
			}
		}
		x.pos += int64(len(blk))
		b = b[len(blk):]
	}
}

// add notes the offset of the next noted line, thinning the index when
// it is full.
func (x *indexer) add(off int64) {
	x.idx.offsets = append(x.idx.offsets, off)
	if len(x.idx.offsets) < maxIndexOffsets {
		return
	}
	kept := x.idx.offsets[:0]
	for i := 0; i < len(x.idx.offsets); i += 2 {
		kept = append(kept, x.idx.offsets[i])
	}
	x.idx.offsets = kept
	x.idx.every *= 2
}

// index returns the index, or nil when the stream's lines do not end at
// LF.
func (x *indexer) index() *lineIndex {
	if !x.lf && x.cr {
		return nil
	}
	return &x.idx
}

// quoteIndexed reads the given lines of the plain file at path by the
// offsets of idx: for each, from the noted line before it.
func quoteIndexed(path string, idx *lineIndex, lines []int64) (map[int64]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return idx.quote(lines, func(off int64) (io.Reader, error) {
		_, err := f.Seek(off, io.SeekStart)
		return f, err
	})
}

// quote returns the text of the given lines of a text whose line offsets
// are idx, reading from the noted line before each; from(off) gives the
// text from offset off on.
func (idx *lineIndex) quote(lines []int64, from func(off int64) (io.Reader, error)) (map[int64]string, error) {
	out := map[int64]string{}
	want := append([]int64(nil), lines...)
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	var c scan.Cleaner
	var lr *scan.LineReader
	var n int64 // the number of the line lr returns next, less one
	for k, w := range want {
		if w < 1 || k > 0 && w == want[k-1] {
			continue
		}
		i := min((w-1)/idx.every, int64(len(idx.offsets)-1))
		if first := i*idx.every + 1; lr == nil || n >= w || first > n+1 {
			r, err := from(idx.offsets[i])
			if err != nil {
				return nil, err
			}
			lr = scan.NewLineReaderLF(r)
			n = first - 1
		}
		for n < w {
			line, ok := lr.Next()
			if !ok {
				if err := lr.Err(); err != nil {
					return nil, err
				}
				return out, nil
			}
			n++
			if n == w {
				out[n] = scan.QuoteLine(c.Clean(line))
			}
		}
	}
	return out, nil
}
