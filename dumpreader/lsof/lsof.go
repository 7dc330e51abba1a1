package lsof

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/filetable"
	"io"
	"sync/atomic"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: the output of lsof on Linux: the default listing (with or
// without the TID and TASKCMD columns of threads, with its header or
// without, as `lsof | grep X` prints it) and the -F field output,
// NUL-separated (-F0) or not.
const Name = "lsof"

// Diagnostic codes of the lsof reader, besides the facts.Code* ones and
// scan.CodePartial and scan.CodePIDImage, which mean what they mean for Handle.
const (
	// CodeThreadRows: rows of threads (a TID column, or K fields) repeat
	// the descriptors of their process, which the process's own rows
	// list; they were not counted again.
	CodeThreadRows = "thread-rows"
	// CodeGarbledState: sockets whose state in parentheses is several
	// words, not one lsof prints; their state is read as UNKNOWN.
	CodeGarbledState = "garbled-state"
	// CodeToolWarning: lsof printed a message of its own amid its listing
	// ("lsof: WARNING: can't stat() fuse.gvfsd-fuse file system ..."); what
	// it concerns may be missing from the listing.
	CodeToolWarning = "tool-warning"
	// CodeCutName: command names of lsofNameWidth characters, the most
	// lsof prints of one unless run with +c: the images may be longer.
	CodeCutName = "cut-name"
	// CodeWideFD: descriptors of 10,000 and more, which lsof prints as
	// "*" and their last three digits, were numbered by their order
	// (widefd.go).
	CodeWideFD = "wide-fd"
)

// lsofReader reads lsof output into a facts.Builder, one line at a time.
// A listing row or a field line says all there is about one descriptor
// (a -F file set ends at the next f or p line), so the state between
// lines is small: the columns of the latest header, the current field
// set, the latest lsof command line, and per process what decides
// whether its descriptors were listed whole.
type lsofReader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	// qmarks says a header showed its blanks as '?' (qmarks.go); qbuf
	// holds a line so repaired.
	qmarks bool
	qbuf   []byte
	// inFlat says the line being read is a piece of a flattened line,
	// flatLine a copy of that line and flat its pieces; flatNoted that the
	// capture's first was noted (flattened.go).
	inFlat, flatNoted bool
	flatLine          []byte
	flat              [][]byte
	spans             []lsofSpan
	kinder

	hdr lsofHeader
	// shared, in a parallel read, is where the reader publishes hdr for
	// the workers, published what it published last (setHeader).
	shared    *atomic.Pointer[lsofHeader]
	published *lsofHeader
	// procs holds every process shown, by pid; order lists them as they
	// first appear, for the diagnostics at the end.
	procs map[uint64]*lsofProc
	order []*lsofProc
	// last is the process of the latest row or field set.
	last *lsofProc

	set lsofFieldSet
	cmd lsofCommand
	// foreign is a command (not lsof) whose output follows a prompt, ""
	// when there is none: lines of it that are not lsof's are ignored.
	foreign     string
	foreignSeen map[string]bool
	// wcCount says the line read last is an lsof command piped into wc,
	// whose count the next line is, wcThrough the filter between them
	// (wccount.go).
	wcCount   bool
	wcThrough string
	// summary is what the summaries of lsof's rows read so far hold
	// (summary.go).
	summary fdcount.Summary
	// chainCounts holds the filters of the counts a chained command
	// line prints after the next one, chainDates the lines of date still
	// to come (chain.go).
	chainCounts []string
	chainDates  int
	// wantFileTable is what of the kernel's file table the next line
	// shows, after `cat /proc/sys/fs/file-nr` (filetable.Command).
	wantFileTable filetable.Kind
	// fdCount is the command on the line read last that counts a
	// process's descriptors, whose count the next line is; fdCounts the
	// counts read, exprPIDs the pid each substitution an lsof -p command
	// selected listed, -1 for several (fdcount.go).
	fdCount  *fdcount.Count
	fdCounts []fdCountAt
	exprPIDs map[string]int64
	// fdList is the ls listing of /proc/PID/fd being read, nil when none
	// (fdlist.go).
	fdList *fdList
	// listing counts the listings begun: by an lsof command, or by a
	// header after rows (relisted.go); listingRows the rows read since.
	listing, listingRows int64

	// threadRows counts rows of threads skipped, threadProcs the
	// processes they belong to; threadLine is the first of them.
	threadRows  int64
	threadProcs map[uint64]bool
	threadLine  int64
	// threadOnlyProcs counts processes read from their threads' rows
	// alone (threadonly.go); threadOnlyLine is the first such row.
	threadOnlyProcs int64
	threadOnlyLine  int64
	// extraNoted is set once CodeExtraColumn was reported, wideNoted once
	// CodeWideFD was.
	extraNoted bool
	wideNoted  bool
	// uniqRows counts rows read after uniq -c's count (uniqc.go),
	// uniqFolded the repetitions the counts stand for; uniqLine is the
	// first such row.
	uniqRows, uniqFolded, uniqLine int64
	// badStates counts sockets whose state a page garbled (kind.go),
	// badStateLine is the first.
	badStates, badStateLine int64
	// cutNames counts the processes whose listing rows give a command
	// name lsof may have cut (lsofNameWidth characters, no +c); cutName
	// and cutLine are the first's.
	cutNames int
	cutName  string
	cutLine  int64
	// wcNoPID says the latest lsof command piped into a count names no
	// process by its pid (wccount.go).
	wcNoPID bool
	// blankRows counts rows read without a COMMAND (blankcmd.go),
	// blankLine is the first; blankBuf holds such a row with one.
	blankRows, blankLine int64
	blankBuf             []byte
	// repeats counts the markers lsof -r prints between its listings.
	repeats    int64
	repeatLine int64
	// rowLast says the line just read was a row or a field line.
	rowLast bool
	// wrap follows rows whose name is folded onto the next line.
	wrap wrapState
	// elidedNext says an elision came after the latest row: the next
	// process shown may have lost rows too.
	elidedNext bool
	// dups counts descriptors listed twice for one process outside
	// repeated listings; relisted those a later lsof command lists again.
	dups         int64
	dupsLine     int64
	relisted     int64
	relistedLine int64
	// elidedRows counts rows read with columns an author elided
	// (elided.go); elidedLine is the first.
	elidedRows, elidedLine int64
	// fieldFiles and fieldTyped count -F file sets, and those with a t
	// (type) field; fieldFirst is the line of the first file set.
	fieldFiles, fieldTyped int64
	fieldFirst             int64

	// ps is the ps table being read and the rows read (ps.go).
	ps psState

	ev lsofEvidence
	// commented says the listing being read is pasted as shell comments,
	// each line after "# " (commented.go).
	commented bool
}

// lsofProc is what the reader keeps about one process.
type lsofProc struct {
	pb   *facts.ProcessBuilder
	pid  uint64
	line int64
	// cmd is the line of the lsof command it was first listed under, 0
	// when none showed.
	cmd int64
	// base is set once a cwd, rtd or txt row was read: lsof lists those
	// for every process whose descriptors it lists whole.
	base bool
	// noFD is the line of a NOFD row (lsof could not read the descriptor
	// table), 0 if none.
	noFD int64
	// filtered is set when a row of it came under a command line that
	// selects descriptors, cut when the capture may end in its rows.
	filtered bool
	cut      bool
	fds      int64 // descriptors counted
	conflict bool  // a second image was reported
	// elided is set when an author's elision ("*snip*", "...") came
	// after a row of it or before its first row: rows of it may be
	// missing.
	elided  bool
	deleted lsofDeleted
	// extra is the number between PID and USER its rows carry when the
	// listing has that column and no header (extraColumn), "" if none.
	extra string
	// own is set once a row of the process itself (not of a thread) was
	// read; threadFDs holds the descriptors read from its threads' rows
	// while none was (threadonly.go).
	own       bool
	threadFDs map[string]bool
	// lastFD is the number of the latest descriptor read (widefd.go),
	// topFD the highest.
	lastFD, topFD uint64
	// relisted counts its descriptors a later lsof command listed again,
	// grown those a later command listed first (relisted.go); listing is
	// the listing it was first shown in.
	relisted, grown int64
	listing         int64
	// relistSeen is set at its first row in a later listing, firstWhole
	// then if the first listing showed it whole (relisted.go).
	relistSeen, firstWhole bool
	// bb is set once a row of busybox's lsof showed it (bbrows.go).
	bb *bbProc
}

func newLsofReader(b *facts.Builder, log *facts.SourceLog) *lsofReader {
	return &lsofReader{
		b: b, log: log,
		kinder: newKinder(),
		procs:  map[uint64]*lsofProc{}, foreignSeen: map[string]bool{},
		threadProcs: map[uint64]bool{},
	}
}

// Read reads lsof output from r into b, accounting every line in log.
// The caller decodes the text and hands log to b.AddSource afterwards.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	return newLsofReader(b, log).read(r)
}

func (r *lsofReader) read(in io.Reader) error {
	last, unterminated, err := scan.ReadLines(in, r.log, &r.lineNo, &r.clean, r.readLine)
	return r.end(last, unterminated, err)
}

// end finishes a capture whose last line read was of kind last; err is
// the reading's.
func (r *lsofReader) end(last scan.LineKind, unterminated bool, err error) error {
	r.endSet()
	if unterminated && (r.rowLast || last == scan.Unrecognized) {
		// lsof ends every line; a capture that does not was most likely
		// cut, in the middle of its last line or after it.
		msg := "the capture ends without a line break: its last line may be cut"
		if r.last != nil {
			r.last.cut = true
			msg += ", and descriptors of the last process missing"
		}
		r.log.Diag(r.lineNo, facts.SevWarning, facts.CodeTruncated, "%s", msg)
	}
	r.finish()
	return err
}

// readLine accounts for one line.
func (r *lsofReader) readLine(raw []byte) scan.LineKind {
	rowBefore := r.rowLast
	r.rowLast = false
	wcCount, fdCount := r.wcCount, r.fdCount
	r.wcCount, r.fdCount = false, nil
	wantFileTable := r.wantFileTable
	r.wantFileTable = filetable.None
	pending, dates := r.chainCounts, r.chainDates
	r.chainCounts, r.chainDates = nil, 0
	r.wrap.indent, r.wrap.length = indentOf(raw), len(raw)
	line := unInlineCode(r.clean.Clean(raw))
	if len(line) > 0 && (r.qmarks || line[0] == 'C') {
		line = r.unQmark(line)
	}
	if len(line) == 0 || isQmarksOnly(line) {
		r.endSet()
		return scan.Ignored
	}
	if !r.inFlat && len(line) >= 80 {
		if r.flat = flattenedPieces(line, r.flat[:0]); len(r.flat) > 1 {
			// The pieces may alias the cleaner's buffer, which reading
			// each of them writes: they are cut again from a copy.
			r.flatLine = append(r.flatLine[:0], line...)
			r.flat = flattenedPieces(r.flatLine, r.flat[:0])
			return r.flattenedLine(r.flat)
		}
	}
	pos := facts.Position{Path: r.log.Path, Line: r.lineNo}
	if wantFileTable != filetable.None && filetable.Figures(line, wantFileTable, r.b, pos) {
		return scan.Parsed
	}
	if r.commented || line[0] == '#' {
		var kind scan.LineKind
		var done bool
		if line, kind, done = r.commentedLine(line); done {
			return kind
		}
	}
	if r.fdList != nil {
		if kind, ok := r.fdListLine(line); ok {
			return kind
		}
		if scan.IsElision(line) {
			// Rows were left out: the listing goes on, but is no count.
			r.fdList.cut = true
			r.log.Diag(r.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
			return scan.Ignored
		}
		r.endFDList()
	}
	if r.set.active || mayPrecedeRow(line) {
		if kind, ok := r.messageLine(line); ok {
			return kind
		}
		if r.headerLine(line) {
			r.ps.cols = nil // lsof's listing follows, not ps's rows
			return scan.Parsed
		}
		if kind, ok := r.commandLine(line); ok {
			return kind
		}
		if kind, ok := r.fieldLine(line); ok {
			return kind
		}
	}
	if kind, ok := r.psLine(line); ok {
		return kind
	}
	if kind, ok := r.chainedLine(line, wcCount, pending, dates); ok {
		return kind
	}
	if wcCount {
		if kind, ok := r.wcCountLine(line); ok {
			if len(pending) > 0 {
				r.wcCount, r.wcThrough, r.chainCounts = true, pending[0], pending[1:]
			}
			return kind
		}
	}
	if fdCount != nil {
		if kind, ok := r.fdCountLine(line, fdCount); ok {
			return kind
		}
	}
	if kind, ok := r.rowLine(line); ok {
		return kind
	}
	if kind, ok := r.uniqRowLine(line); ok {
		return kind
	}
	if kind, ok := r.summaryLine(line); ok {
		return kind
	}
	if kind, ok := r.bbRowLine(line); ok {
		return kind
	}
	if kind, ok := r.blankCmdRowLine(line); ok {
		return kind
	}
	// The kernel's file table, after the rows and commands: not looked
	// for in each of a large listing's rows.
	if kind, ok := filetable.Line(line, r.b, pos); ok {
		return kind
	}
	switch {
	case scan.HasPrefix(line, "```"), scan.HasPrefix(line, "~~~"), isWikiFence(line):
		// A markdown fence around the paste, or a wiki's: often between
		// a command and its output (`cat /proc/sys/fs/file-nr`, then the
		// fenced figures), which is awaited after it still.
		r.wcCount, r.fdCount, r.wantFileTable = wcCount, fdCount, wantFileTable
		r.chainCounts, r.chainDates = pending, dates
		return scan.Ignored
	case scan.IsSeparator(line):
		return scan.Ignored // a rule of dashes an author framed the paste with
	case isRepeatMarker(line):
		r.repeats++
		if r.repeatLine == 0 {
			r.repeatLine = r.lineNo
		}
		return scan.Ignored
	case r.foreign != "":
		return scan.Ignored
	case scan.IsElision(line):
		r.elision()
		return scan.Ignored
	case isPromptLine(line):
		return scan.Ignored
	case r.foldedName(rowBefore, line):
		return scan.Ignored
	}
	return scan.Unrecognized
}

// mayPrecedeRow reports whether readLine may read line, outside a -F
// set, as something it tries before a row: a message of lsof, a header,
// a command line, the p field that starts a -F set. It is a function of
// the line alone, so that workers can tell the lines they may parse as
// rows (parallel.go).
func mayPrecedeRow(line []byte) bool {
	if scan.HasPrefix(line, "lsof") || scan.HasPrefix(line, "COMMAND") || scan.HasPrefix(line, "sudo lsof") ||
		scan.HasPrefix(line, "Output information") || scan.HasPrefix(line, "assuming \"dev=") || scan.HasPrefix(line, "[sudo] ") || isLsofPath(line) {
		return true
	}
	if first, _, _ := bytes.Cut(line, []byte{0}); len(first) >= 2 && first[0] == 'p' && scan.AllDigits(first[1:]) {
		return true
	}
	if _, prompted := lsofPrompt(line); prompted {
		return true
	}
	_, _, fdList := fdListCommand(line)
	return fdList
}

// elision notes an author's elision ("*snip*", "..."): rows were left out
// there, of the process shown last, of the one shown next, or of others
// between them, none of which is then known to be listed whole. A -F
// process set goes on after it.
func (r *lsofReader) elision() {
	r.endFile()
	if r.last != nil {
		r.last.elided = true
	}
	r.elidedNext = true
	r.log.Diag(r.lineNo, facts.SevInfo, facts.CodeElision, "the capture omits output here (an elision by whoever pasted it)")
}

// isWikiFence recognizes the macro Jira and Confluence frame code with,
// alone on its line: {code}, {code:bash}, {noformat}.
func isWikiFence(line []byte) bool {
	if len(line) < 3 || line[0] != '{' || line[len(line)-1] != '}' {
		return false
	}
	name, _, _ := bytes.Cut(line[1:len(line)-1], []byte{':'})
	return string(name) == "code" || string(name) == "noformat"
}

// isRepeatMarker recognizes the line lsof -r prints between listings.
func isRepeatMarker(line []byte) bool {
	if len(line) < 7 {
		return false
	}
	for _, c := range line {
		if c != '=' {
			return false
		}
	}
	return true
}

// proc returns the process with pid, creating it at the current line.
// image is the command lsof shows for it, "" when the line shows none.
func (r *lsofReader) proc(pid uint64, image []byte) *lsofProc {
	p := r.procs[pid]
	if p == nil {
		p = &lsofProc{pid: pid, line: r.lineNo, cmd: r.cmd.line, listing: r.listing}
		p.pb = r.b.ProcessByPID(pid, facts.Position{Path: r.log.Path, Line: r.lineNo})
		r.procs[pid] = p
		r.order = append(r.order, p)
	}
	before := p.pb.P.Image
	r.setImage(p, image)
	if before == "" && r.cmd.pidExpr != "" {
		r.uncutName(p)
	}
	if before == "" && !r.cmd.wideNames && utf8.RuneCountInString(p.pb.P.Image) == lsofNameWidth {
		if r.cutNames++; r.cutName == "" {
			r.cutName, r.cutLine = p.pb.P.Image, r.lineNo
		}
	}
	if r.cmd.pidExpr != "" {
		r.notePID(r.cmd.pidExpr, pid)
	}
	if r.elidedNext && p != r.last {
		p.elided = true
	}
	r.elidedNext = false
	r.last = p
	return p
}

// lsofNameWidth is how many characters of a command name lsof prints in
// its listing unless run with +c: a longer name is cut to them
// ("td-agent-bit" shows as "td-agent-"). -F's c field is not cut.
const lsofNameWidth = 9

// setImage gives p its image, or reports a second one.
func (r *lsofReader) setImage(p *lsofProc, image []byte) {
	if len(image) == 0 {
		return
	}
	if p.pb.P.Image == "" {
		p.pb.P.Image = string(lsofUnescape(image))
		return
	}
	if string(image) == p.pb.P.Image || p.conflict || isCutName(image, p.pb.P.Image) {
		return // a cut name of the image pidof named (pidof.go)
	}
	if img := lsofUnescape(image); string(img) != p.pb.P.Image {
		p.conflict = true
		r.log.Diag(r.lineNo, facts.SevWarning, scan.CodePIDImage,
			"pid %d is shown as %q here and as %q at line %d (the pid was reused, or captures were joined): its descriptors are read as one process's",
			p.pid, img, p.pb.P.Image, p.line)
	}
}

// lsofUnescape decodes the \xHH escapes lsof prints in command names for
// spaces and other characters ("Web\x20Content"), where they stand for a
// printable ASCII character. Others, and an escape the 9-character limit
// cut, are kept as printed.
func lsofUnescape(b []byte) []byte {
	i := indexEscape(b, 0)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for j := 0; j < len(b); {
		if j == i {
			hi, _ := scan.HexVal(b[j+2])
			lo, _ := scan.HexVal(b[j+3])
			out = append(out, hi<<4|lo)
			j += 4
			i = indexEscape(b, j)
			continue
		}
		out = append(out, b[j])
		j++
	}
	return out
}

// indexEscape returns the index of the first decodable \xHH escape in b
// at or after from, or -1.
func indexEscape(b []byte, from int) int {
	for i := from; i+3 < len(b); i++ {
		if b[i] != '\\' || b[i+1] != 'x' {
			continue
		}
		hi, ok1 := scan.HexVal(b[i+2])
		lo, ok2 := scan.HexVal(b[i+3])
		if c := hi<<4 | lo; ok1 && ok2 && c >= 0x20 && c < 0x7f {
			return i
		}
	}
	return -1
}

// special notes a row whose FD column names something other than a
// descriptor: cwd, rtd, txt, mem, DEL, NOFD and their kind. The first txt
// row names the executable, where lsof could read its path.
func (r *lsofReader) special(p *lsofProc, f *lsofFile) {
	switch string(f.fd) {
	case "txt":
		if p.pb.P.Path == "" && len(f.name) > 1 && f.name[0] == '/' && string(f.typ) != "unknown" &&
			!bytes.Contains(f.name, []byte("(readlink:")) && !bytes.Contains(f.name, []byte("(stat:")) {
			p.pb.P.Path = r.names.Get(f.name)
		}
		p.base = true
	case "cwd", "rtd":
		p.base = true
	case "NOFD":
		if p.noFD == 0 {
			p.noFD = f.line
		}
	}
}

// addFile adds the descriptor f describes to p, or notes what a row of
// another kind says about p.
func (r *lsofReader) addFile(p *lsofProc, f *lsofFile) {
	r.addFileKind(p, f, nil)
}

// addFileKind is addFile with the kind of f, where it was mapped already,
// or nil.
func (r *lsofReader) addFileKind(p *lsofProc, f *lsofFile, pre *lsofKind) {
	r.listingRows++
	if r.listing != p.listing && !p.relistSeen {
		p.relistSeen = true
		p.firstWhole = p.base && !p.filtered && !p.elided
	}
	if r.cmd.filter != "" {
		p.filtered = true
	}
	fd, ok := lsofFDNumber(f.fd)
	if !ok {
		r.special(p, f)
		return
	}
	fd = r.fdValue(p, f.fd, fd)
	var k lsofKind
	if pre != nil {
		k = *pre
	} else {
		k = r.kind(f)
	}
	if f.nameless && k.naming == facts.Unnamed {
		k.naming = facts.NameUnknown
	}
	h := facts.Handle{Value: lsofHandleValue(fd), Type: k.typ, Name: k.name, Naming: k.naming, Pos: facts.Position{Path: r.log.Path, Line: f.line}}
	if p.pb.AddHandle(&h) != facts.AddedNew {
		if r.listing != p.listing {
			// A later command lists the process again: its rows repeat
			// the first listing's, as expected.
			p.relisted++
			r.relisted++
			if r.relistedLine == 0 {
				r.relistedLine = f.line
			}
			return
		}
		r.dups++
		if r.dupsLine == 0 {
			r.dupsLine = f.line
		}
		return
	}
	p.fds++
	if r.listing != p.listing {
		p.grown++
	}
	if k.badState {
		r.badStates++
		if r.badStateLine == 0 {
			r.badStateLine = f.line
		}
	}
	if k.state != "" && (k.typ == "TCP" || k.typ == "TCP6") {
		if p.pb.P.SocketStates == nil {
			p.pb.P.SocketStates = map[string]int64{}
		}
		p.pb.P.SocketStates[k.state]++
	}
	if isUnidentifiedSocket(f) {
		p.pb.P.UnidentifiedSockets++
	}
	r.deleted(p, f, k.typ)
}

// isUnidentifiedSocket reports whether f is a socket lsof shows as
// "can't identify protocol": one no protocol table lists any more, as
// after the peer closed a connection the process never closed. Without
// a type (-F without t, or "unknown"), the name alone tells.
func isUnidentifiedSocket(f *lsofFile) bool {
	if string(f.name) != "can't identify protocol" {
		return false
	}
	switch string(f.typ) {
	case "sock", "", "unknown":
		return true
	}
	return false
}

// lsofHandleValue is the Handle.Value of descriptor fd. A ProcessBuilder
// counts a value once, and takes two values that differ only in their low
// two bits for one (they are tag bits in a Windows handle value, which is
// a multiple of four); descriptors 0 to 3 differ only there, so the
// number is passed as a Windows handle value would carry it. No value
// reaches the snapshot: it serves only to count each descriptor once.
func lsofHandleValue(fd uint64) uint64 { return fd << 2 }

// thread notes a row or field set of a thread of process pid, which
// repeats the process's descriptors.
func (r *lsofReader) thread(pid uint64) {
	r.threadRows++
	r.threadProcs[pid] = true
	if r.threadLine == 0 {
		r.threadLine = r.lineNo
	}
}

// finish sets the processes' handle counts where the listing shows every
// descriptor, and reports what only the whole capture shows.
func (r *lsofReader) finish() {
	r.endFDList()
	r.wrapFinish()
	var noFD, partial []*lsofProc
	for _, p := range r.order {
		r.setPeak(p)
		switch {
		case p.noFD > 0:
			noFD = append(noFD, p)
		case p.filtered, p.cut, p.elided:
			// Said where the command line is, where the capture ends, or
			// at the elision.
		case !p.base:
			partial = append(partial, p)
		default:
			n := p.fds
			p.pb.P.HandleCount = &n
		}
	}
	if len(noFD) > 0 {
		p := noFD[0]
		r.log.Diag(p.noFD, facts.SevWarning, facts.CodeMissing,
			"lsof could not read the descriptors of %d process(es) (NOFD, first pid %d %s: it lacked the rights): their handle counts are unknown, not zero",
			len(noFD), p.pid, p.pb.P.Image)
	}
	if len(partial) > 0 {
		p := partial[0]
		r.log.Diag(p.line, facts.SevInfo, scan.CodePartial,
			"%d process(es) (first pid %d %s) are listed without the cwd, rtd and txt rows lsof prints for a process it lists whole: the listing selects descriptors (-i, -U, -d, a file name, grep), so their handle counts are not set",
			len(partial), p.pid, p.pb.P.Image)
	}
	r.applyFDCounts()
	r.psFinish()
	r.relistedFinish()
	r.elidedFinish()
	r.uniqFinish()
	r.summaryFinish()
	if r.badStates > 0 {
		r.log.Diag(r.badStateLine, facts.SevWarning, CodeGarbledState,
			"%d socket(s) show words in the parentheses where lsof prints one state (\"(CLOS _WAIT)\": the page garbled it): their state is read as UNKNOWN", r.badStates)
	}
	r.blankCmdFinish()
	if r.cutNames > 0 {
		r.log.Diag(r.cutLine, facts.SevInfo, CodeCutName,
			"%d process name(s) of %d characters (the first %q), the most of a command name lsof prints unless run with +c: the image may be longer (lsof +c 0 prints it whole, as does ps -p PID -o comm=)",
			r.cutNames, lsofNameWidth, r.cutName)
	}
	if r.threadOnlyProcs > 0 {
		r.log.Diag(r.threadOnlyLine, facts.SevInfo, CodeThreadRows,
			"%d process(es) are shown only by their threads' rows (the process's own rows are not in the capture): each descriptor was read once, from the first thread row that lists it",
			r.threadOnlyProcs)
	}
	if r.threadRows > 0 {
		r.log.Diag(r.threadLine, facts.SevInfo, CodeThreadRows,
			"%d descriptors listed for threads (of %d process(es)) repeat their process's own and were not counted again",
			r.threadRows, len(r.threadProcs))
	}
	if r.repeats > 0 {
		r.log.Diag(r.repeatLine, facts.SevInfo, facts.CodeDuplicate,
			"lsof -r repeated its listing (%d markers): the repetitions are read as one listing, each descriptor of a process counted once (%d shown again)",
			r.repeats, r.dups)
	} else if r.dups > 0 {
		r.log.Diag(r.dupsLine, facts.SevWarning, facts.CodeDuplicate,
			"%d descriptors are listed again for the same process (joined captures?): each was counted once", r.dups)
	}
	if r.relisted > 0 {
		r.log.Diag(r.relistedLine, facts.SevInfo, facts.CodeDuplicate,
			"%d descriptors are listed again by a later lsof listing (a command, or a header after rows) for a process listed before: each was counted once", r.relisted)
	}
	if r.fieldFiles > 0 && r.fieldTyped < r.fieldFiles {
		r.log.Diag(r.fieldFirst, facts.SevInfo, facts.CodeMissing,
			"%d of %d -F file sets have no t (type) field (the field set left it out): their types are taken from names where those tell, else unknown",
			r.fieldFiles-r.fieldTyped, r.fieldFiles)
	}
}
