package dumpreader

import (
	"bufio"
	"io"
	"os"
	"runtime"
	"sort"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// gzipIndex lets a quote of a gzip file start near the lines it wants
// rather than decompress the file from its start. Reading the file notes
// checkpoints at the ends of deflate blocks (klauspost's flate gives
// each: where in the compressed stream the next block starts, to the
// bit, and the 32 KiB window the next block may refer back into), one
// every `every` bytes of decompressed text. A quote then finds the
// line's offset in the decompressed text (the lineIndex noted as the
// text was read, as for a plain file), inflates from the checkpoint
// before it, and reads from the line the index notes before it.
//
// Memory is bounded: at most maxCheckpoints a file (every doubles and
// every other checkpoint is let go when they are full: 2 MiB of windows
// at most), and at most gzipIndexBudget bytes of windows for all the
// files a run reads (a batch of thousands of captures); a file read past
// the budget is quoted by decompressing it from its start, as before.
type gzipIndex struct {
	every int64
	next  int64 // the decompressed offset of the next checkpoint
	cps   []gzipCheckpoint
	// charged is what this index took of the run's budget, given back
	// when the index is let go of (newGzipIndex).
	charged *atomic.Int64
	// over says the budget ran out: the index is not used.
	over bool
}

// gzipCheckpoint is where inflating can resume: comp is the offset in
// the file of the byte whose bit bit starts the next block, out the
// offset in the decompressed text of what the block starts with.
type gzipCheckpoint struct {
	comp, out int64
	bit       uint8
	window    []byte
}

const (
	maxCheckpoints  = 64
	gzipIndexBudget = 64 << 20
)

// gzipCheckpointEvery is how many bytes of text apart checkpoints are
// noted at first; tests lower it.
var gzipCheckpointEvery int64 = 4 << 20

// gzipIndexUsed is the run's budget taken by all indexes.
var gzipIndexUsed atomic.Int64

func newGzipIndex() *gzipIndex {
	x := &gzipIndex{every: gzipCheckpointEvery, next: gzipCheckpointEvery, charged: new(atomic.Int64)}
	runtime.AddCleanup(x, func(c *atomic.Int64) { gzipIndexUsed.Add(-c.Load()) }, x.charged)
	return x
}

// note keeps the checkpoint at the end of a block, if it is the first
// past the next offset due.
func (x *gzipIndex) note(comp, out int64, bit uint8, window []byte) {
	if x.over || out < x.next {
		return
	}
	if gzipIndexUsed.Add(int64(len(window))) > gzipIndexBudget {
		gzipIndexUsed.Add(-int64(len(window)))
		x.release()
		x.over = true
		return
	}
	x.charged.Add(int64(len(window)))
	x.cps = append(x.cps, gzipCheckpoint{comp: comp, out: out, bit: bit, window: append([]byte(nil), window...)})
	x.next = out + x.every
	if len(x.cps) < maxCheckpoints {
		return
	}
	kept := x.cps[:0]
	for i, cp := range x.cps {
		if i%2 == 1 {
			kept = append(kept, cp)
			continue
		}
		gzipIndexUsed.Add(-int64(len(cp.window)))
		x.charged.Add(-int64(len(cp.window)))
	}
	clear(x.cps[len(kept):])
	x.cps = kept
	x.every *= 2
	x.next = kept[len(kept)-1].out + x.every
}

// release gives back what the index took of the budget and lets go of
// its checkpoints.
func (x *gzipIndex) release() {
	gzipIndexUsed.Add(-x.charged.Swap(0))
	x.cps = nil
}

// before returns the last checkpoint at or before the decompressed
// offset off, or ok false when there is none (inflate from the start).
func (x *gzipIndex) before(off int64) (gzipCheckpoint, bool) {
	i := sort.Search(len(x.cps), func(i int) bool { return x.cps[i].out > off })
	if i == 0 {
		return gzipCheckpoint{}, false
	}
	return x.cps[i-1], true
}

// quoteGzipIndexed reads the given lines of the gzip file at path: for
// each, inflating from the checkpoint before the line the line index
// notes before it.
func quoteGzipIndexed(path string, lines *lineIndex, gz *gzipIndex, want []int64) (map[int64]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return lines.quote(want, func(off int64) (io.Reader, error) { return inflateFrom(f, gz, off) })
}

// inflateFrom returns the decompressed text of the gzip file f from the
// offset off on, inflated from the checkpoint before it (or the file's
// start), to the end of the file's members.
func inflateFrom(f *os.File, gz *gzipIndex, off int64) (io.Reader, error) {
	cp, ok := gz.before(off)
	if _, err := f.Seek(cp.comp, io.SeekStart); err != nil {
		return nil, err
	}
	in := &bufferedInput{src: &sourceCounter{r: f, n: cp.comp}}
	in.br = bufio.NewReaderSize(in.src, 64<<10)
	z := &gzipMembers{br: in.br, offset: in.offset, out: cp.out}
	if ok {
		z.fl = flate.NewReaderOpts(in.br, flate.WithResumeFrom(flate.InflateCheckpoint{
			CompressedOffset: cp.comp, UncompressedOffset: cp.out, BitOffset: cp.bit, Window: cp.window}))
		z.resumed = true
	} else if err := z.Reset(in.br); err != nil {
		return nil, err
	}
	r := &gzipText{z: z, in: in}
	if _, err := io.CopyN(io.Discard, r, off-cp.out); err != nil {
		return nil, err
	}
	return r, nil
}

// gzipText is the decompressed text of a gzip file's members from a
// checkpoint on.
type gzipText struct {
	z  *gzipMembers
	in *bufferedInput
}

func (t *gzipText) Read(p []byte) (int, error) {
	for {
		n, err := t.z.Read(p)
		if err != io.EOF {
			return n, err
		}
		if next, _ := t.in.peek(2); len(next) < 2 || !isGzip(next) {
			return n, io.EOF
		}
		if err := t.z.Reset(t.in.br); err != nil {
			return n, err
		}
		if n > 0 {
			return n, nil
		}
	}
}

// gzipStreamOf returns the gzip stream r is (as openPlainOrGzip
// returns it), nil for any other reader.
func gzipStreamOf(r io.Reader) *gzipStream {
	for {
		switch v := r.(type) {
		case readCloser:
			r = v.Reader
		case *bombGuard:
			r = v.r
		case *gzipStream:
			return v
		default:
			return nil
		}
	}
}
