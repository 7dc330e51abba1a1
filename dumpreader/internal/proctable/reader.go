package proctable

import (
	"bytes"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Tool is what a format package tells the Reader about its tool.
type Tool struct {
	// Vocab names the columns and properties the tool prints.
	Vocab Vocab
	// Table decides whether a header starts a table of the tool.
	Table func(h *Header) bool
	// Delims are the delimiters of the tool's delimited tables (',' for
	// CSV, '\t' for a tab-separated copy), tried in order.
	Delims []byte
	// ListSep is the separator of the tool's record blocks (':' for
	// Format-List, '=' for wmic's list formats), 0 if it prints none.
	ListSep byte
	// ListKeys is how many keys the vocabulary knows a block must hold,
	// a pid among them, to be read as a record.
	ListKeys int
	// ListKey splits a line of a record block into its key and value;
	// nil is KeyValue with ListSep (Format-List's "Id : 4", wmic's
	// "ProcessId=4").
	ListKey func(line []byte) (key, value []byte, ok bool)
	// Noise accounts for a line that is neither a table, a record block
	// nor a prompt: the tool's own messages, markers of the text around
	// it. ok false leaves it unrecognized.
	Noise func(line []byte) (kind scan.LineKind, ok bool)
	// HereStrings says the tool's scripts have PowerShell's here-strings
	// (@" ... "@): their lines are a script's data, not output.
	HereStrings bool
	// NoHandles is what the diagnostic of a table without a handle
	// count column says of how to get one, "" for PowerShell's words.
	NoHandles string
	// Command tells whether a command line (after a prompt or alone)
	// prints processes with the tool (Mine), runs something else whose
	// output the tool's reader has no use for (Foreign), or is no command
	// line the tool knows (NotCommand).
	Command func(cmd []byte) CommandKind
	// NestedRow tells a row of a Nested table, nil for a tool that
	// prints none.
	NestedRow func(line []byte) bool
	// Implied gives the header and the line under it of the table a
	// command line of the tool prints without them (its rows filtered
	// by find or findstr, or a "no header" option), ok false where the
	// table prints its header or the command does not say which table
	// it prints; nil for a tool that never leaves it out.
	Implied func(cmd []byte) (header, underline []byte, ok bool)
	// WrapLast says the last column of the tool's fixed-width tables is
	// a list that wraps onto further lines, indented to the column
	// (tasklist /svc's Services, /m's Modules): such a line after a row
	// is the rest of the row's value, not a line to report.
	WrapLast bool
}

// CommandKind is what a command line is to a tool.
type CommandKind uint8

// The kinds of command lines.
const (
	NotCommand CommandKind = iota
	// Mine: the command prints the processes the tool lists.
	Mine
	// Foreign: another command (after a prompt), or the tool asked for
	// something else (wmic startup): what it prints up to the next
	// command is ignored, tables of processes aside.
	Foreign
	// Nested: the header of a table the tool prints inside one of its
	// process tables (PsList -x's threads under each process): the rows
	// Tool.NestedRow takes are ignored, and the first line it does not
	// is read as a row of the process table again, which goes on without
	// a header of its own.
	Nested
	// Shown: a command line that shows what a variable holds ($procs,
	// $x | Format-List *), which may be processes or anything else: its
	// output is Foreign's, except that a list block with a pid and a
	// handle count is read as a process's (one without either is
	// passed over, as Foreign's lines are).
	Shown
)

// Evidence counts what a sniff weighs.
type Evidence struct {
	// Headers counts the tables' headers; Underlined those with a line
	// of dashes under them; Delimited those of delimited tables.
	Headers, Underlined, Delimited int
	// Rows counts rows read under a header; RowsUnderlined those under
	// an underlined one.
	Rows, RowsUnderlined int
	// Records counts record blocks read, Commands the tool's command
	// lines.
	Records, Commands int
}

// Reader reads a tool's process lists into a facts.Builder, one line at
// a time, accounting for every line.
type Reader struct {
	tool   Tool
	b      *facts.Builder
	log    *facts.SourceLog
	LineNo int64
	clean  scan.Cleaner
	sink   *Sink
	split  Splitter
	fields Fields
	// Ev is what the lines read so far show, for Sniff.
	Ev Evidence

	hdr *Header
	// underline says the latest line was the header: a line of dashes may
	// follow.
	underline bool
	// block is the record block being read: its first line, the keys
	// seen (by name, lower case), how many the vocabulary knows.
	block      int64
	blockKeys  map[string]bool
	blockKnown int
	blockBuf   []byte
	// blockHandles says the block has a handle count property.
	blockHandles bool
	// here is the line that closes the here-string being read ("@ or
	// '@), empty outside one.
	here string
	// foreign says the latest command was another's (CommandKind), and
	// shown that it was Shown.
	foreign, shown bool
	// nested is the process table a Nested table was printed inside,
	// nil outside one.
	nested *Header
	// md holds the cells of the latest markdown row, tab-joined, and
	// markdown says the line being read is one.
	md       []byte
	markdown bool
	// otherList says the latest line was of a list of another object
	// (Format-List of what Invoke-CimMethod returns: Domain, User),
	// wasOther that the line before this one was.
	otherList, wasOther bool
	// wrapBlank says the latest list line ended with a blank: where
	// Format-List broke its value onto the next line (Fields.More).
	wrapBlank bool
	// noHandles is the first header without a handle count column, and
	// blank counts the rows whose handle count cell is blank.
	noHandles        int64
	blank, blankLine int64
	// remote names the first remote session whose prompt was seen.
	remote     string
	remoteLine int64
	// pidless keeps the rows of tables without a pid column for Finish.
	pidless Pidless
	// bad counts rows with a value that could not be read.
	bad, badLine int64
	badWhat      string
	// rep, when set, splits tables that repeat into points of a series
	// (repeats.go).
	rep *Repeats
	// hostBuilder, when set, makes the Builder of each machine's rows
	// after the first (hosts.go); hostsSaid, that the machines were
	// named in a diagnostic.
	hostBuilder func() *facts.Builder
	hostsSaid   bool
	// rowLine is the line of the latest row read, or of the latest
	// further line of its last column's value (Tool.WrapLast); rowComma
	// says that line ends in a comma, the list going on.
	rowLine int64
	// rowPID is the pid of the latest row read, whose services a wrapped
	// line goes on with; listRole is the role of the latest key of a
	// record block, whose value an indented line goes on with.
	rowPID   uint64
	rowComma bool
	listRole Role
	// impliedCols names the columns of the latest header a command line
	// implied (Tool.Implied), until a row read under it says so.
	impliedCols string
	// cmd is the latest command line of the tool's own (Mine), its words
	// joined by one blank, lower case, at most maxCmd bytes: the tables
	// it prints are its (repeats.go tells a loop by it).
	cmd string
	// cutSaid: a diagnostic said a row's path or command line was cut
	// (Record.Cut).
	cutSaid bool
}

// maxCmd bounds the command line a Reader keeps.
const maxCmd = 512

// NewReader returns a Reader for tool.
func NewReader(tool Tool, b *facts.Builder, log *facts.SourceLog) *Reader {
	r := &Reader{tool: tool, b: b, log: log, sink: NewSink(b, log), blockKeys: map[string]bool{}}
	r.split.ListLast = tool.WrapLast
	return r
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// tool's output: read line by line with a Reader of its own (the format
// named name), until the evidence is decisive.
func Sniff(tool Tool, name string, text []byte, decisive func(*Evidence) bool) bool {
	r := NewReader(tool, facts.NewBuilder(), facts.NewSourceLog("", name))
	if scan.Sniff(text, func(line []byte) bool {
		r.LineNo++
		r.ReadLine(line)
		return decisive(&r.Ev)
	}) {
		return true
	}
	// A record block the text ends in, without the blank line after it
	// (the one process of `tasklist /m /fo list`), is a record too.
	r.endBlock()
	return decisive(&r.Ev)
}

// HasRows is the evidence most tools' sniffs decide on: a header and a
// row under it.
func HasRows(e *Evidence) bool { return e.Rows > 0 }

// Read reads r to its end, then reports what the whole capture shows.
func (r *Reader) Read(in io.Reader) error {
	_, _, err := scan.ReadLines(in, r.log, &r.LineNo, &r.clean, r.ReadLine)
	r.endBlock()
	r.Finish()
	return err
}

// Finish reports what only the whole capture shows.
func (r *Reader) Finish() {
	r.endTable()
	r.sink.Finish()
	if r.remote != "" {
		r.log.Diag(r.remoteLine, facts.SevInfo, CodeRemote,
			"output of a remote session (%s) is read with the rest of the capture, as one machine's", r.remote)
	}
	if r.blank > 0 {
		r.log.Diag(r.blankLine, facts.SevInfo, facts.CodeMissing,
			"%d row(s) have a blank handle count, this one first (the tool could not read the process: protected, or of another session or container): their counts are unknown, not zero", r.blank)
	}
	r.pidless.Finish(r.b, r.log, r.sink.images())
	if r.bad > 0 {
		r.log.Diag(r.badLine, facts.SevWarning, facts.CodeMissing,
			"%d row(s) have a value that could not be read, first %s: those values are unknown", r.bad, r.badWhat)
	}
}

// CodeRemote: the capture holds the output of a remote session.
const CodeRemote = "remote-session"

// ReadLine accounts for one line.
func (r *Reader) ReadLine(raw []byte) scan.LineKind {
	work, hashed := positional(raw, &r.clean)
	line := scan.TrimSpace(work)
	r.wasOther, r.otherList = r.otherList, false
	if len(line) == 0 {
		r.endBlock()
		return scan.Ignored
	}
	if r.tool.HereStrings {
		if kind, ok := r.hereString(line); ok {
			return kind
		}
	}
	r.markdown = false
	switch md, kind := MarkdownRow(line, r.md); kind {
	case MDRule:
		if r.hdr != nil && r.hdr.Sep == '\t' && r.hdr.Line == r.LineNo-1 {
			r.hdr.Underlined = true
			return scan.Parsed // the rule under a markdown table's header
		}
	case MDCells:
		// A markdown table's row reads as a tab-separated copy.
		r.md, work, line, r.markdown = md, md, md, true
	}
	if r.hdr != nil && r.hdr.Sep == 0 && r.underline {
		r.underline = false
		if r.hdr.Underline(work) {
			if r.hdr.Known() > 0 {
				r.Ev.Underlined++
			}
			return scan.Parsed
		}
	}
	r.underline = false
	// A prompt with a command typed after it ends the table before it,
	// whatever numbers the command has ("C:\Users>pskill -t 10480").
	prompted := !hashed && promptNotRow(line)
	if r.nested != nil && !prompted {
		if kind, ok := r.nestedLine(work, line); ok {
			return kind
		}
	}
	if r.hdr != nil && !prompted {
		if kind, ok := r.row(work, line); ok {
			return kind
		}
	}
	if r.header(work, line) {
		return scan.Parsed
	}
	if kind, ok := r.listLine(raw, line); ok {
		return kind
	}
	if p, ok := ParsePrompt(line); ok && !hashed {
		if p.Remote != "" && r.remote == "" {
			r.remote, r.remoteLine = p.Remote, r.LineNo
		}
		if len(p.Command) == 0 {
			r.command(Mine)
			return scan.Parsed
		}
		kind := r.tool.Command(p.Command)
		if kind == NotCommand {
			kind = Foreign
		}
		return r.commandLine(kind, p.Command)
	}
	if kind, ok := r.tool.Noise(line); ok {
		return kind
	}
	if kind := r.tool.Command(line); kind != NotCommand {
		return r.commandLine(kind, line)
	}
	if cmd, ok := glyphPrompt(line); ok {
		// A Unix-style shell on Windows (Git Bash, MSYS, Cygwin), a
		// note's "$ ", or a themed prompt, before the tool's command.
		if kind := r.tool.Command(cmd); kind != NotCommand {
			return r.commandLine(kind, cmd)
		}
	}
	if foreignStart(line) {
		return r.command(Foreign)
	}
	if IsFence(line) {
		r.endBlock() // a markdown fence around the paste ends a block
	}
	if kind, ok := Noise(line, r.log, r.LineNo); ok {
		return kind
	}
	if r.foreign {
		return scan.Ignored
	}
	if hashed || isBatchComment(line) || isBlockCommentStart(line) || isMarkdownHeading(line) || isWorkingDirectory(line) {
		// A comment of a script or notes ("# list the handles", a
		// batch file's ":: show the processes", "<#" opening a block
		// comment), a markdown heading, or the directory line of a
		// two-line prompt.
		return scan.Ignored
	}
	return scan.Unrecognized
}

// hereString accounts for the lines of a PowerShell here-string in a
// script pasted with the output: the line that opens it ($names = @"),
// its data, and the line that closes it ("@ at its start).
func (r *Reader) hereString(line []byte) (scan.LineKind, bool) {
	if r.here != "" {
		if scan.HasPrefix(line, r.here) {
			r.here = ""
		}
		return scan.Ignored, true
	}
	if bytes.HasSuffix(line, []byte(`@"`)) || bytes.HasSuffix(line, []byte(`@'`)) {
		r.here = string(line[len(line)-1]) + "@"
		r.endBlock()
		r.hdr = nil
		return scan.Ignored, true
	}
	return 0, false
}

// nestedLine reads a line inside a Nested table: one of its rows, or a
// row of the process table it was printed inside, which then goes on.
func (r *Reader) nestedLine(work, line []byte) (scan.LineKind, bool) {
	if r.tool.NestedRow(line) {
		return scan.Ignored, true
	}
	r.hdr = r.nested
	kind, ok := r.row(work, line)
	if !ok {
		r.hdr = nil
		return 0, false
	}
	r.nested, r.foreign = nil, false
	return kind, true
}

// command starts what a command line of kind prints.
// commandLine accounts for the command line cmd of kind, and takes the
// header of the table it prints without one (Tool.Implied).
func (r *Reader) commandLine(kind CommandKind, cmd []byte) scan.LineKind {
	k := r.command(kind)
	if kind == Mine {
		r.cmd = commandKey(cmd)
	}
	if kind != Mine || r.tool.Implied == nil {
		return k
	}
	head, under, ok := r.tool.Implied(cmd)
	if !ok {
		return k
	}
	if h, ok := ParseFixed(head, r.tool.Vocab, true); ok && r.takeHeader(h) && r.hdr.Underline(under) {
		r.hdr.Implied = true
		r.impliedCols = string(bytes.Join(bytes.Fields(head), []byte(" ")))
	}
	return k
}

func (r *Reader) command(kind CommandKind) scan.LineKind {
	r.endBlock()
	if kind == Nested && r.tool.NestedRow != nil {
		if r.hdr != nil {
			r.nested = r.hdr
		}
		r.hdr, r.foreign = nil, true
		return scan.Ignored
	}
	r.nested = nil
	r.hdr = nil
	r.foreign = kind == Foreign || kind == Nested || kind == Shown
	r.shown = kind == Shown
	if kind == Foreign || kind == Shown {
		return scan.Ignored
	}
	r.Ev.Commands++
	return scan.Parsed
}

// commandKey is cmd as Reader.cmd keeps it: its words joined by one
// blank, in lower case (PowerShell's and cmd's are), cut at maxCmd.
func commandKey(cmd []byte) string {
	if len(cmd) > 4*maxCmd {
		cmd = cmd[:4*maxCmd]
	}
	key := strings.ToLower(string(bytes.Join(bytes.Fields(cmd), []byte(" "))))
	if len(key) > maxCmd {
		key = key[:maxCmd]
	}
	return key
}

var nbspEntity = []byte("&nbsp;")

// positional returns the line to read columns from: raw with a "#" or
// ">" that prefixes every line of some pastes (a PowerShell comment
// block, a blockquote) blanked, so that header and rows keep their
// columns, and with the damage of pasting undone where there is some
// (the indent kept). hashed says a '#' (or another comment marker of
// source code, codeComment) was blanked.
func positional(raw []byte, clean *scan.Cleaner) ([]byte, bool) {
	raw = stripANSI(raw)
	if bytes.Contains(raw, nbspEntity) {
		// An editor keeps a table's alignment in HTML with a &nbsp; per
		// space: a space each again, before the columns are found.
		raw = bytes.ReplaceAll(raw, nbspEntity, []byte{' '})
	}
	i := 0
	for i < len(raw) && i < 8 && raw[i] == ' ' {
		i++
	}
	hashed := false
	if i < 4 && i < len(raw) && raw[i] == '>' {
		// A blockquote ("> ", "> > "): blanked, so that the Cleaner
		// (which would drop it with the indent after it) keeps columns.
		w := append([]byte(nil), raw...)
		for i < len(w) && (w[i] == '>' || w[i] == ' ') {
			if w[i] == '>' && i+1 < len(w) && w[i+1] != ' ' && w[i+1] != '>' {
				break // ">>" of a continuation prompt is kept
			}
			w[i] = ' '
			i++
		}
		raw = w
	}
	// A PowerShell comment block, quoted or not ("> #  NPM(K) ..."), its
	// '#' before a blank or glued to the text ("#Handles  NPM(K)",
	// "#-------"); not a markdown heading's "##", a shebang's "#!" nor
	// the "#TYPE" line Export-Csv writes above its header.
	if i < len(raw) && raw[i] == '#' && i < 16 && (i+1 == len(raw) || raw[i+1] == ' ' ||
		raw[i+1] != '#' && raw[i+1] != '!' && !scan.HasPrefixFold(raw[i:], "#TYPE ")) {
		w := append([]byte(nil), raw...)
		w[i] = ' '
		raw, hashed = w, true
	}
	if n := codeComment(raw[i:]); n > 0 && i < 16 && !hashed {
		// Output kept in a comment of source code: a C, Java or JS line
		// comment ("// ", "////名称\tPID", a run of slashes glued to
		// the text), or the opening quotes of a Python docstring glued
		// to the header ("\"\"\"Name\tPID"). Blanked like a '#'.
		w := append([]byte(nil), raw...)
		for k := i; k < i+n; k++ {
			w[k] = ' '
		}
		raw, hashed = w, true
	}
	if !scan.NeedsRepair(raw) {
		return raw, hashed
	}
	indent := len(raw) - len(bytes.TrimLeft(raw, " \t"))
	fixed := clean.Clean(raw)
	out := make([]byte, 0, indent+len(fixed))
	out = append(out, raw[:indent]...)
	return append(out, fixed...), hashed
}

// header reads line as a header of the tool's tables.
func (r *Reader) header(work, line []byte) bool {
	delims := r.tool.Delims
	if r.markdown {
		delims = markdownDelims // whichever delimiters the tool's copies have
	}
	for _, sep := range delims {
		if bytes.IndexByte(line, sep) < 0 {
			continue
		}
		if h, ok := ParseDelimited(line, sep, r.tool.Vocab, true); ok && r.takeHeader(h) {
			r.Ev.Delimited++
			return true
		}
	}
	if h, ok := ParseFixed(work, r.tool.Vocab, true); ok && r.takeHeader(h) {
		r.underline = true
		return true
	}
	return false
}

// takeHeader makes h the table's header if the tool's tables have it.
// It takes h by value: the tool sees a pointer to it, which would make
// every line's parse take memory if header held it.
func (r *Reader) takeHeader(h Header) bool {
	if !r.tool.Table(&h) {
		return false
	}
	r.setHeader(h)
	return true
}

// markdownDelims is the delimiter of a markdown table's row, as
// MarkdownRow joins its cells.
var markdownDelims = []byte{'\t'}

func (r *Reader) setHeader(h Header) {
	r.endBlock()
	r.foreign, r.nested = false, nil
	if !h.Has(Handles) {
		r.noHandleCount(r.LineNo, "table has no handle count column")
	}
	h.Line = r.LineNo
	r.hdr = &h
	r.Ev.Headers++
}

// noHandleCount says, once, that a table or record block (what, at line)
// gives no handle count.
func (r *Reader) noHandleCount(line int64, what string) {
	if r.noHandles != 0 {
		return
	}
	r.noHandles = line
	how := r.tool.NoHandles
	if how == "" {
		how = "PowerShell 7's default view has none; Select-Object names the columns"
	}
	r.log.Diag(line, facts.SevInfo, facts.CodeMissing,
		"this %s (%s): its processes' handle counts are unknown", what, how)
}

// row reads line as a row of the current table.
func (r *Reader) row(work, line []byte) (scan.LineKind, bool) {
	if r.wrapped(work) {
		if r.hdr.Cols[len(r.hdr.Cols)-1].Role == Services {
			r.sink.MoreServices(r.rowPID, string(work))
		}
		r.rowLine, r.rowComma = r.LineNo, bytes.HasSuffix(bytes.TrimRight(work, " \t"), []byte(","))
		return scan.Parsed, true
	}
	src := work
	if r.hdr.Sep != 0 {
		src = line
	}
	cells, ok := r.split.Split(r.hdr, src)
	if !ok {
		return 0, false
	}
	r.fields.FromCells(r.hdr, cells)
	rec, ok, bad := r.fields.Record(r.LineNo)
	if (!ok || bad != "") && r.hdr.collapsed() {
		// Nothing, or a bad value, under the headings: read by order.
		rec, ok, bad = r.collapsedRow(work, rec, ok, bad)
	}
	if !ok && !r.hdr.Has(PID) && rec.Image != "" && rec.Handles != nil {
		// A table without pids (Select-Object ProcessName,Handles): a
		// process's row, read by its image when the image is shown once
		// (byimage.go).
		rec.Line = r.LineNo
		r.pidless.Note(rec)
		r.Ev.Rows++
		if r.hdr.Underlined || r.hdr.Sep != 0 {
			r.Ev.RowsUnderlined++
		}
		return scan.Parsed, true
	}
	if !ok {
		return 0, false
	}
	if bad != "" {
		r.noteBad(bad)
	}
	if i := r.hdr.Index(Handles); i >= 0 && cells[i] == "" && rec.Handles == nil {
		r.blank++
		if r.blankLine == 0 {
			r.blankLine = r.LineNo
		}
	}
	r.add(rec)
	r.rowPID = rec.PID
	r.rowLine, r.rowComma = r.LineNo, bytes.HasSuffix(bytes.TrimRight(work, " \t"), []byte(","))
	if r.hdr.Implied && r.impliedCols != "" {
		r.log.Diag(r.hdr.Line, facts.SevInfo, facts.CodeRepaired,
			"the rows after this command line are read without a header, as the columns it prints: %s", r.impliedCols)
		r.impliedCols = ""
	}
	r.Ev.Rows++
	if r.hdr.Underlined || r.hdr.Sep != 0 {
		r.Ev.RowsUnderlined++
	}
	return scan.Parsed, true
}

// wrapped reports whether work, a line of a fixed-width table, is a
// further line of the value of the row above in the table's last column
// (Tool.WrapLast): right after the row, the column one of values the
// tool says nothing else of (RpcSs and more services of a svchost.exe
// after a comma), and the line blank up to that column, or, where a web
// page collapsed the blanks, a list of words going on after the comma
// the line above ended in ("EventSystem, lanmanserver,").
func (r *Reader) wrapped(work []byte) bool {
	if !r.tool.WrapLast || r.hdr.Sep != 0 || len(r.hdr.Cols) < 2 || r.rowLine == 0 || r.rowLine != r.LineNo-1 {
		return false
	}
	last := r.hdr.Cols[len(r.hdr.Cols)-1]
	if (last.Role != Other && last.Role != Services) || !last.Known {
		return false
	}
	indent := len(work) - len(bytes.TrimLeft(work, " \t"))
	if indent > 0 && indent >= last.Start && indent < len(work) {
		return true
	}
	return r.rowComma && isWordList(work)
}

// isWordList reports whether line is a list of words apart by a comma
// and blanks ("EventSystem, lanmanserver, lanmanworkstation,"): each
// item one word of letters, digits, '_', '-', '.' or '$', no item all
// digits (a row's pid), every item but the last ending in a comma.
func isWordList(line []byte) bool {
	f := bytes.Fields(line)
	if len(f) == 0 {
		return false
	}
	for i, w := range f {
		item := bytes.TrimSuffix(w, []byte(","))
		if len(item) == len(w) && i < len(f)-1 || len(item) == 0 {
			return false
		}
		digits := true
		for _, c := range item {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '-', c == '.', c == '$':
				digits = false
			default:
				return false
			}
		}
		if digits {
			return false
		}
	}
	return true
}

// collapsedRow reads line by the order of its values when the
// fixed-width split of a table whose blanks were collapsed found no pid
// in it, or a value it could not read (rec, ok, bad). The row is taken
// only when its pid and its handle count, where the table has one, both
// read: a line of prose of as many words is not a row.
func (r *Reader) collapsedRow(line []byte, rec Record, ok bool, bad string) (Record, bool, string) {
	cells, split := r.split.splitCollapsed(r.hdr, line)
	if !split {
		return rec, ok, bad
	}
	saved := r.fields
	r.fields.FromCells(r.hdr, cells)
	got, gotOK, gotBad := r.fields.Record(r.LineNo)
	if !gotOK || gotBad != "" || (r.hdr.Has(Handles) && got.Handles == nil) {
		r.fields = saved
		if !ok {
			r.fields.FromCells(r.hdr, nil)
		}
		return rec, ok, bad
	}
	return got, true, ""
}

func (r *Reader) noteBad(what string) {
	r.bad++
	if r.badLine == 0 {
		r.badLine, r.badWhat = r.LineNo, what
	}
}

// listLine reads line as a line of a record block.
func (r *Reader) listLine(raw, line []byte) (scan.LineKind, bool) {
	if r.tool.ListSep == 0 {
		return 0, false
	}
	var key, value []byte
	var ok bool
	if r.tool.ListKey != nil {
		key, value, ok = r.tool.ListKey(line)
	} else {
		key, value, ok = KeyValue(line, r.tool.ListSep)
	}
	if !ok {
		if r.block > 0 && len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t') && r.tool.ListSep == ':' {
			// Format-List wraps a long value onto indented lines;
			// tasklist /svc /fo list prints a service a line.
			if r.listRole == Services {
				r.fields.MoreServices(string(line))
			} else {
				// A path or command line goes on (a script's path with
				// a blank, cut at it: powershell -f "...\Start
				// Menu\...\x.ps1"); any other value's lines are no use.
				r.fields.More(string(line), r.wrapBlank)
			}
			r.wrapBlank = endsBlank(raw)
			return scan.Parsed, true
		}
		return 0, false
	}
	lower := Key(key)
	role, known := r.tool.Vocab.lookup(lower)
	if r.block == 0 && (!known || r.foreign && !r.shown) {
		if !r.foreign && r.tool.ListSep == ':' {
			// Format-List of another object (what Invoke-CimMethod
			// returns: Domain, ReturnValue, User): a line no process
			// list has, and so are the lines of its list after it.
			r.otherList = true
			return scan.Ignored, true
		}
		// Another command's list (Get-Service | Format-List) has
		// properties of the same names.
		return 0, false
	}
	if r.block == 0 && r.wasOther && !identifies(role) {
		// The other object's list goes on with a property a process
		// has too (PSComputerName).
		r.otherList = true
		return scan.Ignored, true
	}
	if r.blockKeys[lower] {
		// The next record, without a blank line between.
		r.endBlock()
	}
	if r.block == 0 {
		// What a line before the block left in the fields goes: a line
		// of prose under a table is tried as a row, and one that names
		// no pid leaves its cells behind.
		r.fields.Reset()
		r.block = r.LineNo
		r.hdr = nil
	}
	if len(r.blockKeys) < MaxCols {
		r.blockKeys[lower] = true
	}
	r.listRole = role
	r.wrapBlank = endsBlank(raw)
	if known {
		r.blockKnown++
		r.blockHandles = r.blockHandles || role == Handles
		// Handles and HandleCount are one figure: the first read stays.
		r.fields.Set(role, string(value))
	}
	return scan.Parsed, true
}

// identifies says whether a property of role names a process: a list
// that starts with one is a process's.
func identifies(role Role) bool {
	return role == PID || role == Image || role == ImageNoExt || role == Handles
}

// endBlock turns the record block read so far into a process.
func (r *Reader) endBlock() {
	if r.block == 0 {
		return
	}
	rec, ok, bad := r.fields.Record(r.block)
	if r.foreign && r.shown && (!ok || !r.blockHandles || r.blockKnown < r.tool.ListKeys) {
		// What a variable holds, not a process (Get-Service's list),
		// or too little of one to read: passed over.
		ok, r.blockKnown = false, 0
		rec = Record{}
	}
	if ok && r.blockKnown >= r.tool.ListKeys {
		if bad != "" {
			r.noteBad(bad)
		}
		r.add(rec)
		r.Ev.Records++
		if !r.blockHandles {
			r.noHandleCount(r.block, "record block has no handle count")
		}
	} else if pidless, ok := pidlessRecord(rec, ok, r.blockKnown >= r.tool.ListKeys); ok {
		// A block without a pid (Format-List of Select-Object
		// Name,Handles, or of a process whose first properties were not
		// pasted) is read as a table's row without one is: by its image,
		// when the image is shown once (byimage.go).
		r.pidless.Note(pidless)
		r.Ev.Records++
	} else if r.blockKnown > 0 {
		r.log.Diag(r.block, facts.SevInfo, facts.CodeMissing, "a record block without a pid (or with too few known properties) names no process: not read")
	}
	r.block, r.blockKnown, r.blockHandles = 0, 0, false
	clear(r.blockKeys)
	r.fields.Reset()
}

// endsBlank says whether raw, a line as read, ends with a blank or a
// tab before its line break.
func endsBlank(raw []byte) bool {
	raw = bytes.TrimRight(raw, "\r\n")
	return len(raw) > 0 && (raw[len(raw)-1] == ' ' || raw[len(raw)-1] == '\t')
}
