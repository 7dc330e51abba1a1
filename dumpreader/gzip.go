package dumpreader

import (
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
type gzipStream struct {
	src  *byteCounter
	z    *gzip.Reader
	name string
	note noteFunc
	out  int64 // bytes decompressed
	done bool
}

// newGzipReader decompresses r, with the bomb guard on what comes out.
// Only a stream whose first header cannot be read is an error.
func newGzipReader(r io.Reader, name string, lim Limits, note noteFunc) (io.Reader, error) {
	src := newByteCounter(r)
	z, err := gzip.NewReader(src)
	if err != nil {
		return nil, fmt.Errorf("%s: a gzip file that cannot be read: %w", name, err)
	}
	z.Multistream(false)
	g := &gzipStream{src: src, z: z, name: name, note: note}
	return newBombGuard(g, name, lim, func() int64 { return src.n }, nil), nil
}

func (g *gzipStream) Read(p []byte) (int, error) {
	if g.done {
		return 0, io.EOF
	}
	n, err := g.z.Read(p)
	g.out += int64(n)
	switch {
	case err == nil:
		return n, nil
	case g.src.err != nil:
		return n, fmt.Errorf("%s: %w", g.name, g.src.err) // the file, not the stream
	case err != io.EOF:
		g.stop(CodeTruncatedStream, "the gzip stream is %s at byte %d, after %d bytes decompressed (%v): the capture ends there",
			brokenHow(err), g.src.n, g.out, err)
		return n, io.EOF
	}
	// A member ended: another follows, or the stream ends, or something
	// that is no gzip does.
	next, perr := g.src.br.Peek(2)
	switch {
	case len(next) == 0 && perr == io.EOF:
		g.done = true
		return n, io.EOF
	case perr != nil && perr != io.EOF:
		return n, fmt.Errorf("%s: %w", g.name, perr)
	case len(next) == 2 && isGzip(next):
		start := g.src.n
		if err := g.z.Reset(g.src); err != nil {
			g.src.n = start // the diagnostic is at the member's start
			g.stop(CodeTruncatedStream, "the gzip member at byte %d cannot be read (%v): the capture ends there", start, err)
			return n, io.EOF
		}
		g.z.Multistream(false)
		return n, nil
	}
	g.stop(CodeTrailingData, "data after the end of the gzip stream at byte %d is not gzip: ignored", g.src.n)
	return n, io.EOF
}

// stop ends the stream with a diagnostic at the current compressed
// offset.
func (g *gzipStream) stop(code, format string, args ...any) {
	g.done = true
	if g.note != nil {
		g.note(facts.Diagnostic{Path: g.name, Offset: max(g.src.n, 1), Severity: facts.SevWarning, Code: code, Message: fmt.Sprintf(format, args...)})
	}
}

// brokenHow says how a decompression error broke a stream.
func brokenHow(err error) string {
	if err == io.ErrUnexpectedEOF {
		return "cut short"
	}
	return "damaged"
}
