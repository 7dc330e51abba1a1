package dumpreader

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"

	"github.com/leakdiag/leakdiag/facts"
)

// Diagnostic codes of compressed captures.
const (
	// CodeTruncatedStream: a gzip stream, or a zip entry, cut short or
	// damaged: what was decompressed before the break is read, like a
	// plain capture cut short, and the diagnostic gives the compressed
	// offset of the break.
	CodeTruncatedStream = "truncated-stream"
	// CodeTrailingData: bytes after the end of a gzip stream that are not
	// another gzip member: ignored.
	CodeTrailingData = "trailing-data"
	// CodeDuplicateEntry: a zip archive holds two entries of one name.
	// Each is read once, the second as name#2 (the third name#3...).
	CodeDuplicateEntry = "duplicate-entry"
)

// noteFunc receives the diagnostics of a capture's container (its gzip
// stream, its zip entry), which no line of the capture carries.
type noteFunc func(facts.Diagnostic)

// gzipStream decompresses every member of a gzip stream. A stream cut
// short or damaged ends where it breaks, and data after the last member
// that is not gzip is ignored, each with a diagnostic giving the offset:
// what was read is kept.
//
// A file is decompressed with github.com/klauspost/compress/gzip, whose
// inflater reads a *bufio.Reader's buffer in place: about a third faster
// than compress/gzip on kd captures. Where a member breaks, the two
// differ: klauspost's inflater wants the bits of the longest code before
// it decodes a symbol, so it stops a few bytes short of where
// compress/gzip does, and may say so at another offset. So that a broken
// file reads as it always has, its broken member is then decompressed
// again from its start by compress/gzip (reopen), past what was read of
// it, up to its break: a file that breaks costs its last member twice.
// A stream that cannot be opened again (standard input, a zip entry) is
// decompressed by compress/gzip throughout.
type gzipStream struct {
	z    gzipDecoder
	in   gzipInput
	name string
	note noteFunc
	out  int64 // bytes decompressed
	done bool
	// reopen opens the compressed stream again at its start; nil once
	// compress/gzip decompresses it. member is the offset of the
	// current member, memberOut the bytes it gave so far.
	reopen    func() (io.ReadCloser, error)
	member    int64
	memberOut int64
	// again is the stream opened again, closed when the stream ends (or
	// is closed).
	again io.Closer
	// index notes checkpoints for quoting, nil once compress/gzip
	// decompresses the stream.
	index *gzipIndex
}

// gzipDecoder is a gzip reader of either package.
type gzipDecoder interface {
	io.Reader
	Reset(io.Reader) error
	Multistream(bool)
}

// gzipInput is the compressed stream a gzipDecoder reads (from), with
// the offset in it where decompression is and the first error of the
// source other than io.EOF.
type gzipInput interface {
	from() io.Reader
	peek(n int) ([]byte, error)
	offset() int64
	srcErr() error
}

// bufferedInput is klauspost's input: a buffer it reads in place and
// takes from only the bytes it consumed, over a count of the bytes the
// buffer took from the source.
type bufferedInput struct {
	src *sourceCounter
	br  *bufio.Reader
}

func (b *bufferedInput) from() io.Reader            { return b.br }
func (b *bufferedInput) peek(n int) ([]byte, error) { return b.br.Peek(n) }
func (b *bufferedInput) offset() int64              { return b.src.n - int64(b.br.Buffered()) }
func (b *bufferedInput) srcErr() error              { return b.src.err }
func (c *byteCounter) from() io.Reader              { return c }
func (c *byteCounter) peek(n int) ([]byte, error)   { return c.br.Peek(n) }
func (c *byteCounter) offset() int64                { return c.n }
func (c *byteCounter) srcErr() error                { return c.err }

// sourceCounter counts the bytes read from a compressed source, and keeps
// its first error other than io.EOF.
type sourceCounter struct {
	r   io.Reader
	n   int64
	err error
}

func (c *sourceCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// newGzipReader decompresses r, with the bomb guard on what comes out;
// reopen, if not nil, opens the stream again from its start (see
// gzipStream). Only a stream whose first header cannot be read is an
// error.
func newGzipReader(r io.Reader, name string, lim Limits, note noteFunc, reopen func() (io.ReadCloser, error)) (io.ReadCloser, error) {
	g := &gzipStream{name: name, note: note, reopen: reopen}
	var err error
	if reopen != nil {
		in := &bufferedInput{src: &sourceCounter{r: r}}
		in.br = bufio.NewReaderSize(in.src, 64<<10)
		g.in = in
		g.index = newGzipIndex()
		z := &gzipMembers{offset: in.offset, index: g.index}
		g.z, err = z, z.Reset(in.br)
		if err != nil {
			// Said as compress/gzip says it.
			if rc, rerr := reopen(); rerr == nil {
				_, err = gzip.NewReader(newByteCounter(rc))
				rc.Close()
			}
		}
	} else {
		in := newByteCounter(r)
		g.in = in
		g.z, err = gzip.NewReader(in)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: a gzip file that cannot be read: %w", name, err)
	}
	g.z.Multistream(false)
	return readCloser{newBombGuard(g, name, lim, func() int64 { return g.in.offset() }, nil), g}, nil
}

// Close closes the stream opened again, if it was and is still open.
func (g *gzipStream) Close() error {
	if g.again == nil {
		return nil
	}
	err := g.again.Close()
	g.again = nil
	return err
}

// end ends the stream, closing what was opened again: a caller that has
// the stream's file to close may not close the stream.
func (g *gzipStream) end() {
	g.done = true
	g.Close()
}

func (g *gzipStream) Read(p []byte) (int, error) {
	if g.done {
		return 0, io.EOF
	}
	n, err := g.z.Read(p)
	g.out += int64(n)
	g.memberOut += int64(n)
	switch {
	case err == nil:
		return n, nil
	case g.in.srcErr() != nil:
		return n, fmt.Errorf("%s: %w", g.name, g.in.srcErr()) // the file, not the stream
	case err != io.EOF:
		if g.reopen != nil && g.decompressAgain() {
			return n, nil // compress/gzip goes on where this stopped
		}
		g.stop(CodeTruncatedStream, "the gzip stream is %s at byte %d, after %d bytes decompressed (%v): the capture ends there",
			brokenHow(err), g.in.offset(), g.out, err)
		return n, io.EOF
	}
	// A member ended: another follows, or the stream ends, or something
	// that is no gzip does.
	next, perr := g.in.peek(2)
	switch {
	case len(next) == 0 && perr == io.EOF:
		g.end()
		return n, io.EOF
	case perr != nil && perr != io.EOF:
		return n, fmt.Errorf("%s: %w", g.name, perr)
	case len(next) == 2 && isGzip(next):
		start := g.in.offset()
		g.member, g.memberOut = start, 0
		if err := g.z.Reset(g.in.from()); err != nil {
			g.stopAt(start, CodeTruncatedStream, "the gzip member at byte %d cannot be read (%v): the capture ends there", start, err)
			return n, io.EOF
		}
		g.z.Multistream(false)
		return n, nil
	}
	g.stop(CodeTrailingData, "data after the end of the gzip stream at byte %d is not gzip: ignored", g.in.offset())
	return n, io.EOF
}

// decompressAgain has compress/gzip take over the member that broke:
// it opens the stream again, decompresses the member from its start,
// past the bytes already read of it, and reports whether it got there
// (then it reads the rest of the stream); if not, the break stands as
// klauspost's inflater found it.
func (g *gzipStream) decompressAgain() bool {
	rc, err := g.reopen()
	if err != nil {
		return false
	}
	if _, err := io.CopyN(io.Discard, rc, g.member); err != nil {
		rc.Close()
		return false
	}
	in := newByteCounter(rc)
	in.n = g.member
	z, err := gzip.NewReader(in)
	if err != nil {
		rc.Close()
		return false
	}
	z.Multistream(false)
	if n, _ := io.CopyN(io.Discard, z, g.memberOut); n != g.memberOut {
		rc.Close()
		return false
	}
	g.z, g.in, g.again, g.reopen = z, in, rc, nil
	g.dropIndex()
	return true
}

// dropIndex lets go of the quoting index: quotes of a stream that broke
// read it again from its start, as its reading did.
func (g *gzipStream) dropIndex() {
	if g.index != nil {
		g.index.release()
		g.index = nil
	}
}

// quoteIndex returns the stream's quoting index once it was read to its
// end by klauspost's inflater, else nil.
func (g *gzipStream) quoteIndex() *gzipIndex {
	if g == nil || g.index == nil || g.index.over || !g.done {
		return nil
	}
	return g.index
}

// stop ends the stream with a diagnostic at the current compressed
// offset.
func (g *gzipStream) stop(code, format string, args ...any) {
	g.stopAt(g.in.offset(), code, format, args...)
}

// stopAt ends the stream with a diagnostic at the compressed offset at.
func (g *gzipStream) stopAt(at int64, code, format string, args ...any) {
	g.end()
	g.dropIndex()
	if g.note != nil {
		g.note(facts.Diagnostic{Path: g.name, Offset: max(at, 1), Severity: facts.SevWarning, Code: code, Message: fmt.Sprintf(format, args...)})
	}
}

// brokenHow says how a decompression error broke a stream.
func brokenHow(err error) string {
	if err == io.ErrUnexpectedEOF {
		return "cut short"
	}
	return "damaged"
}
