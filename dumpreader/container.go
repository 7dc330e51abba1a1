package dumpreader

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

// Limits bound what a compressed capture may expand to, so that a zip bomb
// is refused with a clear error instead of filling the disk or the
// memory. The zero value means the defaults.
type Limits struct {
	// MaxExpanded is the most bytes all of one file's content may expand
	// to (default 64 GiB).
	MaxExpanded int64
	// MaxRatio is the most a compressed stream may expand, expanded bytes
	// per compressed byte, once past 64 MiB (default 200: generated kd
	// captures compress 10 to 13 times; deflate reaches about 1,000).
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
	open func() (io.ReadCloser, error)
	// plain: name is a file, not compressed, that can be opened for
	// random access (a minidump is read so).
	plain bool
}

// parts lists the captures in the file at p: one for a plain or gzip file,
// one per file entry of a zip archive (directories, hidden files and
// macOS resource forks skipped), in name order.
func parts(p string, lim Limits) ([]part, error) {
	lim = lim.withDefaults()
	magic, err := fileMagic(p)
	if err != nil {
		return nil, err
	}
	if !isZip(magic) {
		return []part{{name: p, open: func() (io.ReadCloser, error) { return openPlainOrGzip(p, lim) }, plain: !isGzip(magic)}}, nil
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, fmt.Errorf("%s: a zip archive that cannot be read: %w", p, err)
	}
	defer zr.Close()
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%s: %d entries, over the limit of %d: %w", p, len(zr.File), lim.MaxEntries, ErrExpandLimit)
	}
	var total uint64
	var out []part
	for _, f := range zr.File {
		name := f.Name
		if f.FileInfo().IsDir() || skippedEntry(name) {
			continue
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxExpanded) {
			return nil, fmt.Errorf("%s: its entries declare over %d bytes in all: %w", p, lim.MaxExpanded, ErrExpandLimit)
		}
		switch strings.ToLower(path.Ext(name)) {
		case ".zip", ".7z", ".rar", ".cab":
			return nil, fmt.Errorf("%s: entry %s is an archive itself; leakdiag opens one level of zip (unpack it first)", p, name)
		}
		entry := name
		out = append(out, part{name: p + entrySep + entry, open: func() (io.ReadCloser, error) { return openZipEntry(p, entry, lim) }})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: a zip archive with no capture in it", p)
	}
	return out, nil
}

// skippedEntry: entries that are never captures.
func skippedEntry(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, ".") || base == "Thumbs.db"
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
func openPlainOrGzip(p string, lim Limits) (io.ReadCloser, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	magic, _ := br.Peek(2)
	if !isGzip(magic) {
		return readCloser{br, f}, nil
	}
	zr, err := newGzipReader(br, p, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	return readCloser{zr, f}, nil
}

// openZipEntry opens one entry of a zip archive (a gzip file inside it is
// decompressed too).
func openZipEntry(archive, entry string, lim Limits) (io.ReadCloser, error) {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", archive, err)
	}
	for _, f := range zr.File {
		if f.Name != entry {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			zr.Close()
			return nil, fmt.Errorf("%s%s%s: %w", archive, entrySep, entry, err)
		}
		name := archive + entrySep + entry
		var r io.Reader = &bombGuard{r: rc, name: name, lim: lim, compressed: func() int64 { return int64(f.CompressedSize64) }}
		br := bufio.NewReaderSize(r, 64<<10)
		if magic, _ := br.Peek(2); isGzip(magic) {
			gz, err := newGzipReader(br, name, lim)
			if err != nil {
				rc.Close()
				zr.Close()
				return nil, err
			}
			return readCloser{gz, closers{rc, zr}}, nil
		}
		return readCloser{br, closers{rc, zr}}, nil
	}
	zr.Close()
	return nil, fmt.Errorf("%s: no entry %s", archive, entry)
}

// newGzipReader decompresses r (all members of a multi-member file), with
// the bomb guard on what comes out.
func newGzipReader(r io.Reader, name string, lim Limits) (io.Reader, error) {
	counted := &countingReader{r: r}
	gz, err := gzip.NewReader(counted)
	if err != nil {
		return nil, fmt.Errorf("%s: a gzip file that cannot be read: %w", name, err)
	}
	return &bombGuard{r: gz, name: name, lim: lim, compressed: func() int64 { return counted.n }}, nil
}

// bombGuard stops a decompressing read that expands beyond the limits.
type bombGuard struct {
	r          io.Reader
	name       string
	lim        Limits
	compressed func() int64
	n          int64
}

func (g *bombGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.n > g.lim.MaxExpanded {
		return n, fmt.Errorf("%s: decompressed past %d bytes: %w (Limits.MaxExpanded)", g.name, g.lim.MaxExpanded, ErrExpandLimit)
	}
	if c := g.compressed(); g.n > ratioFloor && c > 0 && g.n/c > g.lim.MaxRatio {
		return n, fmt.Errorf("%s: expands over %d times its compressed size, like a zip bomb: %w", g.name, g.lim.MaxRatio, ErrExpandLimit)
	}
	return n, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
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

// openCapture opens a capture by the name positions give it: a file
// (decompressed if gzip), or an archive!/entry.
func openCapture(name string, lim Limits) (io.ReadCloser, error) {
	lim = lim.withDefaults()
	if i := strings.Index(name, entrySep); i > 0 {
		archive := name[:i]
		if magic, err := fileMagic(archive); err == nil && isZip(magic) {
			return openZipEntry(archive, name[i+len(entrySep):], lim)
		}
	}
	return openPlainOrGzip(name, lim)
}
