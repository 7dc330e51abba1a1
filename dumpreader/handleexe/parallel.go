package handleexe

import (
	"bufio"
	"bytes"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// ReadWith is Read on par.Workers goroutines besides the caller's (below
// 1, Read itself), the capture cut in pieces of par.ChunkSize. With
// workers, the lines that make up most of a listing (one handle each) are
// parsed on the workers, each on its own, and the reader runs over the
// lines in order on the caller's goroutine, taking each parsed line as it
// is and reading any other line itself. A listing line is read the same in
// any state (line tries it first), so the facts, line numbers, diagnostics
// and accounting are Read's, for any split. CSV output (-v, a CSV header
// among the first lines) is read by the reader alone: the workers have
// nothing to take from its rows and would only cost (bench/README.md).
func ReadWith(b *facts.Builder, log *facts.SourceLog, r io.Reader, par scan.Parallel) error {
	h := newHandleExeReader(b, log)
	if par.Workers < 1 {
		return h.read(r)
	}
	br := bufio.NewReaderSize(r, csvHead)
	if head, _ := br.Peek(csvHead); hasCSVHeader(head) && !par.Wait {
		return h.read(br)
	}
	r = br
	last, unterminated, err := scan.ReadLinesParallel(r, h.log, &h.lineNo, &h.clean, par, newPrepper, h.readPrepared)
	return h.end(last, unterminated, err)
}

// csvHead is how much of a capture ReadWith looks at for CSV output.
const csvHead = 64 << 10

// hasCSVHeader reports whether a line of head is the header of Handle's
// CSV output.
func hasCSVHeader(head []byte) bool {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if _, _, ok := parseHandleExeCSVHeader(scan.TrimSpace(line)); ok {
			return true
		}
	}
	return false
}

// preEntry is a listing line as a worker parsed it.
type preEntry struct {
	ok        bool
	typical   bool
	value     uint64
	typ, name string
}

// prepper parses listing lines on a worker, with interners of its own:
// they make the same strings of the same bytes as the reader's.
type prepper struct {
	types, names stringIntern
}

// internLimit bounds the strings each of a worker's interners keeps:
// they are caches, and a listing may hold millions of distinct names. Once
// full, an interner keeps what it holds and makes a string of any other
// value each time: emptying it would cost more than the names it makes.
const internLimit = 1 << 14

func newPrepper() func(raw []byte, out *preEntry) {
	p := &prepper{}
	p.types.limit, p.names.limit = internLimit, internLimit
	return p.prepare
}

// prepare parses raw as readLine would, where it is a listing line that
// needs no repair (the cleaner would only trim it, and no comment marker
// starts it); any other line is left to the reader.
func (p *prepper) prepare(raw []byte, out *preEntry) {
	if scan.NeedsRepair(raw) {
		return
	}
	line := scan.TrimSpace(raw)
	if len(line) == 0 || !scan.IsHexDigit(line[0]) {
		return
	}
	e, ok := parseHandleExeEntry(line)
	if !ok {
		return
	}
	*out = preEntry{ok: true, typical: typicalHandleExeEntry(e), value: e.value}
	if len(e.typ) > 0 {
		out.typ = p.types.get(e.typ)
	}
	if len(e.name) > 0 {
		out.name = p.names.get(e.name)
	}
}

// readPrepared reads one line as readLine does, taking the worker's parse
// of a listing line.
func (h *handleExeReader) readPrepared(raw []byte, pre *preEntry) scan.LineKind {
	if !pre.ok {
		return h.readLine(raw)
	}
	h.lastHandle = false
	h.trailingBlank = raw[len(raw)-1] == ' ' || raw[len(raw)-1] == '\t'
	h.listed(pre.value, pre.typ, pre.name, pre.typical)
	return scan.Parsed
}
