package volatility

import (
	"io"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: Volatility 2 and 3 and Rekall text output
// of process lists and handle listings.
const Name = "volatility"

// Diagnostic codes of the reader, besides the facts.Code* ones.
const (
	// CodeScanExited: psscan shows processes that have exited; they are
	// not read (see the package documentation).
	CodeScanExited = "psscan-exited"
	// CodeUnknownPlugin: a Volatility 3 process table of an unknown
	// plugin shows processes that have exited; they are not read.
	CodeUnknownPlugin = "unknown-plugin"
	// CodeEmptyTable: a process list's heading with no row under it: the
	// framework found no process.
	CodeEmptyTable = "empty-table"
)

// procLimit bounds the processes one capture may add.
const procLimit = 1 << 20

// pendingLimit bounds the rows held until a table's plugin is known.
const pendingLimit = 1 << 16

// reader reads a capture one line at a time.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	m      matcher
	rows   proctable.HandleRows

	// cmd is the plugin the latest command line runs, pluginUnknown
	// before one.
	cmd plugin
	// table is the layout of the table being read, nil outside one;
	// plugin what printed it; dashes that its line of dashes may come.
	table  *layout
	rend   renderer
	plugin plugin
	dashes bool
	// tree: a row of the table was indented with stars (pstree).
	tree bool
	// tableLine is the line of the table's heading, tableRows the rows
	// read under it.
	tableLine, tableRows int64
	// pending holds the exited rows of a table whose plugin is unknown.
	pending []record

	procs         map[uint64]*proc
	capped        bool
	handles       int64
	scanExited    count
	unknownExited count
	again         count
	ev            evidence
	// cmdCol and pathCol are the cells of a tab-separated row that hold
	// the process's command line and path (Volatility 3's pstree: Audit,
	// Cmd, Path after ExitTime), -1 where the table has none.
	cmdCol, pathCol int
	// warnLine is the line of the latest Python warning, whose quoted
	// source line follows it.
	warnLine int64
}

// count counts rows of one kind, with the line of the first.
type count struct{ n, line int64 }

func (c *count) add(line int64) {
	if c.n == 0 {
		c.line = line
	}
	c.n++
}

// proc is a process a process list has shown.
type proc struct {
	pb       *facts.ProcessBuilder
	line     int64
	created  string
	conflict bool
}

// evidence counts what Sniff weighs.
type evidence struct {
	// rows under a heading; headings; the framework's own lines
	// (banners, progress, log lines, its command line).
	rows, headings, own int
}

// decisive: a row under a heading, or a heading with the framework's
// own lines (a plugin that found nothing; a heading alone may be quoted
// in prose).
func (e *evidence) decisive() bool {
	return e.rows > 0 || (e.headings > 0 && e.own > 0)
}

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log, procs: map[uint64]*proc{}}
}

// Read reads a framework's text output from r, UTF-8 text, into b,
// accounting every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	v := newReader(b, log)
	_, _, err := scan.ReadLines(r, log, &v.lineNo, &v.clean, v.readLine)
	v.finish()
	return err
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// a framework's output: a row under one of the tables' headings.
func Sniff(text []byte) bool {
	v := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		v.lineNo++
		v.readLine(line)
		return v.ev.decisive()
	})
}

func (v *reader) readLine(raw []byte) scan.LineKind {
	line := v.clean.Clean(raw)
	if width := consoleWidth(line); width > 0 {
		return v.readJoined(line, width)
	}
	return v.readClean(raw, line)
}

// readClean reads a line the Cleaner cleaned, raw as it came.
func (v *reader) readClean(raw, line []byte) scan.LineKind {
	if len(line) == 0 {
		return scan.Ignored // Volatility 3 prints one under its heading
	}
	if v.table != nil && line[0] == '.' && v.row(line) {
		// Volatility 2's pstree indents with dots, which an elision
		// ("...") starts with too.
		v.ev.rows++
		v.tableRows++
		return scan.Parsed
	}
	if v.headlessTree(line) {
		v.ev.rows++
		v.tableRows++
		return scan.Parsed
	}
	if k, ok := proctable.Noise(line, v.log, v.lineNo); ok {
		return k
	}
	switch {
	case isBanner(line):
		// It follows the command line, whose plugin stays.
		v.endTable()
		v.ev.own++
		return scan.Parsed
	case isLog(line):
		v.ev.own++
		return scan.Ignored
	case isPythonWarning(line):
		v.warnLine = v.lineNo
		v.ev.own++
		return scan.Ignored
	case v.warnLine > 0 && v.lineNo == v.warnLine+1 && len(raw) > 0 && scan.IsSpace(raw[0]):
		return scan.Ignored // the source line the warning quotes
	}
	if _, _, ok := isImageInfo(line); ok {
		return scan.Ignored
	}
	if p, ok := proctable.ParsePrompt(line); (ok && len(p.Command) == 0) || scan.IsBareShellPrompt(line) {
		return scan.Ignored // a bare prompt after the output
	}
	if p, ok := command(line); ok {
		v.endTable()
		v.cmd = p
		v.ev.own++
		return scan.Parsed
	}
	if l, rend := headingOf(line); l != nil {
		v.startTable(l)
		v.rend = rend
		v.cmdCol, v.pathCol = extraCols(line, l)
		v.ev.headings++
		return scan.Parsed
	}
	if v.headlessHandles(line) {
		v.ev.rows++
		v.tableRows++
		return scan.Parsed
	}
	if v.table == nil {
		return scan.Unrecognized
	}
	if (v.dashes || v.tableRows == 0) && isDashes(line) {
		// The heading's line of dashes, or the rest of it where a paste
		// wrapped it.
		v.dashes = false
		return scan.Parsed
	}
	v.dashes = false
	if isTreeDetail(line) {
		return scan.Ignored // pstree -v: a process's audit path, command line and path
	}
	if v.row(line) {
		v.ev.rows++
		v.tableRows++
		return scan.Parsed
	}
	return scan.Unrecognized
}

// heading returns the layout whose heading line is, nil if none.
func heading(line []byte) *layout {
	if len(line) == 0 || len(line) > 400 {
		return nil // "TreeDepth," alone leaves nothing
	}
	c := line[0] | 0x20
	if c != 'p' && c != 'o' && c != 'n' && line[0] != '_' {
		return nil
	}
	return findLayout(proctable.Key(line))
}

// isDashes recognizes the line of dashes under a heading.
func isDashes(line []byte) bool {
	for _, c := range line {
		if c != '-' && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

func (v *reader) startTable(l *layout) {
	v.endTable()
	v.table, v.dashes, v.tree = l, true, false
	v.cmdCol, v.pathCol = -1, -1
	v.tableLine, v.tableRows = v.lineNo, 0
	v.plugin = l.plugin
	if l.plugin == pluginUnknown && (v.cmd == pluginList || v.cmd == pluginScan) {
		v.plugin = v.cmd
	}
}

// endTable settles the rows held until the table's plugin was known:
// a tree is pstree's, the active list. A process list with no row says
// the framework listed none: a filter that matched none, or an image it
// could not walk (a running system always has processes).
func (v *reader) endTable() {
	if v.table != nil && v.tableRows == 0 && v.plugin != pluginHandles {
		v.log.Diag(v.tableLine, facts.SevWarning, CodeEmptyTable,
			"this process list has no row: the framework listed no process (a --pid or -p that matched none, or a profile, KDBG or symbols that do not fit the memory image), so the capture shows none")
	}
	for _, r := range v.pending {
		if v.tree {
			v.addProc(r, true)
		} else {
			v.unknownExited.add(r.line)
		}
	}
	v.pending = v.pending[:0]
	v.table = nil
}

// record is what one row says.
type record struct {
	line      int64
	offset    uint64
	hasOffset bool
	pid, ppid uint64
	hasPID    bool
	image     string
	threads   *int64
	handles   *int64
	session   *int64
	created   string
	exited    bool
	cmdline   []byte
	path      []byte
	object    uint64
	value     []byte
	typ, name []byte
}

// set gives the record the value of a column.
func (r *record) set(s slot, text []byte) {
	switch s {
	case sOffset, sObject:
		if isHex(text) {
			n, _ := scan.ParseHex(text[2:])
			if s == sOffset {
				r.offset, r.hasOffset = n, true
			} else {
				r.object = n
			}
		}
	case sPID, sPPID:
		n, err := strconv.ParseUint(string(text), 10, 32)
		if err == nil && s == sPID {
			r.pid, r.hasPID = n, true
		} else if err == nil {
			r.ppid = n
		}
	case sImage:
		r.image = string(text)
	case sThreads, sHandles, sSession:
		n, err := strconv.ParseInt(string(text), 10, 64)
		if err != nil {
			return
		}
		switch s {
		case sThreads:
			r.threads = &n
		case sHandles:
			r.handles = &n
		default:
			r.session = &n
		}
	case sCreated:
		r.created = parseTime(strings.Fields(string(text)))
	case sExited:
		w := strings.Fields(string(text))
		r.exited = len(w) > 0 && isDate([]byte(w[0])) && !strings.HasPrefix(w[0], "1970-") && !strings.HasPrefix(w[0], "1601-")
	case sValue:
		r.value = text
	case sType:
		r.typ = text
	case sName:
		if string(text) != "N/A" && string(text) != "-" {
			// Later versions print an object without a name as N/A.
			r.name = text
		}
	case sTreeName:
		addr, image := splitTreeName(text)
		r.set(sOffset, addr)
		r.image = string(image)
	}
}

// row reads a row of the table, false when it does not fit. The
// heading of Volatility 2's pstree is also the one of Volatility 1's
// pslist, whose rows start with the image, not with a tree's cell: the
// table's first row tells which it is (v1List).
func (v *reader) row(line []byte) bool {
	if v.rowOf(line) {
		return true
	}
	if v.table != v2Tree || v.tableRows > 0 {
		return false
	}
	v.table = &v1List
	if v.rowOf(line) {
		return true
	}
	v.table = v2Tree
	return false
}

// rowOf reads a row of the table as its layout has it.
func (v *reader) rowOf(line []byte) bool {
	cols := v.table.cols
	rec := record{line: v.lineNo}
	if v.rend != rText {
		var depth int
		var ok bool
		if v.rend == rCSV {
			depth, ok = v.m.splitCSV(line)
		} else {
			depth, ok = v.m.splitPretty(line)
		}
		if !ok || !v.m.matchCells(cols) {
			return false
		}
		if depth > 0 {
			v.tree = true
		}
		for i, c := range cols {
			if i < len(v.m.cells) {
				rec.set(c.slot, v.m.cells[i])
			}
		}
		return v.take(rec)
	}
	if line[0] == '*' {
		// pstree indents a child with a star a level.
		k := 0
		for k < len(line) && line[k] == '*' {
			k++
		}
		if k == len(line) || (line[k] != ' ' && line[k] != '\t') {
			return false
		}
		v.tree = true
		line = scan.TrimSpace(line[k:])
	}
	if containsTab(line) {
		v.m.cells = proctable.CutAt(line, '\t', proctable.MaxCols, v.m.cells)
		for i := range v.m.cells {
			v.m.cells[i] = scan.TrimSpace(v.m.cells[i])
		}
		if !v.m.matchCells(cols) {
			return false
		}
		for i, c := range cols {
			if i < len(v.m.cells) {
				rec.set(c.slot, v.m.cells[i])
			}
		}
		rec.cmdline, rec.path = v.cell(v.cmdCol), v.cell(v.pathCol)
	} else {
		v.m.words(line)
		if !v.m.match(cols, 0, 0) {
			return false
		}
		for i, c := range cols {
			sp := v.m.spans[i]
			rec.set(c.slot, v.m.text(sp[0], sp[1]))
		}
	}
	return v.take(rec)
}

// take adds what a row of the table says, false when it names no pid.
func (v *reader) take(rec record) bool {
	if !rec.hasPID {
		return false
	}
	if v.plugin == pluginHandles {
		v.addHandle(rec)
		return true
	}
	switch {
	case rec.exited && v.plugin == pluginScan:
		if p := v.procs[rec.pid]; p != nil && p.created == rec.created {
			v.again.add(rec.line) // a zombie pslist showed, found again
			break
		}
		v.scanExited.add(rec.line)
	case rec.exited && v.plugin == pluginUnknown && !v.tree:
		if len(v.pending) < pendingLimit {
			rec.value, rec.typ, rec.name = nil, nil, nil
			v.pending = append(v.pending, rec)
		} else {
			v.unknownExited.add(rec.line)
		}
	default:
		v.addProc(rec, v.plugin == pluginList || v.tree)
	}
	return true
}

func containsTab(b []byte) bool {
	for _, c := range b {
		if c == '\t' {
			return true
		}
	}
	return false
}

func (v *reader) pos(line int64) facts.Position {
	return facts.Position{Path: v.log.Path, Line: line}
}
