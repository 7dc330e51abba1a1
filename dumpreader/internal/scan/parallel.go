package scan

import (
	"bytes"
	"io"
	"sync/atomic"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// Parallel says how ReadLinesParallel shares the reading of a capture
// among goroutines.
type Parallel struct {
	// Workers is the number of goroutines that prepare lines; below 1 the
	// capture is read by ReadLines alone.
	Workers int
	// ChunkSize is the size of the pieces the capture is cut into, at line
	// breaks; 0 means DefaultChunkSize. Tests make it tiny to cut
	// everywhere.
	ChunkSize int
	// Wait makes the reader wait for the workers to prepare every chunk,
	// instead of reading a chunk none has started itself: tests use it to
	// have every line prepared.
	Wait bool
}

// DefaultChunkSize is the size of the pieces ReadLinesParallel hands its
// workers: large enough that handing one over costs little next to
// reading it, small enough that the few in flight (each with its lines
// and what the workers made of them) take little memory.
// BenchmarkReadKDChunks and bench/perf.sh's peak RSS weigh the two: 128
// KiB reads as fast as 256 KiB did and takes about 5 MB less at the peak
// of a large capture (bench/README.md, the ninth session's figures).
const DefaultChunkSize = 128 << 10

// maxChunkSize bounds Parallel.ChunkSize: a line's offsets in its chunk
// are 32-bit, and a few chunks are in memory at once.
const maxChunkSize = 64 << 20

// maxWorkers bounds Parallel.Workers: each has chunks in flight.
const maxWorkers = 64

// sniffHead is how much of a stream LineReader looks at to choose its line
// separator; ReadLinesParallel reads as much before it decides.
const sniffHead = 64 << 10

// ReadLinesParallel is ReadLines with the reading of each line split in
// two. prepare, a function each worker gets from newPrepare, reads a line
// on its own, knowing nothing of the lines before it, into a T (a pure
// function of the line's bytes: what it would parse to, if the reader's
// state lets it); readLine then reads the lines in order, as ReadLines
// would, with what prepare made of each, and must give the line the
// account ReadLines' readLine would. The stream is cut into chunks at
// line breaks; one goroutine reads (and decompresses) it, par.Workers
// prepare chunks, and the caller's goroutine runs readLine, so everything
// readLine does (the reader's state, log, the facts) happens in line
// order, and the numbering, accounting and diagnostics are those of
// ReadLines, line for line. The reader does not wait for the workers
// (beyond a few microseconds): a line not prepared yet is read with a
// zero T, which readLine must take as "nothing prepared", so a machine
// whose cores are busy elsewhere reads as fast as ReadLines alone.
//
// A stream whose lines end in CR alone, a double-spaced one (its spacing
// is dropped in order), or of one chunk at most, is read by ReadLines.
func ReadLinesParallel[T any](r io.Reader, log *facts.SourceLog, lineNo *int64, clean *Cleaner, par Parallel,
	newPrepare func() func(raw []byte, out *T), readLine func(raw []byte, pre *T) LineKind) (last LineKind, unterminated bool, err error) {
	size := par.ChunkSize
	if size <= 0 {
		size = DefaultChunkSize
	}
	size = min(size, maxChunkSize)
	par.Workers = min(par.Workers, maxWorkers)
	serial := func(r io.Reader) (LineKind, bool, error) {
		var none T
		return ReadLines(r, log, lineNo, clean, func(raw []byte) LineKind {
			none = *new(T)
			return readLine(raw, &none)
		})
	}
	if par.Workers < 1 {
		return serial(r)
	}
	head := make([]byte, max(sniffHead, 2*size))
	n, rerr := io.ReadFull(r, head)
	head = head[:n]
	short := rerr == io.EOF || rerr == io.ErrUnexpectedEOF
	if short {
		rerr = nil
	}
	sniff := head[:min(n, sniffHead)]
	if rerr != nil || (short && n <= size) || (bytes.IndexByte(sniff, '\n') < 0 && bytes.IndexByte(sniff, '\r') >= 0) || DoubleSpaced(sniff) {
		return serial(io.MultiReader(bytes.NewReader(head), errReader{rerr}))
	}

	p := newPipeline[T](par.Workers, size, par.Wait)
	go p.cut(io.MultiReader(bytes.NewReader(head), r))
	for w := 0; w < par.Workers; w++ {
		go p.prepare(newPrepare())
	}
	var paste pasteTally
	if clean.Seen == nil {
		clean.Seen = new(Damage)
	}
	var own []lineSpan // the lines of a chunk the reader splits itself
	for c := range p.order {
		// The reader never waits for a worker (but with par.Wait): on a
		// machine whose cores are busy elsewhere a worker may not run for
		// many milliseconds. It reads a chunk no worker has started
		// itself (stolen), and of a chunk a worker is preparing, takes
		// the lines prepared so far and reads the others itself.
		stolen := !par.Wait && c.state.CompareAndSwap(queued, stolen)
		var lines []lineSpan
		switch {
		case par.Wait:
			<-c.done
			lines = c.lines
		case !stolen && c.split.Load():
			lines = c.lines
		default:
			own = splitLines(c.buf, c.long, own)
			lines = own
		}
		ready := 0
		var none T
		for i, sp := range lines {
			raw := c.buf[sp.start:sp.end]
			*lineNo++
			*clean.Seen = 0
			if sp.cut {
				log.Diag(*lineNo, facts.SevError, facts.CodeLongLine, "line longer than %d bytes; read only its start", MaxLineLen)
			}
			if !stolen && i >= ready {
				ready = p.await(c, i)
			}
			if i < ready {
				last = readLine(raw, &c.pre[i])
			} else {
				none = *new(T)
				last = readLine(raw, &none)
			}
			paste.note(*lineNo, raw, *clean.Seen)
			account(log, *lineNo, last, clean, raw)
		}
		if c.final {
			unterminated, err = c.unterminated, c.err
		}
		c.abandon.Store(true) // the worker, if still at it, moves on
		p.drop(c)
	}
	log.Lines.Total = *lineNo
	paste.report(log)
	return last, unterminated, err
}

// spinWait is how long the reader waits for a worker to prepare the line
// it needs before it reads the line itself: a worker that runs prepares
// a few lines in that time; one the machine does not run for milliseconds
// costs the reader no more.
const spinWait = 50 * time.Microsecond

// await returns how many lines of c its worker has prepared, waiting up
// to spinWait for it to prepare line i. If it has not, the worker is told
// to move on to a chunk ahead, and the reader reads the rest of c itself.
func (p *pipeline[T]) await(c *chunk[T], i int) int {
	ready := int(c.ready.Load())
	if i < ready || c.abandon.Load() {
		return ready
	}
	deadline := time.Now().Add(spinWait)
	for n := 0; i >= ready; n++ {
		if n%16 == 15 && time.Now().After(deadline) {
			c.abandon.Store(true)
			return int(c.ready.Load())
		}
		ready = int(c.ready.Load())
	}
	return ready
}

// account counts a line read in log, as ReadLines does.
func account(log *facts.SourceLog, lineNo int64, kind LineKind, clean *Cleaner, raw []byte) {
	switch kind {
	case Parsed:
		log.Lines.Parsed++
	case Ignored:
		log.Lines.Ignored++
	default:
		log.Lines.Unrecognized++
		log.Diag(lineNo, facts.SevWarning, facts.CodeUnrecognized, "unrecognized line: %s", QuoteLine(clean.Clean(raw)))
	}
}

// errReader returns its error, or io.EOF when it has none.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

// lineSpan is one line of a chunk: its bytes without the line break and
// the CRs before it, and whether it was cut for length (MaxLineLen).
type lineSpan struct {
	start, end int32
	cut        bool
}

// chunk is a piece of the stream, whole lines, with what the workers made
// of each line.
type chunk[T any] struct {
	buf   []byte
	lines []lineSpan
	pre   []T
	// long says buf is the first MaxLineLen bytes of a longer line,
	// whose rest is skipped (as LineReader does).
	long bool
	// final marks the last chunk; unterminated and err are the stream's
	// end, as LineReader reports it.
	final        bool
	unterminated bool
	err          error
	// state says who prepares the chunk: a worker, or (stolen) the
	// reader itself.
	state atomic.Int32
	// split is set once the worker has split the chunk into lines, and
	// ready counts the lines of pre it has prepared so far.
	split atomic.Bool
	ready atomic.Int32
	// abandon tells the worker the reader has caught up with it.
	abandon atomic.Bool
	// users counts the goroutines yet to be done with the chunk: the
	// reader, and the worker that takes it from the queue (which may be
	// after the reader stole it). The last one hands it back for reuse.
	users atomic.Int32
	done  chan struct{}
}

// Chunk states.
const (
	queued int32 = iota
	prepared
	stolen
)

// pipeline moves chunks from the cutter through the workers to the
// reader, in order, with a bounded number in flight.
type pipeline[T any] struct {
	size  int
	wait  bool // every chunk goes to the workers
	work  chan *chunk[T]
	order chan *chunk[T]
	free  chan *chunk[T]
}

// newPipeline makes a pipeline with workers+1 chunks queued at most: a
// chunk for each worker to prepare and one ahead of the reader. Each
// chunk queued holds its buffer, its lines and their parse: one more
// (workers+2) made no run faster and raised bench/perf.sh's peak RSS,
// one fewer (workers) made the reader wait for the workers (bench/perf.sh's
// wall times rose).
func newPipeline[T any](workers, size int, wait bool) *pipeline[T] {
	inFlight := workers + 1
	return &pipeline[T]{
		size:  size,
		wait:  wait,
		work:  make(chan *chunk[T], inFlight),
		order: make(chan *chunk[T], inFlight),
		free:  make(chan *chunk[T], 2*inFlight+4),
	}
}

// get returns an empty chunk, reused where one is free.
func (p *pipeline[T]) get() *chunk[T] {
	select {
	case c := <-p.free:
		c.buf, c.lines, c.pre = c.buf[:0], c.lines[:0], c.pre[:0]
		c.long, c.final, c.unterminated, c.err = false, false, false, nil
		c.done = make(chan struct{})
		c.state.Store(queued)
		c.split.Store(false)
		c.ready.Store(0)
		c.abandon.Store(false)
		return c
	default:
	}
	return &chunk[T]{buf: make([]byte, 0, p.size+p.size/4), done: make(chan struct{})}
}

// release hands a chunk the reader is done with back for reuse.
func (p *pipeline[T]) release(c *chunk[T]) {
	if cap(c.buf) > 4*p.size+MaxLineLen {
		return // grown for a long line: not kept
	}
	select {
	case p.free <- c:
	default:
	}
}

// drop says a goroutine is done with c, which is reused once all are.
func (p *pipeline[T]) drop(c *chunk[T]) {
	if c.users.Add(-1) == 0 {
		p.release(c)
	}
}

// send passes a chunk to the workers and, in order, to the reader.
func (p *pipeline[T]) send(c *chunk[T]) {
	c.users.Store(2)
	p.order <- c
	if p.wait {
		p.work <- c
		return
	}
	select {
	case p.work <- c:
	default: // the workers are behind: the reader will take it
		p.drop(c)
	}
}

// cut reads r into chunks that end at line breaks, as LineReader would
// split the stream: LF ends a line, a line of MaxLineLen bytes or more is
// cut to its first MaxLineLen bytes and the rest of it skipped.
func (p *pipeline[T]) cut(r io.Reader) {
	defer close(p.work)
	defer close(p.order)
	c := p.get()
	skipping := false
	eof := false
	var rerr error
	for {
		// Fill the chunk to its size, or more when one line is longer.
		want := p.size
		for {
			for len(c.buf) < want && !eof {
				if cap(c.buf) < want {
					grown := make([]byte, len(c.buf), want)
					copy(grown, c.buf)
					c.buf = grown
				}
				n, err := r.Read(c.buf[len(c.buf):want])
				c.buf = c.buf[:len(c.buf)+n]
				if err != nil {
					eof = true
					if err != io.EOF {
						rerr = err
					}
				}
			}
			if skipping {
				if i := bytes.IndexByte(c.buf, '\n'); i >= 0 {
					skipping = false
					c.buf = c.buf[:copy(c.buf, c.buf[i+1:])]
					continue
				}
				c.buf = c.buf[:0]
				if eof {
					break
				}
				continue
			}
			if eof || bytes.IndexByte(c.buf, '\n') >= 0 || len(c.buf) >= MaxLineLen {
				break
			}
			want = min(2*want, MaxLineLen) // a line longer than the chunk
		}
		end := bytes.LastIndexByte(c.buf, '\n') + 1
		next := p.get()
		if end == 0 && len(c.buf) >= MaxLineLen {
			// One line of MaxLineLen bytes or more, no break in sight.
			next.buf = append(next.buf, c.buf[MaxLineLen:]...)
			c.buf = c.buf[:MaxLineLen]
			c.long = true
			skipping = true
		} else {
			if eof {
				end = len(c.buf) // the rest is the last line, unterminated
			}
			next.buf = append(next.buf, c.buf[end:]...)
			c.buf = c.buf[:end]
		}
		if eof && len(next.buf) == 0 {
			c.final = true
			if !c.long {
				tail := len(c.buf) - (bytes.LastIndexByte(c.buf, '\n') + 1)
				c.unterminated = tail > 0 && tail < MaxLineLen
			}
			c.err = rerr
			p.send(c)
			return
		}
		p.send(c)
		c = next
	}
}

// prepare prepares the lines of the chunks it is given, saying how far
// it got every few lines.
func (p *pipeline[T]) prepare(prepare func(raw []byte, out *T)) {
	for c := range p.work {
		if !c.state.CompareAndSwap(queued, prepared) {
			p.drop(c) // the reader took it
			continue
		}
		c.lines = splitLines(c.buf, c.long, c.lines)
		if cap(c.pre) < len(c.lines) {
			c.pre = make([]T, len(c.lines), len(c.lines)+len(c.lines)/4)
		}
		c.pre = c.pre[:len(c.lines)]
		c.split.Store(true)
		var zero T
		for i, sp := range c.lines {
			c.pre[i] = zero
			prepare(c.buf[sp.start:sp.end], &c.pre[i])
			if i%16 == 15 {
				c.ready.Store(int32(i + 1))
				if c.abandon.Load() {
					break
				}
			} else if i == len(c.lines)-1 {
				c.ready.Store(int32(i + 1))
			}
		}
		close(c.done)
		p.drop(c)
	}
}

// splitLines splits a chunk into lines as LineReader does.
func splitLines(buf []byte, long bool, dst []lineSpan) []lineSpan {
	dst = dst[:0]
	if long {
		return append(dst, lineSpan{0, int32(len(TrimCR(buf))), true})
	}
	for start := 0; start < len(buf); {
		end, next := len(buf), len(buf)
		if i := bytes.IndexByte(buf[start:], '\n'); i >= 0 {
			end, next = start+i, start+i+1
		}
		sp := lineSpan{start: int32(start)}
		if end-start >= MaxLineLen {
			end, sp.cut = start+MaxLineLen, true
		}
		sp.end = int32(start + len(TrimCR(buf[start:end])))
		dst = append(dst, sp)
		start = next
	}
	return dst
}
