package lsof

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"sync/atomic"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// ReadWith is Read on par.Workers goroutines besides the caller's (below
// 1, Read itself), the capture cut in pieces of par.ChunkSize. With
// workers, the rows of a listing, which make up most of it, are parsed on
// the workers, each on its own under the latest header the reader has
// published, and their files mapped to kinds; the reader runs over the
// lines in order on the caller's goroutine, taking a parsed row where its
// own header is the one the row was parsed under and no -F set is being
// read, and reading any other line itself. The facts, line numbers,
// diagnostics and accounting are Read's, for any split. -F output (a p
// field among the first lines) is read by the reader alone: its lines are
// a field each, which say too little on their own for the workers to pay
// (bench/README.md).
func ReadWith(b *facts.Builder, log *facts.SourceLog, r io.Reader, par scan.Parallel) error {
	lr := newLsofReader(b, log)
	if par.Workers < 1 {
		return lr.read(r)
	}
	br := bufio.NewReaderSize(r, fieldsHead)
	if head, _ := br.Peek(fieldsHead); hasProcessField(head) && !par.Wait {
		return lr.read(br)
	}
	r = br
	lr.shared = new(atomic.Pointer[lsofHeader])
	lr.published = new(lsofHeader)
	lr.shared.Store(lr.published)
	newPrepare := func() func(raw []byte, out *preRow) {
		p := &prepper{hdr: lr.shared, kinder: newKinder()}
		p.types.Limit, p.names.Limit = internLimit, internLimit
		return p.prepare
	}
	last, unterminated, err := scan.ReadLinesParallel(r, lr.log, &lr.lineNo, &lr.clean, par, newPrepare, lr.readPrepared)
	return lr.end(last, unterminated, err)
}

// fieldsHead is how much of a capture ReadWith looks at for -F output.
const fieldsHead = 64 << 10

// hasProcessField reports whether a line of head is a -F p field.
func hasProcessField(head []byte) bool {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = scan.TrimSpace(line)
		if first, _, _ := bytes.Cut(line, []byte{0}); len(first) >= 2 && first[0] == 'p' && scan.AllDigits(first[1:]) {
			return true
		}
	}
	return false
}

// setHeader makes h the header rows are read under, and tells the
// workers of a parallel read.
func (r *lsofReader) setHeader(h lsofHeader) {
	r.hdr = h
	if r.shared != nil {
		r.published = &h
		r.shared.Store(r.published)
	}
}

// preRow is a line as a worker parsed it: a row, under header hdr.
type preRow struct {
	ok  bool
	hdr *lsofHeader
	row lsofRow
	// kind is the kind of the row's file, where it is a descriptor.
	kind    lsofKind
	hasKind bool
}

// prepper parses rows on a worker. Its interners are its own: they make
// the same strings of the same bytes as the reader's.
type prepper struct {
	hdr *atomic.Pointer[lsofHeader]
	kinder
	spans []lsofSpan
}

// internLimit bounds the strings each of a worker's interners keeps:
// they are caches, and a listing may hold millions of distinct names. Once
// full, an interner keeps what it holds (the names that come first, which
// repeat most in a listing of leaked names) and makes a string of any
// other each time: emptying it would cost more than the names it makes.
const internLimit = 1 << 14

// prepare parses raw as readLine would parse it outside a -F set, where
// it is a row that needs no repair (the cleaner would only trim it) under
// the header the reader published last. Any other line is left to the
// reader.
func (p *prepper) prepare(raw []byte, out *preRow) {
	if scan.NeedsRepair(raw) {
		return
	}
	line := scan.TrimSpace(raw)
	if len(line) == 0 || mayPrecedeRow(line) || len(unInlineCode(line)) != len(line) {
		return // the reader reads a line marked as inline code (inlinecode.go)
	}
	h := p.hdr.Load()
	p.spans = lsofSpans(line, p.spans)
	if !h.parseRow(line, p.spans, &out.row) {
		out.row = lsofRow{}
		return
	}
	out.ok, out.hdr = true, h
	if _, ok := lsofFDNumber(out.row.file.fd); ok && !out.row.tid {
		out.kind, out.hasKind = p.kind(&out.row.file), true
	}
}

// readPrepared reads one line as readLine does, taking the worker's parse
// of a row where the reader's state is the one it assumed: no -F set
// being read, the header it was parsed under.
func (r *lsofReader) readPrepared(raw []byte, pre *preRow) scan.LineKind {
	if !pre.ok || r.set.active || r.commented || r.fdList != nil || r.ps.cols != nil || !r.isHeader(pre.hdr) {
		return r.readLine(raw)
	}
	r.rowLast, r.wcCount, r.fdCount = false, false, nil
	r.chainCounts, r.chainDates = nil, 0
	r.wrap.indent, r.wrap.length = indentOf(raw), len(raw)
	var k *lsofKind
	if pre.hasKind {
		k = &pre.kind
	}
	return r.takeRow(&pre.row, k)
}

// isHeader reports whether h is the header rows are read under.
func (r *lsofReader) isHeader(h *lsofHeader) bool {
	if h == r.published {
		return true
	}
	return h.lsofColumns == r.hdr.lsofColumns && slices.Equal(h.others, r.hdr.others)
}
