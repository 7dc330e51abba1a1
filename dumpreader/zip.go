package dumpreader

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// zipArchive is a zip archive open for reading its entries. Its
// directory is read once: an entry is opened by its directory record,
// not looked up again by name, so reading 10,000 entries reads the
// directory once, not 10,000 times, and two entries of one name are two
// captures.
type zipArchive struct {
	path string
	f    *os.File
	zr   *zip.Reader
	lim  Limits
	// expanded counts the bytes all entries decompressed to, against
	// Limits.MaxExpanded; read holds the entries counted. An entry read
	// again (traces matched to tables take a second pass) is not counted
	// again.
	expanded int64
	read     map[*zip.File]bool
}

// openZip opens the archive at p and lists its captures: one part per
// file entry (directories, hidden files and macOS resource forks
// skipped), in name order. The caller closes the archive when done with
// the parts.
func openZip(p string, lim Limits) (*zipArchive, []part, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: a zip archive that cannot be read: %w", p, err)
	}
	a := &zipArchive{path: p, f: f, zr: zr, lim: lim}
	ps, err := a.parts()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return a, ps, nil
}

func (a *zipArchive) Close() error { return a.f.Close() }

// parts lists the archive's captures. An entry whose name an earlier one
// has is named name#2 (name#3...) and read as a capture of its own, with
// a diagnostic.
func (a *zipArchive) parts() ([]part, error) {
	p, lim := a.path, a.lim
	if len(a.zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%s: %d entries, over the limit of %d: %w", p, len(a.zr.File), lim.MaxEntries, ErrExpandLimit)
	}
	var total uint64
	var out []part
	seen := map[string]int{}
	for _, f := range a.zr.File {
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
		seen[name]++
		pt := part{name: p + entrySep + name}
		if n := seen[name]; n > 1 {
			pt.name += "#" + strconv.Itoa(n)
			off, _ := f.DataOffset()
			pt.notes = append(pt.notes, facts.Diagnostic{
				Path: p, Offset: max(off, 1), Severity: facts.SevWarning, Code: CodeDuplicateEntry,
				Message: fmt.Sprintf("the archive holds %d entries named %s: this one is read as %s", n, name, pt.name),
			})
		}
		entry, partName := f, pt.name
		pt.open = func(note noteFunc) (io.ReadCloser, error) { return a.open(entry, partName, note) }
		out = append(out, pt)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: a zip archive with no capture in it", p)
	}
	return out, nil
}

// open opens the entry f, named name in positions, decompressing it as
// it is read (a gzip file in it too), with the bomb guard counting the
// compressed bytes consumed.
func (a *zipArchive) open(f *zip.File, name string, note noteFunc) (io.ReadCloser, error) {
	if f.Flags&0x1 != 0 {
		return nil, fmt.Errorf("%s: the entry is encrypted; leakdiag reads unencrypted archives", name)
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	src := newByteCounterSize(raw, bufSize(f.CompressedSize64))
	var data io.Reader
	var closer io.Closer = io.NopCloser(nil)
	switch f.Method {
	case zip.Store:
		data = src
	case zip.Deflate:
		fr := flate.NewReader(src)
		data, closer = fr, fr
	default:
		return nil, fmt.Errorf("%s: compression method %d, which leakdiag does not read (deflate or none)", name, f.Method)
	}
	e := &zipEntry{r: data, src: src, f: f, name: name, note: note, crc: crc32.NewIEEE()}
	total := &a.expanded
	if a.read[f] {
		total = nil // counted the first time
	}
	if a.read == nil {
		a.read = map[*zip.File]bool{}
	}
	a.read[f] = true
	guarded := newBombGuard(e, name, a.lim, func() int64 { return src.n }, total)
	br := bufio.NewReaderSize(guarded, bufSize(f.UncompressedSize64))
	if magic, _ := br.Peek(2); isGzip(magic) {
		gz, err := newGzipReader(br, name, a.lim, note, nil)
		if err != nil {
			closer.Close()
			return nil, err
		}
		return readCloser{gz, closer}, nil
	}
	return readCloser{br, closer}, nil
}

// zipEntry is the content of one entry. An entry cut short or damaged
// ends where it breaks, and one whose content does not match its
// recorded size and checksum is said to be damaged, each with a
// diagnostic: what was read is kept.
type zipEntry struct {
	r    io.Reader
	src  *byteCounter
	f    *zip.File
	name string
	note noteFunc
	crc  hash.Hash32
	n    uint64
	done bool
}

func (e *zipEntry) Read(p []byte) (int, error) {
	if e.done {
		return 0, io.EOF
	}
	n, err := e.r.Read(p)
	e.crc.Write(p[:n])
	e.n += uint64(n)
	switch {
	case err == nil:
		return n, nil
	case e.src.err != nil:
		return n, fmt.Errorf("%s: %w", e.name, e.src.err)
	case err != io.EOF:
		e.stop("the entry is %s at byte %d of its compressed data, after %d bytes (%v): the capture ends there", brokenHow(err), e.src.n, e.n, err)
		return n, io.EOF
	}
	e.done = true
	switch {
	case e.n != e.f.UncompressedSize64:
		e.stop("the entry holds %d bytes, not the %d its record says: it is damaged or cut short", e.n, e.f.UncompressedSize64)
	case e.crc.Sum32() != e.f.CRC32:
		e.stop("the entry's content fails its checksum (%#08x, not %#08x): it may be damaged", e.crc.Sum32(), e.f.CRC32)
	}
	return n, io.EOF
}

func (e *zipEntry) stop(format string, args ...any) {
	e.done = true
	if e.note != nil {
		off, _ := e.f.DataOffset()
		e.note(facts.Diagnostic{Path: e.name, Offset: max(e.src.n, 1), Severity: facts.SevWarning, Code: CodeTruncatedStream,
			Message: fmt.Sprintf(format, args...) + fmt.Sprintf(" (its data starts at byte %d of the archive)", off)})
	}
}

// skippedEntry: entries that are never captures.
func skippedEntry(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, ".") || base == "Thumbs.db"
}
