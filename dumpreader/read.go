package dumpreader

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/leakdiag/leakdiag/dumpreader/internal/filetable"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/dumpreader/kd"
	"github.com/leakdiag/leakdiag/dumpreader/lsof"
	"github.com/leakdiag/leakdiag/facts"
)

// Options tune reading.
type Options struct {
	// Format forces a format instead of detecting it from the content.
	Format Format
	// Stdin is read for the path "-", named "<stdin>" in positions.
	Stdin io.Reader
	// Limits bound what gzip and zip captures may expand to.
	Limits Limits
	// Quoter, if set, records each text capture read from a file, so that
	// findings can quote its lines and no other file's (standard input
	// cannot be read again, and is not recorded).
	Quoter *Quoter
	// Context, when done, stops the reading (leakdiag interrupted) with
	// its error, temporary files removed. nil means never.
	Context context.Context
	// Workers is how many goroutines parse a kd capture, a Handle listing
	// or an lsof listing beside the one that reads it in order: 0 (or a negative number) picks one per core
	// (GOMAXPROCS) but the reader's own, none on one core; 1 reads on one
	// goroutine. The snapshot is the same for any value. On a machine whose
	// cores are all busy with other work, one goroutine is faster
	// (bench/README.md).
	Workers int
	// ChunkSize is the size of the pieces a capture is cut into for the
	// workers, 0 for the default; tests make it tiny.
	ChunkSize int
	// plain says the capture being read is a plain file (not compressed,
	// no archive entry), which quoting can read by offset.
	plain bool
	// gz is the gzip stream of the capture being read when it is a gzip
	// file, whose checkpoints quote it (gzipindex.go).
	gz *gzipStream
}

// workers returns the number of parse workers opts asks for, 0 for none.
func (opts Options) workers() int {
	switch {
	case opts.Workers <= 0 && runtime.GOMAXPROCS(0) > 1:
		return max(1, runtime.GOMAXPROCS(0)-1)
	case opts.Workers > 1:
		return opts.Workers
	}
	return 0
}

// ErrUnknownFormat is returned (wrapped, with the path) for input that is
// none of the formats leakdiag reads.
var ErrUnknownFormat = errors.New("unknown capture format")

// ReadFile reads the capture at path into a snapshot.
func ReadFile(path string, opts Options) (*facts.Snapshot, error) {
	return ReadFiles([]string{path}, opts)
}

// ReadFiles reads captures of one machine (a `!process 0 0` log and a
// `!handle` log of the same dump, say) into one snapshot. A gzip file is
// decompressed and the files of a zip archive are read as pieces of the
// capture, within opts.Limits. A snapshot JSON file is a whole snapshot
// already and must be read on its own.
func ReadFiles(paths []string, opts Options) (*facts.Snapshot, error) {
	snaps, err := readCaptures(paths, opts, false)
	if err != nil {
		return nil, err
	}
	if len(snaps) > 1 {
		return nil, fmt.Errorf("%s: %d snapshots, a series of captures: read it with ReadSeries", strings.Join(paths, ", "), len(snaps))
	}
	return snaps[0], nil
}

// readCaptures reads the files of one capture into one snapshot, or
// returns the snapshots a snapshot JSON file holds whole (several in a
// series file). With series, a capture of one file that shows earlier
// captures of its processes (facts.Builder.Earlier: a tool's output
// pasted before and after a test) is the series of them.
func readCaptures(paths []string, opts Options, series bool) ([]*facts.Snapshot, error) {
	var all []part
	var archives closers
	defer func() { archives.Close() }()
	for _, p := range paths {
		if p == "-" && opts.Stdin != nil {
			all = append(all, part{name: "<stdin>"})
			continue
		}
		ps, archive, err := parts(p, opts.Limits)
		if err != nil {
			return nil, err
		}
		if archive != nil {
			archives = append(archives, archive)
		}
		all = append(all, ps...)
	}
	b := facts.NewBuilder()
	selfTyped := 0 // parts whose traces were typed from their own table
	for _, p := range all {
		if isMinidumpPart(p, opts) {
			selfTyped++
		}
		snaps, err := readPart(b, p, opts, len(all))
		if err != nil {
			return nil, err
		}
		if len(snaps) > 0 {
			return snaps, nil
		}
	}
	if selfTyped < len(all) {
		if err := matchTraces(b, all, opts); err != nil {
			return nil, err
		}
	}
	snap := b.Snapshot()
	if series && len(all) == 1 {
		if earlier := b.EarlierSnapshots(); len(earlier) > 0 {
			return append(earlier, snap), nil
		}
	}
	return []*facts.Snapshot{snap}, nil
}

// matchTraces gives `!htrace` stacks the types the captures' handle
// tables show for their handles. A Builder keeps no handle after counting
// it, and traces and tables come in either order, so the files are read
// a second time, noting only the traced handles; this happens only for
// captures that have both, and standard input is not read again.
func matchTraces(b *facts.Builder, all []part, opts Options) error {
	want := b.TracedHandles()
	if len(want) == 0 {
		return nil
	}
	lookup := facts.NewBuilder()
	lookup.ExpectHandles(want)
	for _, p := range all {
		if p.open == nil {
			continue // standard input
		}
		if _, err := readPart(lookup, p, opts, len(all)); err != nil {
			return err
		}
	}
	b.AttachHandleInfo(lookup.ExpectedHandles())
	return nil
}

// readPart reads one capture into b (standard input when p has no
// opener). A large file is read ahead on another goroutine, so reading
// and parsing overlap where there is a second core.
//
// The diagnostics of the part's container (a gzip stream cut short) are
// added to b; when the reading fails, the error says them too.
func readPart(b *facts.Builder, p part, opts Options, nparts int) (snaps []*facts.Snapshot, err error) {
	notes := append([]facts.Diagnostic(nil), p.notes...)
	note := func(d facts.Diagnostic) { notes = append(notes, d) }
	defer func() {
		for _, d := range notes {
			if err != nil {
				err = fmt.Errorf("%w (%s: %s)", err, d.Where(), d.Message)
				continue
			}
			b.AddDiagnostic(d)
		}
	}()
	if p.open == nil {
		r, err := maybeGunzip(opts.Stdin, p.name, opts.Limits, note)
		if err != nil {
			return nil, err
		}
		opts.Quoter = nil // "<stdin>" names no file
		return readInto(b, withContext(opts, r), p.name, opts, nparts)
	}
	if p.plain && isMinidumpPart(p, opts) {
		return nil, readMinidumpFile(b, p.name)
	}
	rc, err := p.open(note)
	if err != nil {
		return nil, err
	}
	opts.plain = p.plain
	opts.gz = gzipStreamOf(rc)
	defer rc.Close()
	var r io.Reader = rc
	if f, ok := rc.(readCloser); ok {
		if file, ok := f.Closer.(*os.File); ok {
			// A parallel read cuts the capture on a goroutine of its own,
			// which reads ahead already: a prefetcher there only copies
			// (measured on 550 MB: the same time, 6 MB more memory).
			if st, err := file.Stat(); err == nil && st.Size() > 8<<20 && f.Reader != nil && opts.workers() == 0 {
				pf := newPrefetcher(rc, 1<<20, 4)
				defer pf.Close()
				r = pf
			}
		}
	}
	return readInto(b, withContext(opts, r), p.name, opts, nparts)
}

// withContext makes r stop when opts.Context is done.
func withContext(opts Options, r io.Reader) io.Reader {
	if opts.Context == nil {
		return r
	}
	return ctxReader{opts.Context, r}
}

// isMinidumpPart: a plain file that is a minidump (read by offsets), or a
// part forced to be one.
func isMinidumpPart(p part, opts Options) bool {
	if opts.Format == FormatMinidump {
		return true
	}
	if opts.Format != "" || !p.plain {
		return false
	}
	magic, err := fileMagic(p.name)
	return err == nil && string(magic) == "MDMP"
}

// maybeGunzip decompresses standard input when it is gzip.
func maybeGunzip(r io.Reader, name string, lim Limits, note noteFunc) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	switch {
	case isGzip(magic):
		return newGzipReader(br, name, lim.withDefaults(), note, nil)
	case isZip(magic):
		return nil, fmt.Errorf("%s: a zip archive; give it as a file, not on standard input", name)
	}
	return br, nil
}

// ReadSeries reads the captures of a series: each path one capture, or
// one path that holds several (a series file, as `leakdiag collect
// --count K` writes), in the order given.
func ReadSeries(paths []string, opts Options) ([]*facts.Snapshot, error) {
	if len(paths) == 1 {
		return readCaptures(paths, opts, true)
	}
	var out []*facts.Snapshot
	for _, p := range paths {
		snap, err := ReadFiles([]string{p}, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, snap)
	}
	return out, nil
}

// Read reads one capture from r; name is the path diagnostics and
// positions give.
func Read(r io.Reader, name string, opts Options) (*facts.Snapshot, error) {
	b := facts.NewBuilder()
	opts.Quoter = nil // name is no file this function opened
	opts.Stdin = r
	snaps, err := readPart(b, part{name: name}, opts, 1)
	switch {
	case err != nil:
		return nil, err
	case len(snaps) == 1:
		return snaps[0], nil
	case len(snaps) > 1:
		return nil, fmt.Errorf("%s: %d snapshots, a series of captures: read it with ReadSeries", name, len(snaps))
	}
	return b.Snapshot(), nil
}

// readInto reads one capture into b, or returns the snapshots a snapshot
// JSON file holds whole (several in a series file).
func readInto(b *facts.Builder, r io.Reader, name string, opts Options, nfiles int) ([]*facts.Snapshot, error) {
	br := bufio.NewReaderSize(r, scan.SniffLen)
	head, err := br.Peek(scan.SniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	format := opts.Format
	if format == "" {
		format = Detect(head)
	}
	if f := lookup(format); f != nil && f.read != nil && (f.readSeries == nil || nfiles > 1) {
		return nil, readText(b, br, head, name, f, opts)
	}
	if f := lookup(format); f != nil && f.readSeries != nil {
		if nfiles > 1 {
			return nil, fmt.Errorf("%s: a %s holds a series of captures and must be read on its own", name, format)
		}
		opts.Quoter.record(name, nil, nil) // quoted by reading it again
		return readSeriesText(br, head, name, f)
	}
	switch format {
	case FormatSnapshot:
		if nfiles > 1 {
			return nil, fmt.Errorf("%s: a snapshot file holds a whole capture and must be read on its own", name)
		}
		snaps, err := facts.NewJSONDecoder(br, name).All()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return snaps, nil
	case FormatMinidump:
		return nil, readMinidumpStream(b, br, name, opts.Limits)
	case "":
		return nil, fmt.Errorf("%s: %w (none of the formats leakdiag reads: %v)", name, ErrUnknownFormat, Formats())
	}
	return nil, fmt.Errorf("%s: %w %q (known: %v)", name, ErrUnknownFormat, format, Formats())
}

// readText reads a text capture in whatever encoding it came in.
func readText(b *facts.Builder, r io.Reader, head []byte, name string, format *format, opts Options) error {
	log := facts.NewSourceLog(name, string(format.name))
	r, enc, err := decoded(r, head, name)
	if err != nil {
		return err
	}
	// A plain UTF-8 file is indexed for quoting by offset (quoteindex.go),
	// and so is the text of a gzip file (gzipindex.go).
	var idx *indexer
	if opts.Quoter != nil && (opts.plain || opts.gz != nil) && enc == encUTF8 {
		_, bom := sniffEncoding(head)
		idx = newIndexer(r, int64(bom))
		r = idx
	}
	if w := opts.workers(); w > 0 && format.readWith != nil {
		err = format.readWith(b, log, r, w, opts.ChunkSize)
	} else {
		err = format.read(b, log, r)
	}
	if enc != encUTF8 && log.Lines.Total > 0 {
		// Said once something was read: a byte-order mark alone has no
		// line to say it of.
		log.Diag(1, facts.SevInfo, facts.CodeEncoding, "decoded from %s (as %s writes)", enc, format.utf16)
	}
	b.AddSource(log)
	switch {
	case idx == nil || err != nil:
		opts.Quoter.record(name, nil, nil)
	case opts.gz != nil:
		if gz := opts.gz.quoteIndex(); gz != nil {
			opts.Quoter.record(name, idx.index(), gz)
		} else {
			opts.Quoter.record(name, nil, nil)
		}
	default:
		opts.Quoter.record(name, idx.index(), nil)
	}
	if err != nil {
		return fmt.Errorf("%s: line %d: %w", name, log.Lines.Total, err)
	}
	return nil
}

// isSnapshotText reports whether text, a capture's head decoded and
// trimmed of leading white space, is leakdiag's snapshot JSON.
func isSnapshotText(text []byte) bool {
	return len(text) > 0 && text[0] == '{' && bytes.Contains(text, []byte(`"schema_version"`))
}

// headText is the head of a capture as the text sniffs read it: without
// a byte order mark, UTF-16 decoded to UTF-8.
func headText(head []byte) []byte {
	enc, bom := sniffEncoding(head)
	text := head[bom:]
	if enc != encUTF8 {
		text, _ = io.ReadAll(newUTF16Reader(bytes.NewReader(text[:len(text)&^1]), enc == encUTF16BE))
	}
	return text
}

// decoded returns r as UTF-8 text, past its byte-order mark, and the
// encoding it came in.
func decoded(r io.Reader, head []byte, name string) (io.Reader, textEncoding, error) {
	enc, bom := sniffEncoding(head)
	if bom > 0 {
		if _, err := io.CopyN(io.Discard, r, int64(bom)); err != nil {
			return nil, enc, fmt.Errorf("%s: %w", name, err)
		}
	}
	if enc != encUTF8 {
		r = newUTF16Reader(r, enc == encUTF16BE)
	}
	return r, enc, nil
}

// readSeriesText reads a text capture that is a series: a snapshot per
// capture, each with the source, the last with its diagnostics (the last
// of each host's, when the capture holds the series of several hosts one
// after another).
func readSeriesText(r io.Reader, head []byte, name string, format *format) ([]*facts.Snapshot, error) {
	log := facts.NewSourceLog(name, string(format.name))
	r, enc, err := decoded(r, head, name)
	if err != nil {
		return nil, err
	}
	snaps, err := format.readSeries(log, r)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", name, log.Lines.Total, err)
	}
	if enc != encUTF8 && log.Lines.Total > 0 {
		log.Diag(1, facts.SevInfo, facts.CodeEncoding, "decoded from %s (as %s writes)", enc, format.utf16)
	}
	src, diags := log.Source(), log.Diagnostics()
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Line < diags[j].Line })
	for i, s := range snaps {
		s.Sources = append(s.Sources, src)
		if i == len(snaps)-1 || !strings.EqualFold(snaps[i+1].Host, s.Host) {
			s.Diagnostics = append(s.Diagnostics, diags...) // the last of its host's series
		}
	}
	return snaps, nil
}

// isMarkupMacro reports whether text, which starts with "{", starts with
// a wiki's markup instead of JSON: Jira's and Confluence's {code},
// {code:bash} or {noformat}, which a capture pasted from a ticket keeps
// around its lines. JSON's "{" is followed by a blank, a quote or "}",
// never by a letter.
func isMarkupMacro(text []byte) bool {
	return len(text) > 1 && (text[1] >= 'a' && text[1] <= 'z' || text[1] >= 'A' && text[1] <= 'Z')
}

// Detect tells the format of a capture from its first bytes (up to 64 KiB
// is enough), or returns "" when it is none leakdiag reads. It goes down
// the table of formats: binary magics first, then snapshot JSON, then the
// text formats whose text may hold NULs, then (text with NULs being
// binary) the strict sniffs, and the loose ones last: Handle's output is
// recognized by what only it prints; kd text by any line the kd reader
// parses, which is the looser test.
func Detect(head []byte) Format {
	for _, f := range formats {
		if f.magic != "" && bytes.HasPrefix(head, []byte(f.magic)) {
			return f.name
		}
	}
	text := headText(head)
	if t := bytes.TrimLeft(text, " \t\r\n"); len(t) > 0 && t[0] == '{' && !isMarkupMacro(t) {
		if isSnapshotText(t) {
			return FormatSnapshot
		}
		for _, f := range formats {
			if f.json && f.sniff(t, len(head) >= scan.SniffLen) {
				return f.name
			}
		}
		if first, _, _ := bytes.Cut(t, []byte{'\n'}); kd.IsGoTestEvent(scan.TrimSpace(first)) && kd.Sniff(text, len(head) >= scan.SniffLen) {
			// A Go test suite's `go test -json` log, one event a line,
			// of the cdb session it ran: JSON no format reads, the
			// session's text kd's.
			return FormatKD
		}
		return ""
	}
	cut := len(head) >= scan.SniffLen
	for _, f := range formats {
		if f.sniff != nil && f.nul && !f.json && f.sniff(text, cut) {
			return f.name
		}
	}
	if bytes.IndexByte(text, 0) >= 0 {
		return "" // binary
	}
	// A capture whose first line is a debugger's prompt with a command is
	// a session from its start: the strict sniffs below would give way to
	// kd anyway (startsAsSession), so they are not run.
	if first, _, _ := bytes.Cut(text, []byte{'\n'}); kd.SessionStart(first) == 0 && kd.Sniff(text, cut) {
		return FormatKD
	}
	for _, loose := range []bool{false, true} {
		for _, f := range formats {
			if f.sniff != nil && !f.nul && !f.json && f.loose == loose && f.sniff(text, cut) {
				if !loose && startsAsSession(text, cut, f) {
					return FormatKD
				}
				return f.name
			}
		}
	}
	if lsof.SniffCount(text) {
		// Nothing but the count `lsof | wc -l` printed: read to say it
		// is no descriptor count (after every other format: a capture
		// that holds one besides is that one's).
		return FormatLsof
	}
	if filetable.Sniff(text) {
		// A Linux machine's file table alone (file-nr, the kernel's
		// file-max messages), read by the /proc reader, which reads it
		// beside listings too.
		return FormatProcFD
	}
	return ""
}

// startsAsSession reports whether text, which f's sniff claims, is rather
// a debugger session that another tool's output was pasted into: a
// prompt with a command comes before anything f's sniff needs, and the
// debugger's lines from there are read as such. Such a log (cdb's !handle,
// then Handle's listing of the same process) is mostly the debugger's;
// read as f, every line of the session was unrecognized.
func startsAsSession(text []byte, cut bool, f format) bool {
	p := kd.SessionStart(text)
	return p >= 0 && !f.sniff(text[:p], false) && kd.Sniff(text[p:], cut)
}
