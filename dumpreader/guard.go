package dumpreader

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// bombGuard stops a decompressing read that expands beyond the limits:
// past MaxExpanded bytes in all (total, shared by the entries of one zip
// archive), or, once past ratioFloor, past MaxRatio times the compressed
// bytes consumed so far, so a bomb is stopped as soon as it is one.
type bombGuard struct {
	r          io.Reader
	name       string
	lim        Limits
	compressed func() int64 // compressed bytes consumed so far
	n          int64        // bytes out of this stream
	total      *int64       // bytes out of all the file's streams
}

func newBombGuard(r io.Reader, name string, lim Limits, compressed func() int64, total *int64) *bombGuard {
	if total == nil {
		total = new(int64)
	}
	return &bombGuard{r: r, name: name, lim: lim, compressed: compressed, total: total}
}

func (g *bombGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	*g.total += int64(n)
	if *g.total > g.lim.MaxExpanded {
		return n, fmt.Errorf("%s: decompressed past %d bytes: %w (Limits.MaxExpanded)", g.name, g.lim.MaxExpanded, ErrExpandLimit)
	}
	if c := g.compressed(); g.n > ratioFloor && c > 0 && g.n/c > g.lim.MaxRatio {
		return n, fmt.Errorf("%s: expands over %d times its compressed size, like a zip bomb (%d bytes from %d): %w", g.name, g.lim.MaxRatio, g.n, c, ErrExpandLimit)
	}
	return n, err
}

// byteCounter counts the compressed bytes a decompressor consumes. It is
// an io.ByteReader, so compress/flate reads from it directly, without a
// buffer of its own that would read ahead of what it consumed: the count
// is the offset in the compressed stream where decompression is.
type byteCounter struct {
	br  *bufio.Reader
	n   int64
	err error // the first error of the source other than io.EOF
}

func newByteCounter(r io.Reader) *byteCounter { return newByteCounterSize(r, 64<<10) }

// newByteCounterSize counts with a buffer of size bytes: a small zip
// entry needs no 64 KiB buffer, and an archive may hold 10,000 of them.
func newByteCounterSize(r io.Reader, size int) *byteCounter {
	return &byteCounter{br: bufio.NewReaderSize(r, size)}
}

// bufSize is the buffer for a stream of n bytes: 64 KiB at most.
func bufSize(n uint64) int { return int(min(n+16, 64<<10)) }

func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	c.n += int64(n)
	c.note(err)
	return n, err
}

func (c *byteCounter) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.n++
	}
	c.note(err)
	return b, err
}

func (c *byteCounter) note(err error) {
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
}

// ctxReader stops reading once ctx is done (leakdiag interrupted), so
// the read returns and its deferred cleanup (a temporary file) runs.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type readCloser struct {
	io.Reader
	io.Closer
}

type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
