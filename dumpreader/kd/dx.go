package kd

import (
	"bytes"
	"regexp"
	"strings"
	"sync"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// This file reads the output of the debugger data model's `dx` command
// where it shows handles or handle counts:
//
//	dx -r1 @$curprocess.Io.Handles                  a process's handles, by value
//	dx -r2 @$cursession.Processes[4].Io.Handles     with Handle, Type, GrantedAccess, Object
//	dx -g ...Io.Handles.Select(h => new { Type = h.Type, Name = h.Object.ObjectName })
//	dx @$curprocess.Io.Handles.Count()              a count
//	dx -r2 @$cursession.Processes.Select(p => new { Name = p.Name, Handles = p.Io.Handles.Count() })
//	dx -r1 @$cursession.Processes[4]                one process: Name, Id
//
// in its two layouts: the list (a key such as "[0x4]" a line, its fields
// indented below it) and the grid of `dx -g` ('=' borders, a header row
// naming the columns, '-' between cells). Other dx output (structures,
// threads, modules) is accounted for as ignored; the fields of an
// object header ("[+0x008] HandleCount : 6") are structure fields, not
// the process's count.

// dxKind is what a dx query shows, as far as this reader reads it.
type dxKind uint8

const (
	dxOther       dxKind = iota // something else: ignored
	dxHandles                   // a process's handles
	dxHandleCount               // the number of a process's handles
	dxProcesses                 // a collection of processes (or a projection of them)
	dxProcess                   // one process
)

// dxWho says which process a query is about.
type dxWho uint8

const (
	dxNobody  dxWho = iota
	dxCurrent       // @$curprocess
	dxPID           // Processes[N]
	dxImage         // Processes.Where(p => p.Name == "x").First()
)

// dxQuery is what a dx command line asks for.
type dxQuery struct {
	kind    dxKind
	who     dxWho
	pid     uint64
	image   string
	grid    bool
	partial bool // a Where, Take, Skip or index shows only part of the collection
}

// dxNameEquals finds the image a Where clause compares a process's name
// with. Compiled when first used: its bounded repetition makes a program
// of hundreds of instructions, most of the package's start-up.
var dxNameEquals = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\.Name\s*==\s*"([^"]{1,260})"`)
})

// parseDX reads the arguments of a dx command: options, then the
// expression.
func parseDX(args string) dxQuery {
	var q dxQuery
	rest := strings.TrimSpace(args)
	for strings.HasPrefix(rest, "-") {
		opt, after, _ := strings.Cut(rest, " ")
		switch {
		case opt == "-g" || opt == "-gc":
			q.grid = true
			if opt == "-gc" {
				_, after, _ = strings.Cut(strings.TrimSpace(after), " ")
			}
		case opt == "-c":
			_, after, _ = strings.Cut(strings.TrimSpace(after), " ")
		}
		rest = strings.TrimSpace(after)
	}
	expr := rest
	if len(expr) == 0 {
		return q
	}
	top := strings.ToLower(outsideParens(expr))
	if strings.Contains(top, "=") && !strings.Contains(top, "==") {
		return q // an assignment (dx @$x = ...): its value is not read
	}
	if i := strings.Index(top, ".io.handles"); i >= 0 {
		before, after := top[:i], top[i+len(".io.handles"):]
		q.kind = dxHandles
		if strings.HasSuffix(after, ".count()") {
			q.kind = dxHandleCount
		}
		q.partial = strings.Contains(after, ".where(") || strings.Contains(after, ".take(") ||
			strings.Contains(after, ".skip(") || strings.Contains(after, ".first(") || strings.Contains(after, "[")
		q.who, q.pid, q.image = dxProcessOf(before, expr)
		if q.who == dxNobody {
			q.kind = dxOther
		}
		return q
	}
	if top == "@$curprocess" {
		q.kind, q.who = dxProcess, dxCurrent
		return q
	}
	if i := strings.LastIndex(top, "processes"); i >= 0 {
		after := top[i+len("processes"):]
		if strings.HasPrefix(after, "[") {
			who, pid, _ := dxProcessOf(top, expr)
			if who == dxPID && strings.HasSuffix(after, "]") && strings.Count(after, "[") == 1 {
				q.kind, q.who, q.pid = dxProcess, who, pid
			}
			return q
		}
		if !strings.Contains(after, ".first()") && !strings.Contains(after, ".count()") {
			q.kind = dxProcesses
		}
	}
	return q
}

// dxProcessOf tells the process the part of an expression before
// ".Io.Handles" names (top is it outside parentheses, lowercased; expr
// the whole expression as typed).
func dxProcessOf(before, expr string) (dxWho, uint64, string) {
	switch {
	case strings.HasSuffix(before, "@$curprocess"):
		return dxCurrent, 0, ""
	case strings.HasSuffix(before, "]"):
		open := strings.LastIndexByte(before, '[')
		if open < 0 || !strings.HasSuffix(before[:open], "processes") {
			return dxNobody, 0, ""
		}
		if pid, ok := dxParse(before[open+1 : len(before)-1]); ok {
			return dxPID, pid, ""
		}
	case strings.HasSuffix(before, ".first()") && strings.Contains(before, "processes.where()"):
		if m := dxNameEquals().FindStringSubmatch(expr); m != nil {
			return dxImage, 0, m[1]
		}
	}
	return dxNobody, 0, ""
}

// outsideParens returns s with what parentheses and string literals
// hold removed ("Where(p => ...)" becomes "Where()").
func outsideParens(s string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted:
			if c == '"' {
				quoted = false
			}
			continue
		case c == '"':
			quoted = true
			continue
		case c == '(':
			if depth == 0 {
				b.WriteByte(c)
			}
			depth++
			continue
		case c == ')':
			if depth > 0 {
				depth--
			}
			if depth == 0 {
				b.WriteByte(c)
			}
			continue
		}
		if depth == 0 && c != ' ' && c != '\t' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// dxState is the reading of one dx command's output.
type dxState struct {
	active bool
	q      dxQuery
	line   int64 // the command's line
	// echoed is set once the line that echoes the expression was read.
	echoed bool
	// keyIndent is the indentation of the collection's keys ("[0x4]"),
	// -1 before the first.
	keyIndent int
	entry     dxEntry
	// grid holds the columns of a `dx -g` header: where each separator
	// is, and each column's name (the first, the key column, unnamed).
	grid    []int
	columns []string
	// shown counts the entries read.
	shown int64
}

// dxEntry is one element of the collection being read, until the next.
type dxEntry struct {
	active bool
	key    uint64
	hasKey bool
	line   int64
	// typ and name are a handle's; named says a name field was shown.
	typ, name string
	named     bool
	// image, pid and count are a process's.
	image    string
	pid      uint64
	count    int64
	hasCount bool
}

// dxCommand starts reading the output of a dx command.
func (k *kdReader) dxCommand(args string) {
	k.dx = dxState{active: true, q: parseDX(args), line: k.lineNo, keyIndent: -1}
}

// dxLine reads a line of dx output: raw as printed (for its
// indentation), line trimmed. ok is false for a line that is no dx
// output (a prompt, prose).
func (k *kdReader) dxLine(raw, line []byte) (scan.LineKind, bool) {
	d := &k.dx
	if n, _ := matchPrompt(line); n > 0 {
		return 0, false
	}
	indent := len(raw) - len(bytes.TrimLeft(raw, " \t"))
	switch {
	case line[0] == '=':
		return k.dxGridLine(line), true
	case !d.echoed && (line[0] == '@' || scan.HasPrefix(line, "Debugger.") || isCastEcho(line)):
		d.echoed = true
		if i := bytes.LastIndex(line, []byte(" : ")); i >= 0 && (d.q.kind == dxHandleCount || d.q.kind == dxProcess) {
			k.dxValue(dxClean(string(scan.TrimSpace(line[i+3:]))))
		}
		return k.dxKind(), true
	case line[0] == '[':
		if scan.HasPrefix(line, "[+0x") || scan.HasPrefix(line, "[Type:") {
			return scan.Ignored, true // a field of a structure
		}
		key, value, ok := dxKey(line)
		if !ok {
			return 0, false
		}
		if d.keyIndent < 0 || indent <= d.keyIndent {
			d.keyIndent = indent
			k.dxFlush()
			d.entry = dxEntry{active: true, key: key, hasKey: true, line: k.lineNo}
			if d.q.kind == dxProcesses && value != "" {
				d.entry.image = value
			}
			return k.dxKind(), true
		}
		return scan.Ignored, true // an element of a child collection
	}
	name, value, ok := dxField(line)
	if !ok || !d.echoed || indent == 0 && d.keyIndent != 0 {
		return 0, false
	}
	k.dxFieldValue(name, value)
	return k.dxKind(), true
}

// isCastEcho recognizes the echo of a cast expression, the first line dx
// prints of a structure at an address: "((nt!_FILE_OBJECT *)0xffff...)
// : 0xffff... [Type: _FILE_OBJECT *]".
func isCastEcho(line []byte) bool {
	return scan.HasPrefix(line, "((") && bytes.Contains(line, []byte(" : ")) && bytes.Contains(line, []byte("[Type: "))
}

// dxKind is how the lines of the current query count: parsed when it
// is one this reader reads, else ignored.
func (k *kdReader) dxKind() scan.LineKind {
	if k.dx.q.kind == dxOther {
		return scan.Ignored
	}
	return scan.Parsed
}

// dxKey reads "[0x4]", "[0x4]  : System [Switch To]", "[12]".
func dxKey(line []byte) (uint64, string, bool) {
	end := bytes.IndexByte(line, ']')
	if len(line) == 0 || line[0] != '[' || end < 1 {
		return 0, "", false
	}
	key, ok := dxParse(string(line[1:end]))
	if !ok {
		return 0, "", false
	}
	rest := scan.TrimSpace(line[end+1:])
	value := ""
	if r, ok := bytes.CutPrefix(rest, []byte(":")); ok {
		value = dxClean(string(scan.TrimSpace(r)))
	}
	return key, value, true
}

// dxField reads "Name             : value", "Object           [Type:
// _OBJECT_HEADER]" and a field shown collapsed ("Threads"): a name of one
// word (letters, digits, '_'), then its value, if any.
func dxField(line []byte) (string, string, bool) {
	if !isLetterByte(line[0]) {
		return "", "", false
	}
	i := 0
	for i < len(line) && line[i] != ' ' && line[i] != ':' && line[i] != '[' {
		c := line[i]
		if !scan.IsAlnum(c) && c != '_' && c != '@' && c != '$' && c != '.' && c != '(' && c != ')' && c != '[' && c != ']' && c != '>' && c != '=' && c != '"' {
			return "", "", false
		}
		i++
	}
	if i == 0 {
		return "", "", false
	}
	name := string(line[:i])
	rest := scan.TrimSpace(line[i:])
	switch {
	case len(rest) == 0:
		return name, "", true
	case rest[0] == ':':
		return name, dxClean(string(scan.TrimSpace(rest[1:]))), true
	case scan.HasPrefix(rest, "[Type:") || scan.HasPrefix(rest, "[Switch To]"):
		return name, "", true
	}
	return "", "", false
}

func isLetterByte(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// dxClean drops what dx prints after a value: its type ("0x6 [Type: void
// *]"), a DML link ("System [Switch To]").
func dxClean(v string) string {
	for _, suffix := range []string{"[Type:", "[Switch To]"} {
		if i := strings.Index(v, suffix); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
	}
	return v
}

// dxFieldValue takes a field of the current element (or, for one
// process, of the process).
func (k *kdReader) dxFieldValue(name, value string) {
	d := &k.dx
	e := &d.entry
	lower := strings.ToLower(name)
	if !e.active {
		// One element shown alone (.First(), Processes[4]): its fields
		// follow the echo without a key.
		if d.q.kind != dxProcess && (d.q.kind != dxHandles || lower != "handle") {
			return
		}
		*e = dxEntry{active: true, line: k.lineNo}
	}
	switch d.q.kind {
	case dxHandles:
		switch lower {
		case "handle":
			if v, ok := dxNumber(value); ok && !e.hasKey {
				e.key, e.hasKey = v, true
			}
		case "type":
			if e.typ == "" && dxKnown(value) {
				e.typ = value
			}
		case "name", "objectname":
			if dxKnown(value) {
				e.name, e.named = value, true
			}
		}
	case dxProcesses, dxProcess:
		switch {
		case lower == "name" || lower == "processname" || lower == "image":
			if dxKnown(value) {
				e.image = value
			}
		case lower == "id" || lower == "pid" || lower == "processid":
			if v, ok := dxNumber(value); ok {
				e.pid = v
			}
		case dxCountField(lower):
			if v, ok := dxNumber(value); ok {
				e.count, e.hasCount = int64(min(v, 1<<40)), true
			}
		}
	}
}

// dxCountField recognizes a projection's field that holds a handle
// count: "Handles", "HandleCount", "NumHandles", not "Handle" (a
// process's own handle value in `dx @$cursession.Processes[4]`).
func dxCountField(lower string) bool {
	return strings.HasSuffix(lower, "handles") || strings.Contains(lower, "handlecount") || strings.Contains(lower, "handle_count")
}

// dxValue reads the value the echo line of a count or of one process
// shows: "@$curprocess.Io.Handles.Count() : 0x1b4",
// "@$cursession.Processes[4]   : System [Switch To]".
func (k *kdReader) dxValue(value string) {
	d := &k.dx
	switch d.q.kind {
	case dxHandleCount:
		if v, ok := dxNumber(value); ok {
			d.entry = dxEntry{active: true, line: k.lineNo, count: int64(min(v, 1<<40)), hasCount: true}
		}
	case dxProcess:
		if value != "" {
			d.entry = dxEntry{active: true, line: k.lineNo, image: value}
		}
	}
}

// dxKnown says a value is one: not the debugger's failure to read it.
func dxKnown(v string) bool {
	return v != "" && !strings.HasPrefix(v, "Unexpected failure") && !strings.HasPrefix(v, "Unable to") && v[0] != '<'
}

// dxNumber reads a number as dx prints it: hex with 0x, or decimal.
func dxNumber(v string) (uint64, bool) {
	if f := strings.Fields(v); len(f) > 0 {
		return dxParse(f[0])
	}
	return 0, false
}

// dxParse reads a number of a dx expression or value: hex with 0x (and
// a 64-bit backtick), decimal with 0n or without a prefix, as the data
// model's C++ syntax has it.
func dxParse(s string) (uint64, bool) {
	switch {
	case strings.HasPrefix(s, "0x"), strings.HasPrefix(s, "0X"):
		return scan.ParseNumber(s)
	case strings.HasPrefix(s, "0n"):
		s = s[2:]
	}
	if len(s) == 0 || len(s) > 19 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		if !scan.IsDigit(s[i]) {
			return 0, false
		}
		v = v*10 + uint64(s[i]-'0')
	}
	return v, true
}

// dxGridLine reads a line of a `dx -g` grid: a border of '=', the
// header naming the columns between '=', or a row of cells between '-'.
func (k *kdReader) dxGridLine(line []byte) scan.LineKind {
	d := &k.dx
	if len(bytes.Trim(line, "=")) == 0 {
		return scan.Ignored // a border
	}
	if d.grid == nil {
		// The header: its separators say where the cells are.
		d.grid, d.columns = d.grid[:0], d.columns[:0]
		start := 0
		for i := 1; i < len(line) && len(d.grid) < 64; i++ {
			if line[i] == '=' {
				d.grid = append(d.grid, i)
				col := strings.TrimSpace(string(line[start+1 : i]))
				d.columns = append(d.columns, strings.TrimPrefix(col, "(+) "))
				start = i
			}
		}
		if len(d.grid) == 0 {
			d.grid = nil
			return scan.Unrecognized
		}
		return scan.Parsed
	}
	cells := dxCells(line, d.grid)
	if len(cells) != len(d.columns) {
		return scan.Unrecognized
	}
	k.dxFlush()
	key, value, ok := dxKey([]byte(cells[0]))
	d.entry = dxEntry{active: true, line: k.lineNo, key: key, hasKey: ok}
	if d.q.kind == dxProcesses && value != "" {
		d.entry.image = value
	}
	for i := 1; i < len(cells); i++ {
		k.dxFieldValue(d.columns[i], cells[i])
	}
	return k.dxKind()
}

// dxCells splits a grid row at the header's separators when the row has
// its separators there, else at " - " (a row whose spacing a paste
// changed), the last cell taking the rest.
func dxCells(line []byte, seps []int) []string {
	aligned := len(line) > seps[len(seps)-1]
	for _, s := range seps {
		if !aligned || (line[s] != '-' && line[s] != '=') {
			aligned = false
			break
		}
	}
	cells := make([]string, 0, len(seps))
	if aligned {
		start := 0
		for _, s := range seps {
			cells = append(cells, strings.TrimSpace(string(line[start+1:s])))
			start = s
		}
		return cells
	}
	body := strings.TrimSpace(strings.Trim(string(line), "= "))
	return strings.SplitN(body, " - ", len(seps))
}

// dxFlush gives the element read to the facts.
func (k *kdReader) dxFlush() {
	d := &k.dx
	e := d.entry
	d.entry = dxEntry{}
	if !e.active {
		return
	}
	pos := facts.Position{Path: k.log.Path, Line: e.line}
	switch d.q.kind {
	case dxHandles:
		if !e.hasKey {
			return
		}
		owner := k.dxOwner(pos)
		if owner == nil {
			return
		}
		h := facts.Handle{Value: e.key, Type: k.types.Get([]byte(e.typ)), Pos: pos}
		if e.named {
			h.Name, h.Naming = k.names.Get([]byte(e.name)), facts.Named
		}
		owner.AddHandle(&h)
		d.shown++
	case dxHandleCount:
		if owner := k.dxOwner(pos); owner != nil && e.hasCount {
			k.dxSetCount(owner, e.count, e.line)
		}
	case dxProcesses, dxProcess:
		var pb *facts.ProcessBuilder
		switch {
		case e.pid != 0 || (d.q.kind == dxProcesses && e.hasKey):
			pid := e.pid
			if pid == 0 {
				pid = e.key
			}
			pb = k.dxProcessByPID(pid, pos)
		case d.q.kind == dxProcess:
			pb = k.dxOwner(pos)
		}
		if pb == nil {
			return
		}
		if e.image != "" {
			pb.SetImage(e.image, pos)
		}
		if e.hasCount {
			k.dxSetCount(pb, e.count, e.line)
		}
	}
}

// dxSetCount gives a process the handle count a dx query shows, saying
// so when an earlier block of the capture showed another.
func (k *kdReader) dxSetCount(pb *facts.ProcessBuilder, n int64, line int64) {
	if old := pb.P.HandleCount; old != nil && *old != n {
		k.log.Diag(line, facts.SevInfo, facts.CodeCountMismatch,
			"dx shows %d handles for pid %d, which an earlier block gave %d (taken at another time?): the dx count is kept", n, pb.P.PID, *old)
	}
	pb.P.HandleCount = &n
}

// dxOwner is the process a handle query is about, nil when the capture
// does not say (a diagnostic says so once).
func (k *kdReader) dxOwner(pos facts.Position) *facts.ProcessBuilder {
	d := &k.dx
	switch d.q.who {
	case dxPID:
		return k.dxProcessByPID(d.q.pid, pos)
	case dxImage:
		return k.b.ProcessByImage(d.q.image, pos)
	case dxCurrent:
		switch {
		case k.owner != nil:
			return k.owner
		case k.context != "":
			return k.b.Process(k.context, pos)
		case k.cmdKind == promptUser:
			return k.b.Debuggee(pos)
		}
		if !k.dxOrphaned {
			k.dxOrphaned = true
			k.log.Diag(d.line, facts.SevInfo, facts.CodeNoProcess,
				"dx shows the handles of @$curprocess, which the capture does not name: kept under an unknown process")
		}
		return k.b.Orphans(pos)
	}
	return nil
}

// notePID remembers the process a PROCESS block shows with pid; a live
// one is preferred to an exited one that had the pid before.
func (k *kdReader) notePID(pid uint64, pb *facts.ProcessBuilder) {
	if k.pids == nil {
		k.pids = map[uint64]*facts.ProcessBuilder{}
	}
	if old, ok := k.pids[pid]; ok && !old.P.Exited && pb.P.Exited {
		return
	}
	k.pids[pid] = pb
}

// dxProcessByPID is the process with pid: the one a PROCESS block of the
// capture showed, else one named by its pid alone.
func (k *kdReader) dxProcessByPID(pid uint64, pos facts.Position) *facts.ProcessBuilder {
	if pb, ok := k.pids[pid]; ok {
		return pb
	}
	return k.b.ProcessByPID(pid, pos)
}

// endDX ends the output of a dx command.
func (k *kdReader) endDX() {
	d := &k.dx
	if !d.active {
		return
	}
	k.dxFlush()
	if d.q.kind == dxHandles && d.shown > 0 && d.q.partial {
		k.log.Diag(d.line, facts.SevInfo, scan.CodePartial,
			"the dx query shows %d handle(s), part of the process's handles (Where, Take, Skip or an index): not its count", d.shown)
	}
	*d = dxState{}
}

// dxEchoAlone recognizes the first line of dx output pasted without
// its command, the expression echoed ("@$cursession.Processes.Select(...)
// ", "@$curprocess.Io.Handles.Count() : 0x1b4"), and returns the
// expression. Only expressions of processes and handles are taken: no
// other text starts so.
func dxEchoAlone(line []byte) ([]byte, bool) {
	if !scan.HasPrefix(line, "@$cursession.") && !scan.HasPrefix(line, "@$curprocess") && !scan.HasPrefix(line, "Debugger.Sessions[") {
		return nil, false
	}
	expr := line
	if i := bytes.LastIndex(expr, []byte(" : ")); i >= 0 {
		expr = expr[:i]
	}
	if i := bytes.Index(expr, []byte(" [Type:")); i >= 0 {
		expr = expr[:i]
	}
	expr = scan.TrimSpace(expr)
	if parseDX(string(expr)).kind == dxOther {
		return nil, false
	}
	return expr, true
}

// dxCommandEcho recognizes a dx command a capture shows without its
// prompt: "dx -g Debugger.Sessions[0].Processes...", "dx @$curprocess.Io.Handles".
func dxCommandEcho(line []byte) bool {
	return scan.HasPrefix(line, "dx ") && (bytes.Contains(line, []byte("@$")) || bytes.Contains(line, []byte("Debugger.")))
}
