package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// The default lsof listing: a header, then one row per open file, its
// columns padded to the widest value of the whole listing. COMMAND,
// TASKCMD, ZONE, SECURITY-CONTEXT and NAME are left-aligned, the others
// right-aligned; the FD number is right-aligned on the header's "FD" and
// followed by its access and lock characters. So where a row keeps the
// header's spacing, every value is where the header puts it, and an
// empty column (DEVICE and SIZE/OFF of some sockets, TID of a process's
// own rows, everything but NAME after NOFD) is seen to be empty. Where
// the spacing was lost (collapsed by a paste, or a row without its
// header, as `lsof | grep` prints), the row is read by the shapes of its
// values instead.

// lsofSpan is where a blank-separated token of a line starts and ends.
type lsofSpan struct{ start, end int }

// lsofSpans splits line at runs of blanks into dst (reused).
func lsofSpans(line []byte, dst []lsofSpan) []lsofSpan {
	dst = dst[:0]
	for i := 0; i < len(line); {
		for i < len(line) && scan.IsSpace(line[i]) {
			i++
		}
		j := i
		for j < len(line) && !scan.IsSpace(line[j]) {
			j++
		}
		if j > i {
			dst = append(dst, lsofSpan{i, j})
		}
		i = j
	}
	return dst
}

// lsofHeader holds the columns of the latest header: where each
// right-aligned column ends and each left-aligned one starts. A column
// the header lacks is 0 (-1 for ppidIdx).
type lsofHeader struct {
	lsofColumns
	others []int // ends of the columns between TYPE and NAME but DEVICE, SIZE/OFF and NODE
}

// lsofColumns are the columns of a header but others: comparable, so
// that two headers can be told apart.
type lsofColumns struct {
	ok               bool
	pidEnd           int
	tidEnd           int
	taskStart        int
	fixed            int // columns between TASKCMD and USER: ZONE, SECURITY-CONTEXT, PPID, PGID
	ppidIdx          int // which of those is PPID
	userEnd, fdEnd   int
	typeEnd          int
	devEnd, sizeEnd  int
	nodeEnd          int
	nameStart        int
	between          int // how many columns lie between TYPE and NAME
	tidCol, taskCols bool
	// nlink says the columns between TYPE and NAME are DEVICE SIZE/OFF
	// NLINK NODE (lsof +L, +L1), so that a row whose blanks were
	// collapsed (a header pasted out of alignment) still gives each
	// number its column.
	nlink bool
}

// headerLine reads a listing's header, whose columns the rows after it
// follow.
func (r *lsofReader) headerLine(line []byte) bool {
	if !scan.HasPrefix(line, "COMMAND") {
		return false
	}
	sp := lsofSpans(line, r.spans)
	r.spans = sp
	h, ok := parseLsofHeader(line, sp)
	if !ok {
		return false
	}
	r.endSet()
	r.setHeader(h)
	r.foreign = ""
	r.ev.header++
	if r.listingRows > 0 && r.repeats == 0 {
		// A second listing pasted under its own header, no command
		// between (lsof -r's repetitions are one listing).
		r.listing, r.listingRows = r.listing+1, 0
	}
	return true
}

// parseLsofHeader reads a header: COMMAND PID, the optional TID TASKCMD
// ZONE SECURITY-CONTEXT PPID PGID, USER FD TYPE, the optional FILE-ADDR
// FCT FILE-FLAG NODE-ID, DEVICE, SIZE/OFF (SIZE with -s, OFFSET with
// -o), the optional NLINK, NODE NAME.
func parseLsofHeader(line []byte, sp []lsofSpan) (lsofHeader, bool) {
	h := lsofHeader{lsofColumns: lsofColumns{ppidIdx: -1}}
	tok := func(i int) string { return string(line[sp[i].start:sp[i].end]) }
	if len(sp) < 9 || tok(0) != "COMMAND" || tok(1) != "PID" || tok(len(sp)-1) != "NAME" {
		return h, false
	}
	h.pidEnd = sp[1].end
	i := 2
	for ; i < len(sp); i++ {
		switch tok(i) {
		case "TID":
			h.tidEnd, h.tidCol = sp[i].end, true
			continue
		case "TASKCMD":
			h.taskStart, h.taskCols = sp[i].start, true
			continue
		case "ZONE", "SECURITY-CONTEXT", "PGID":
			h.fixed++
			continue
		case "PPID":
			h.ppidIdx = h.fixed
			h.fixed++
			continue
		}
		break
	}
	if i+3 > len(sp) || tok(i) != "USER" || tok(i+1) != "FD" || tok(i+2) != "TYPE" {
		return h, false
	}
	h.userEnd, h.fdEnd, h.typeEnd = sp[i].end, sp[i+1].end, sp[i+2].end
	h.nlink = len(sp)-1-(i+3) == 4 && tok(i+3) == "DEVICE" && tok(i+5) == "NLINK" && tok(i+6) == "NODE"
	for i += 3; i < len(sp)-1; i++ {
		switch tok(i) {
		case "DEVICE":
			h.devEnd = sp[i].end
		case "SIZE/OFF", "SIZE", "OFFSET":
			h.sizeEnd = sp[i].end
		case "NODE":
			h.nodeEnd = sp[i].end
		case "FILE-ADDR", "FCT", "FILE-FLAG", "NODE-ID", "NLINK":
			h.others = append(h.others, sp[i].end)
		default:
			return h, false
		}
		h.between++
	}
	if h.devEnd == 0 || h.sizeEnd == 0 || h.nodeEnd == 0 {
		return h, false
	}
	h.nameStart = sp[len(sp)-1].start
	h.ok = true
	return h, true
}

// lsofFile is what a listing row or a -F file set says about one open
// file. The slices are valid until the next line (a row) or the next
// file set (fields).
type lsofFile struct {
	line  int64
	fd    []byte
	typ   []byte
	dev   []byte // the DEVICE column or D field, nil when not shown
	size  []byte // the SIZE/OFF column or s field: a size, or an offset (0t..., 0x...)
	node  []byte // the NODE column or i field: an inode, or a protocol
	name  []byte
	proto []byte // the protocol of an Internet socket (NODE, or a P field)
	state []byte // the TCP state of a T field (TST=)
	// nameless says lsof was not asked for names (a -F field set without
	// n): such a file is neither named nor unnamed as far as it shows.
	nameless bool
}

// lsofRow is one row of the listing.
type lsofRow struct {
	cmd []byte
	pid uint64
	tid bool
	// extra is the lone number between PID and USER of a row without a
	// header, read as a TID unless extraColumn finds it a column.
	extra   []byte
	ppid    uint64
	hasPPID bool
	file    lsofFile
	// numbers counts the DEVICE, SIZE/OFF and NODE values of a row read
	// by its shapes (a protocol in NODE included), which tell a row from
	// text that merely starts like one.
	numbers int
	// elided says an author replaced columns of the row by "..." (elided.go).
	elided bool
}

// rowLine reads a row of the listing, with or without a header before it.
func (r *lsofReader) rowLine(line []byte) (scan.LineKind, bool) {
	sp := lsofSpans(line, r.spans)
	r.spans = sp
	var row lsofRow
	if !r.hdr.parseRow(line, sp, &row) {
		return 0, false
	}
	return r.takeRow(&row, nil), true
}

// takeRow adds what a row says; k is the kind of its file where a worker
// mapped it already, else nil.
func (r *lsofReader) takeRow(row *lsofRow, k *lsofKind) scan.LineKind {
	r.endSet()
	r.foreign = ""
	r.rowLast = true
	r.wrap.rowIndent, r.wrap.folded = r.wrap.indent, false
	r.wrap.rowTaken()
	if r.hdr.ok {
		r.ev.rows++
	} else if row.typical() {
		r.ev.bare++
	}
	if row.elided {
		r.noteElided()
	}
	column := false
	if row.tid {
		if column = r.extraColumn(row); !column && !r.threadOnly(row) {
			r.thread(row.pid)
			return scan.Ignored
		}
	}
	p := r.proc(row.pid, row.cmd)
	if !row.tid || column {
		p.own = true
	}
	if column && p.extra == "" {
		p.extra = string(row.extra)
	}
	if row.hasPPID {
		p.pb.P.PPID = row.ppid
	}
	row.file.line = r.lineNo
	r.addFileKind(p, &row.file, k)
	return scan.Parsed
}

// parseRow reads line as a row, where the columns of h (the latest
// header, zero when there is none) fit it, or by the shapes of its values.
func (h *lsofHeader) parseRow(line []byte, sp []lsofSpan, row *lsofRow) bool {
	if len(sp) < 4 {
		return false
	}
	pid, ok := scan.ParseDec(line[sp[1].start:sp[1].end])
	if !ok || line[sp[1].end-1] == '.' || pid <= 0 {
		return false
	}
	row.cmd = line[sp[0].start:sp[0].end]
	row.pid = uint64(pid)
	if elided, ok := h.elidedRow(line, sp, row); elided {
		return ok
	}
	if h.ok && h.alignedRow(line, sp, row) {
		return true
	}
	return h.shapedRow(line, sp, row)
}

// alignedRow reads a row whose values sit in the header's columns.
func (h *lsofHeader) alignedRow(line []byte, sp []lsofSpan, row *lsofRow) bool {
	if len(line) <= h.nameStart || line[h.nameStart-1] != ' ' || line[h.nameStart] == ' ' {
		return false
	}
	n := 0
	for n < len(sp) && sp[n].start < h.nameStart {
		n++
	}
	head := sp[:n]
	if len(head) < 4 || head[0].start != 0 || head[1].end != h.pidEnd {
		return false
	}
	tok := func(s lsofSpan) []byte { return line[s.start:s.end] }
	i := 2
	if h.tidCol && head[i].end == h.tidEnd && scan.AllDigits(tok(head[i])) {
		row.tid = true
		i++
		if h.taskCols && i < len(head) && head[i].start == h.taskStart {
			i++
		}
	}
	for j := 0; j < h.fixed; j++ {
		if i >= len(head) {
			return false
		}
		if j == h.ppidIdx {
			v, ok := scan.ParseDec(tok(head[i]))
			if !ok {
				return false
			}
			row.ppid, row.hasPPID = uint64(v), true
		}
		i++
	}
	if i+1 >= len(head) || head[i].end != h.userEnd {
		return false
	}
	i++
	fd := head[i]
	if fd.start >= h.fdEnd || fd.end < h.fdEnd || fd.end > h.fdEnd+2 || !lsofFDShape(tok(fd), true) {
		return false
	}
	f := &row.file
	f.fd = lsofFDText(tok(fd))
	for i++; i < len(head); i++ {
		switch s := head[i]; {
		case s.end == h.typeEnd:
			f.typ = tok(s)
		case s.end == h.devEnd:
			f.dev = tok(s)
		case s.end == h.sizeEnd:
			f.size = tok(s)
		case s.end == h.nodeEnd:
			f.node = tok(s)
		case containsInt(h.others, s.end):
		default:
			return false
		}
	}
	f.name = line[h.nameStart:]
	if isInetType(f.typ) {
		f.proto = f.node
	}
	return true
}

// CodeExtraColumn: rows without a header carry a number between PID and
// USER in every row of a process: a column (lsof -R's PPID, -g's PGID),
// not a thread's TID.
const CodeExtraColumn = "extra-column"

// extraColumn reports whether the number between PID and USER of a row
// without a header is a column every row of the process has (the PPID
// of lsof -R, the PGID of -g) rather than a thread's TID. lsof lists a
// process's own rows, without a TID, before its threads' (and a grep
// that keeps a thread's row keeps the process's row of the same
// descriptor), so a process whose first row has the number has it in
// every row; only the same number goes on with it.
func (r *lsofReader) extraColumn(row *lsofRow) bool {
	if row.extra == nil {
		return false
	}
	p := r.procs[row.pid]
	if p != nil {
		return p.extra != "" && p.extra == string(row.extra)
	}
	if !r.extraNoted {
		r.extraNoted = true
		r.log.Diag(r.lineNo, facts.SevInfo, CodeExtraColumn,
			"pid %d has a number between PID and USER in its first row: read as a column of every row (lsof -R's PPID or -g's PGID), not as threads' TIDs; if it is one thread's TID (a listing cut to that thread's rows), the rows are still the process's descriptors, counted once", row.pid)
	}
	return true
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// shapedRow reads a row by the shapes of its values: COMMAND PID, then
// the optional TID and TASKCMD of a thread's row and the columns the
// header adds, USER, an FD, then TYPE, up to three numbers (DEVICE,
// SIZE/OFF, NODE; a protocol in NODE for Internet sockets) and the NAME,
// which may hold blanks.
func (h *lsofHeader) shapedRow(line []byte, sp []lsofSpan, row *lsofRow) bool {
	tok := func(i int) []byte { return line[sp[i].start:sp[i].end] }
	base := 3 // COMMAND PID USER
	if h.ok {
		base += h.fixed
	}
	fdAt := -1
	switch {
	case base < len(sp) && lsofFDShape(tok(base), false):
		fdAt = base
	case !scan.AllDigits(tok(2)):
	case (!h.ok || h.taskCols) && base+2 < len(sp) && !scan.AllDigits(tok(3)) && lsofFDShape(tok(base+2), false):
		fdAt, row.tid = base+2, true
	case (!h.ok || h.tidCol) && base+1 < len(sp) && lsofFDShape(tok(base+1), false):
		fdAt, row.tid = base+1, true
		if !h.ok {
			row.extra = tok(2)
		}
	}
	if fdAt < 0 {
		return false
	}
	if h.ok && h.ppidIdx >= 0 {
		at := 2 + h.ppidIdx
		if row.tid {
			at += fdAt - base
		}
		if v, ok := scan.ParseDec(tok(at)); ok {
			row.ppid, row.hasPPID = uint64(v), true
		}
	}
	f := &row.file
	f.fd = lsofFDText(tok(fdAt))
	rest := sp[fdAt+1:]
	if string(f.fd) == "NOFD" {
		if len(rest) > 0 {
			f.name = line[rest[0].start:]
		}
		return true
	}
	if len(rest) == 0 || !lsofTypeShape(line[rest[0].start:rest[0].end]) {
		return false
	}
	f.typ = line[rest[0].start:rest[0].end]
	rest = rest[1:]
	inet := isInetType(f.typ)
	most := 3
	if h.ok {
		most = h.between
	}
	if inet {
		most--
	}
	val := func(k int) []byte { return line[rest[k].start:rest[k].end] }
	k := 0
	for k < most && k+1 < len(rest) && (lsofNumberShape(val(k)) || humanSizeShape(val(k))) {
		k++
	}
	nums := k
	if inet {
		if k+1 < len(rest) && lsofProtoShape(val(k)) {
			f.proto = val(k)
			k++
		}
	} else if (!h.ok || h.nlink) && k == most && nlinkShape(rest, val) {
		// DEVICE SIZE/OFF NLINK NODE: +L's link count (lsof +L1, the
		// usual hunt for deleted files) pasted without its header, or
		// under one its row does not line up with.
		f.dev, f.size, f.node = val(0), val(1), val(3)
		row.numbers = 4
		f.name = line[rest[4].start:]
		return true
	} else if k > 0 && scan.AllDigits(val(k-1)) {
		f.node = val(k - 1)
		nums--
	}
	if !h.ok || h.between == 3 {
		// DEVICE and SIZE/OFF before NODE (or the protocol), either of
		// them empty in some rows (DEL, netlink): a lone value is the
		// DEVICE when it has a comma (8,1), else SIZE/OFF.
		switch nums {
		case 2:
			f.dev, f.size = val(0), val(1)
		case 1:
			if t := val(0); bytes.IndexByte(t, ',') >= 0 {
				f.dev = t
			} else {
				f.size = t
			}
		}
	}
	row.numbers = k
	if k < len(rest) {
		f.name = line[rest[k].start:]
	}
	return true
}
