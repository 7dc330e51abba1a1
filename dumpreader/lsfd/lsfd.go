package lsfd

import (
	"bytes"
	"io"
	"slices"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: the output of util-linux's lsfd.
const Name = "lsfd"

// processLimit bounds the processes one capture may list: hostile text
// could name millions.
const processLimit = 1 << 16

// reader reads lsfd's output one line at a time. A row says all there is
// about one descriptor, so the state between lines is the latest header,
// the latest command line, and per process what decides whether it was
// listed whole.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	toks   [][]byte
	cells  [][]byte
	// names interns the names descriptors are printed with.
	names *scan.Interner

	hdr   *header
	procs map[uint64]*proc
	order []*proc
	// filtered is the line of a command that selects descriptors (-Q,
	// --filter, -i, --inet), 0 if none was shown.
	filtered int64
	// dups counts descriptors listed again, dupsLine the first.
	dups, dupsLine int64
	// errors counts descriptors lsfd could not read (TYPE ERROR),
	// errorLine the first.
	errors, errorLine int64
	capped            bool
	rowLast           bool
	ev                evidence
	// headless says rows without a header were read in the default
	// columns by their shape (noheadings.go).
	headless bool
	// wantCount says the line read last is an lsfd command piped into a
	// count (1: of every line, 2: of the lines a filter kept; count.go);
	// timed that a count was read, after which `time`'s report may come.
	wantCount int
	timed     bool
	// cmdLast says the line read last is an lsfd command (or a line
	// that continued one).
	cmdLast bool
	// cmdLine is the line of the latest lsfd command; relisted counts
	// descriptors a later command listed again, relistedLine the first.
	cmdLine                int64
	relisted, relistedLine int64
}

// proc is a process the capture shows.
type proc struct {
	pb   *facts.ProcessBuilder
	line int64
	fds  int64
	// whole says a row of the process's own (cwd, rtd, exe) was shown:
	// lsfd lists those for a process it lists whole.
	whole    bool
	filtered bool
	// cmdLine is the line of the lsfd command under which the process
	// was first listed.
	cmdLine int64
}

// evidence counts what Sniff weighs: headers (or the command lines of
// rows without one), rows, and of them those read by their shape alone.
type evidence struct{ header, rows, shaped int }

// decisive: lsfd's header (or its command with -n) with a row under it,
// or three rows in the shape of its default columns.
func (e *evidence) decisive() bool { return e.header > 0 && e.rows > 0 || e.shaped >= 3 }

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log, procs: map[uint64]*proc{}, names: scan.NewInterner(nil)}
}

// Read reads lsfd's output from r, UTF-8 text, into b, accounting every
// line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksStacks}
	z := newReader(b, log)
	_, unterminated, err := scan.ReadLines(r, log, &z.lineNo, &z.clean, z.readLine)
	if unterminated && z.rowLast {
		log.Diag(z.lineNo, facts.SevWarning, facts.CodeTruncated,
			"the capture ends without a line break: its last row may be cut")
	}
	z.finish()
	return err
}

// Sniff reports whether text, the first bytes of a capture decoded to
// UTF-8 (up to 64 KiB is enough), is lsfd's output: its header and a row
// under it. When text fills the 64 KiB, its last line may be cut and is
// not read.
func Sniff(text []byte) bool {
	z := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		z.lineNo++
		z.readLine(line)
		return z.ev.decisive()
	})
}

// readLine accounts for one raw line.
func (z *reader) readLine(raw []byte) scan.LineKind {
	z.rowLast = false
	line := z.clean.Clean(raw)
	if len(line) == 0 {
		return scan.Ignored
	}
	want, cmdLast := z.wantCount, z.cmdLast
	z.wantCount, z.cmdLast = 0, false
	if cmdLast && z.continuedCommand(line) {
		return scan.Ignored
	}
	if z.countLine(line, want) {
		return scan.Parsed
	}
	if z.timed && isTimeReport(line) {
		return scan.Ignored
	}
	if h, ok := parseHeader(line); ok {
		h.line = z.lineNo
		z.hdr = &h
		z.ev.header++
		return scan.Parsed
	}
	if z.hdr != nil {
		if kind, ok := z.row(line); ok {
			if z.hdr.line == 0 {
				z.ev.shaped++ // under the default columns rows took by their shape
			}
			return kind
		}
	} else if kind, ok := z.headlessRow(line); ok {
		return kind
	}
	if z.command(line) {
		return scan.Ignored
	}
	if scan.IsElision(line) {
		z.log.Diag(z.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
		return scan.Ignored
	}
	if scan.HasPrefix(line, "```") || scan.HasPrefix(line, "~~~") {
		return scan.Ignored
	}
	return scan.Unrecognized
}

// command recognizes an lsfd command line, after a shell's prompt or
// not ("$ sudo lsfd -p 3120", "root@srv:~# lsfd -Q 'ASSOC == \"3\"'"), or
// run in a container ("kubectl exec pod -- lsfd -p 1"), and notes whether
// it selects descriptors: with its options, or with a pipe through a
// command that leaves rows out (grep, head).
func (z *reader) command(line []byte) bool {
	cmd, pipes, _ := bytes.Cut(line, []byte("|"))
	f := bytes.Fields(cmd)
	at := -1
	for i := 0; i < len(f) && i < 16; i++ {
		if i >= 4 && string(f[i-1]) != "--" {
			continue // past a prompt and sudo, only after exec's --
		}
		w := f[i]
		if j := bytes.LastIndexByte(w, '/'); j >= 0 && j < len(w)-1 {
			w = w[j+1:]
		}
		if string(w) == "lsfd" {
			at = i
			break
		}
	}
	if at < 0 {
		return false
	}
	z.filtered, z.timed, z.cmdLine = 0, false, z.lineNo
	z.countCommand(line)
	if none, columns := noHeadings(f[at+1:]); none {
		z.startNoHeadings(columns)
	}
	z.options(f[at+1:])
	if len(pipes) > 0 && !passesAll(pipes) {
		z.filtered = z.lineNo
	}
	z.cmdLast = true
	return true
}

// options notes whether lsfd's options select descriptors.
func (z *reader) options(args [][]byte) {
	for _, a := range args {
		switch {
		case string(a) == "-Q", string(a) == "--filter", bytes.HasPrefix(a, []byte("--filter=")),
			bytes.HasPrefix(a, []byte("-i")), bytes.HasPrefix(a, []byte("--inet")):
			z.filtered = z.lineNo
		}
	}
}

// continuedCommand reads the line after an lsfd command that goes on
// with more of its options, as an author wraps a long command ("lsfd
// -oCOMMAND,PID,... \n -Q '(FD >= 0)'"): a line that starts with an
// option.
func (z *reader) continuedCommand(line []byte) bool {
	if len(line) < 2 || line[0] != '-' {
		return false
	}
	cmd, pipes, _ := bytes.Cut(line, []byte("|"))
	z.options(bytes.Fields(cmd))
	if len(pipes) > 0 && !passesAll(pipes) {
		z.filtered = z.lineNo
	}
	z.countCommand(line)
	z.cmdLast = true
	return true
}

// passesAll reports whether the commands of pipes, what follows a
// command's first '|', pass every row on (sort, less, cat): grep, head,
// tail and any other may leave rows out.
func passesAll(pipes []byte) bool {
	for _, stage := range bytes.Split(pipes, []byte("|")) {
		f := bytes.Fields(stage)
		if len(f) == 0 || !slices.Contains(fdcount.PassThrough, string(bytes.Trim(f[0], "\"'`()"))) {
			return false
		}
	}
	return true
}

// row reads line as a row of the latest header.
func (z *reader) row(line []byte) (scan.LineKind, bool) {
	h := z.hdr
	z.toks = scan.Fields(line, z.toks[:0])
	cells, ok := h.cells(line, z.toks, z.cells)
	if !ok {
		cells, ok = h.errorCells(line, z.toks, cells)
	}
	z.cells = cells
	if !ok {
		return 0, false
	}
	pid, ok := parseUint(cells[h.pid])
	if !ok {
		return 0, false
	}
	var image []byte
	if h.command >= 0 {
		image = cells[h.command]
	}
	p := z.proc(pid, image)
	if p == nil {
		return scan.Ignored, true
	}
	z.ev.rows++
	z.rowLast = true
	assoc := cells[h.assoc]
	fd, numeric := parseUint(assoc)
	if !numeric {
		switch string(assoc) {
		case "cwd", "rtd", "exe":
			p.whole = true
		}
		return scan.Parsed, true
	}
	var k kind
	if h.typ >= 0 {
		k = kindOf(cells[h.typ], cell(cells, h.source), cell(cells, h.inode), cell(cells, h.name), z.names.Get)
	} else {
		k = untypedKind(cell(cells, h.source), cell(cells, h.name), z.names.Get)
	}
	if string(cell(cells, h.typ)) == "ERROR" {
		z.errors++
		if z.errorLine == 0 {
			z.errorLine = z.lineNo
		}
	}
	// Handle values are multiples of 4, as Windows gives them and the
	// builder keeps them: fd n is handle value 4n, as lsof's and
	// procfd's readers make it.
	hd := facts.Handle{Value: fd << 2, Type: k.typ, Name: k.name, Naming: k.naming, Pos: facts.Position{Path: z.log.Path, Line: z.lineNo}}
	if p.pb.AddHandle(&hd) != facts.AddedNew {
		if p.cmdLine != z.cmdLine {
			// A later command lists the process again.
			z.relisted++
			if z.relistedLine == 0 {
				z.relistedLine = z.lineNo
			}
			return scan.Parsed, true
		}
		z.dups++
		if z.dupsLine == 0 {
			z.dupsLine = z.lineNo
		}
		return scan.Parsed, true
	}
	p.fds++
	if k.state != "" {
		if p.pb.P.SocketStates == nil {
			p.pb.P.SocketStates = map[string]int64{}
		}
		p.pb.P.SocketStates[k.state]++
	}
	return scan.Parsed, true
}

// proc returns the process pid, creating it at the current line with
// image, or nil past processLimit.
func (z *reader) proc(pid uint64, image []byte) *proc {
	p := z.procs[pid]
	if p == nil {
		if len(z.procs) >= processLimit {
			if !z.capped {
				z.capped = true
				z.log.Diag(z.lineNo, facts.SevWarning, facts.CodeCapped,
					"more than %d processes: the rows of the others are not read", processLimit)
			}
			return nil
		}
		pos := facts.Position{Path: z.log.Path, Line: z.lineNo}
		p = &proc{pb: z.b.ProcessByPID(pid, pos), line: z.lineNo, cmdLine: z.cmdLine}
		if len(image) > 0 {
			p.pb.SetImage(string(image), pos)
		}
		z.procs[pid] = p
		z.order = append(z.order, p)
	}
	if z.filtered != 0 {
		p.filtered = true
	}
	return p
}

// finish gives each process listed whole its handle count, and reports
// what the whole capture shows.
func (z *reader) finish() {
	var partial []*proc
	for _, p := range z.order {
		switch {
		case p.filtered:
		case !p.whole:
			partial = append(partial, p)
		default:
			n := p.fds
			p.pb.P.HandleCount = &n
		}
	}
	if z.filtered != 0 {
		z.log.Diag(z.filtered, facts.SevInfo, scan.CodePartial,
			"lsfd selects descriptors here (-Q, --filter, -i, or a pipe through grep or head): the counts of the processes it lists are not complete")
	}
	if len(partial) > 0 {
		p := partial[0]
		z.log.Diag(p.line, facts.SevInfo, scan.CodePartial,
			"%d process(es) (first pid %d %s) are listed without the cwd, rtd and exe rows lsfd prints for a process it lists whole: the listing selects descriptors, so their handle counts are not set",
			len(partial), p.pb.P.PID, p.pb.P.Image)
	}
	if z.errors > 0 {
		z.log.Diag(z.errorLine, facts.SevInfo, facts.CodeMissing,
			"%d descriptor(s) lsfd could not read (TYPE ERROR: the call and errno in SOURCE, such as readlink:EACCES; run lsfd as root): each is read as a descriptor of unknown kind",
			z.errors)
	}
	if z.dups > 0 {
		z.log.Diag(z.dupsLine, facts.SevWarning, facts.CodeDuplicate,
			"%d descriptors are listed again for the same process (joined captures?): each was counted once", z.dups)
	}
	if z.relisted > 0 {
		z.log.Diag(z.relistedLine, facts.SevInfo, facts.CodeDuplicate,
			"%d descriptors are listed again by a later lsfd command for a process listed before: each was counted once", z.relisted)
	}
}

func cell(cells [][]byte, i int) []byte {
	if i < 0 || i >= len(cells) {
		return nil
	}
	return cells[i]
}

// parseUint reads a decimal number of at most 19 digits.
func parseUint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 18 || !scan.AllDigits(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b), 10, 64)
	return v, err == nil
}
