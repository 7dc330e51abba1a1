package dumpreader

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// Limits bound what a compressed capture may expand to, so that a zip bomb
// is refused with a clear error instead of filling the disk or the
// memory. The zero value means the defaults.
type Limits struct {
	// MaxExpanded is the most bytes all of one file's content may expand
	// to (default 64 GiB), all the entries of a zip archive together.
	MaxExpanded int64
	// MaxRatio is the most a compressed stream may expand, expanded bytes
	// per compressed byte consumed so far, once past 64 MiB (default 200:
	// generated kd captures compress 10 to 13 times; deflate reaches
	// about 1,000). It is judged by what the decompressor consumed, not
	// by the sizes an archive records, so a bomb stops at 64 MiB.
	MaxRatio int64
	// MaxEntries is the most entries a zip archive may have (default
	// 10,000).
	MaxEntries int
}

const ratioFloor = 64 << 20 // the ratio is not judged before this many bytes

func (l Limits) withDefaults() Limits {
	if l.MaxExpanded <= 0 {
		l.MaxExpanded = 64 << 30
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = 200
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = 10_000
	}
	return l
}

// ErrExpandLimit is returned (wrapped, naming the file) for a compressed
// capture that expands beyond the Limits.
var ErrExpandLimit = errors.New("expands beyond the limit")

// entrySep separates an archive's path from an entry's in the name of a
// capture read from a zip archive: "captures.zip!/server1/kd.txt".
const entrySep = "!/"

// part is one capture stream in a file: the file itself, its gzip
// content, or one entry of a zip archive.
type part struct {
	name string // for positions: the file, or archive!/entry
	// open opens the stream; note receives the diagnostics of its
	// container (a gzip stream cut short). nil for standard input.
	open func(note noteFunc) (io.ReadCloser, error)
	// plain: name is a file, not compressed, that can be opened for
	// random access (a minidump is read so).
	plain bool
	// notes are diagnostics about the part as a whole (an entry renamed
	// as the archive has two of its name), added when it is read.
	notes []facts.Diagnostic
}

// parts lists the captures in the file at p: one for a plain or gzip file,
// one per file entry of a zip archive. The closer, when not nil, closes
// the archive once the parts are read.
func parts(p string, lim Limits) ([]part, io.Closer, error) {
	lim = lim.withDefaults()
	magic, err := fileMagic(p)
	if err != nil {
		return nil, nil, err
	}
	if isZip(magic) {
		a, ps, err := openZip(p, lim)
		if err != nil {
			return nil, nil, err
		}
		return ps, a, nil
	}
	open := func(note noteFunc) (io.ReadCloser, error) { return openPlainOrGzip(p, lim, note) }
	return []part{{name: p, open: open, plain: !isGzip(magic)}}, nil, nil
}

func fileMagic(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	magic := make([]byte, 4)
	n, err := io.ReadFull(f, magic)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return magic[:n], nil
}

func isZip(magic []byte) bool {
	return bytes.HasPrefix(magic, []byte("PK\x03\x04")) || bytes.HasPrefix(magic, []byte("PK\x05\x06"))
}

func isGzip(magic []byte) bool { return bytes.HasPrefix(magic, []byte{0x1f, 0x8b}) }

// openPlainOrGzip opens a file, decompressing it when it is gzip.
func openPlainOrGzip(p string, lim Limits, note noteFunc) (io.ReadCloser, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	magic, _ := br.Peek(2)
	if !isGzip(magic) {
		return readCloser{br, f}, nil
	}
	// A regular file can be opened again where a gzip member breaks; a
	// FIFO (a shell's <(...)) cannot.
	var reopen func() (io.ReadCloser, error)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		reopen = func() (io.ReadCloser, error) { return os.Open(p) }
	}
	zr, err := newGzipReader(br, p, lim, note, reopen)
	if err != nil {
		f.Close()
		return nil, err
	}
	return readCloser{zr, f}, nil
}

// openCapture opens a capture by the name positions give it: a file
// (decompressed if gzip), or an archive!/entry (archive!/entry#2 for the
// second entry of a name).
func openCapture(name string, lim Limits) (io.ReadCloser, error) {
	lim = lim.withDefaults()
	if i := strings.Index(name, entrySep); i > 0 {
		archive := name[:i]
		if magic, err := fileMagic(archive); err == nil && isZip(magic) {
			a, ps, err := openZip(archive, lim)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				if p.name == name {
					rc, err := p.open(nil)
					if err != nil {
						a.Close()
						return nil, err
					}
					return readCloser{rc, closers{rc, a}}, nil
				}
			}
			a.Close()
			return nil, fmt.Errorf("%s: no entry %s", archive, name[i+len(entrySep):])
		}
	}
	return openPlainOrGzip(name, lim, nil)
}
