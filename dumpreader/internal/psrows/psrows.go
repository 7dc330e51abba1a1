// Package psrows reads the rows of ps that people paste beside a listing
// of descriptors (lsof, ls -l /proc/PID/fd, a count of them) to say which
// program a pid is: `ps aux | grep java`, `ps -ef`, `ps -o pid,args -p
// 1234`. A row gives its process's image, command line and (where the
// layout shows it) parent. Which field is which comes from the table's
// header, or, when grep or --no-headers left it out, from the options of
// the ps command line, which give the layout procps prints:
//
//	  PID TTY      STAT   TIME COMMAND                            ps ax, axf
//	USER  PID %CPU %MEM    VSZ   RSS TTY STAT START TIME COMMAND  ps aux
//	UID   PID  PPID  C STIME TTY          TIME CMD                ps -ef
//	  PID COMMAND                                                 ps -o pid,args
//	PID   USER     TIME  COMMAND                                  busybox ps
//	USER  PID  PPID VSZ RSS WCHAN ADDR S NAME                     adb shell ps
//
// Every column but the last is one field; the last, the command, runs
// to the end of the row.
package psrows

import (
	"bytes"
	"path"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Columns is where a ps table's pid, parent pid and command are: the
// index of each among a row's fields (PPID -1 when not shown). The
// command is the last column.
type Columns struct {
	PID, PPID, Cmd int
	// ImageOnly says the last column is the program's name (comm: ps
	// -e's CMD, -o comm), not its command line.
	ImageOnly bool
	// Only is the pid the command selected (-p 1234) when the table has
	// no PID column (ps -o args= -p 1234), 0 if none.
	Only int64
	// heading is the last column's heading: the one procps prints for
	// it where a command line gave the columns, the header's where a
	// header did.
	heading string
}

// The layouts of the ps commands whose rows come without their header
// (procps's, as the ps options give them).
var (
	bsdX     = Columns{PID: 0, PPID: -1, Cmd: 4}                                  // ps ax: PID TTY STAT TIME COMMAND
	bsdU     = Columns{PID: 1, PPID: -1, Cmd: 10}                                 // ps aux
	bsdJ     = Columns{PID: 1, PPID: 0, Cmd: 9}                                   // ps axj: PPID PID PGID SID TTY TPGID STAT UID TIME COMMAND
	bsdL     = Columns{PID: 2, PPID: 3, Cmd: 12}                                  // ps axl: F UID PID PPID PRI NI VSZ RSS WCHAN STAT TTY TIME COMMAND
	unixDef  = Columns{PID: 0, PPID: -1, Cmd: 3, ImageOnly: true, heading: "CMD"} // ps -e: PID TTY TIME CMD
	unixF    = Columns{PID: 1, PPID: 2, Cmd: 7}                                   // ps -ef
	unixBigF = Columns{PID: 1, PPID: 2, Cmd: 10}                                  // ps -eF: UID PID PPID C SZ RSS PSR STIME TTY TIME CMD
	unixFL   = Columns{PID: 1, PPID: 2, Cmd: 9}                                   // ps -efL: UID PID PPID LWP C NLWP STIME TTY TIME CMD
	unixLF   = Columns{PID: 3, PPID: 4, Cmd: 14}                                  // ps -elf: F S UID PID PPID C PRI NI ADDR SZ WCHAN STIME TTY TIME CMD
	toybox   = Columns{PID: 1, PPID: 2, Cmd: 8}                                   // adb shell ps: USER PID PPID VSZ RSS WCHAN ADDR S NAME
	unixL    = Columns{PID: 3, PPID: 4, Cmd: 13, ImageOnly: true, heading: "CMD"} // ps -el
)

// Row is what a ps row says of a process.
type Row struct {
	// Image is the program's name ("" for a kernel thread), Cmdline its
	// command line ("" when the table shows only the name).
	Image, Cmdline string
	PPID           uint64
	// Line is the row's line in the capture.
	Line int64
}

// CmdlineLimit bounds a command line kept, as leakdiag collect bounds the
// ones it reads.
const CmdlineLimit = 4096

// maxWords bounds the words of a command line looked at.
const maxWords = 64

// IsCommand reports whether words (a command line's, without its
// prompt and sudo) run ps, or ps on an Android device (adb shell ps).
func IsCommand(words [][]byte) bool {
	_, ok := cutAdb(words)
	return ok || isPS(words)
}

func isPS(words [][]byte) bool {
	return len(words) > 0 && (string(words[0]) == "ps" || bytes.HasSuffix(words[0], []byte("/ps")))
}

// cutAdb returns the words from ps on of `adb [-s SERIAL] shell ps ...`.
func cutAdb(words [][]byte) ([][]byte, bool) {
	if len(words) < 3 || string(words[0]) != "adb" {
		return nil, false
	}
	for i := 1; i+1 < len(words) && i < 6; i++ {
		if string(words[i]) == "shell" {
			return words[i+1:], isPS(words[i+1:])
		}
	}
	return nil, false
}

// Command reads the options of a ps command line, words[0] being ps,
// into the layout of the rows it prints; false when the options give
// none leakdiag knows (ps v, a -o list with a column of several words
// before the command, no command column). A pipe or another command
// ends the options.
func Command(words [][]byte) (Columns, bool) {
	var o options
	if w, ok := cutAdb(words); ok {
		words, o.android = w, true
	} else if !isPS(words) {
		return Columns{}, false
	}
	words = words[1:]
	for i := 0; i < len(words) && i < maxWords; i++ {
		w := words[i]
		if len(w) == 0 || w[0] == '|' || w[0] == ';' || w[0] == '&' || w[0] == '>' || w[0] == '<' {
			break
		}
		next := func() []byte {
			if i+1 < len(words) {
				i++
				return words[i]
			}
			return nil
		}
		switch {
		case bytes.HasPrefix(w, []byte("--")):
			name, val, glued := bytes.Cut(w[2:], []byte("="))
			switch string(name) {
			case "format":
				if !glued {
					val = next()
				}
				o.format = append(o.format, val)
			case "pid", "ppid", "sort", "cols", "columns", "rows", "lines", "width", "user", "group", "tty", "sid", "context":
				if !glued {
					val = next()
				}
				if string(name) == "pid" {
					o.pid(val)
				}
			}
		case w[0] == '-' && bsdAux(w[1:]):
			o.flags(w[1:], next, false) // ps -aux: procps reads it as BSD's aux
		case w[0] == '-':
			o.unix = true
			o.flags(w[1:], next, true)
		case scan.AllDigits(w):
			o.pid(w) // ps 1234: BSD's pid list
		default:
			o.flags(w, next, false)
		}
	}
	return o.columns()
}

// options is what a ps command line's options say of its layout.
type options struct {
	// android says the ps is toybox's, on an Android device, whose
	// default layout is its own.
	android   bool
	unix, bsd bool
	letters   [128]bool
	format    [][]byte
	// pids counts the pids selected, onlyPID the last.
	pids    int
	onlyPID int64
}

// takesArg lists the option letters followed by a value (-p 1234, -o
// pid,args, -C java, -u www), by their style.
const (
	unixArgs = "CGgOopqstUuN"
	bsdArgs  = "OoptUkq"
)

// bsdAux recognizes the BSD options people write after a dash, "-aux"
// (and "-auxww", "-axu"), which procps reads as BSD's: -u would take a
// user.
func bsdAux(letters []byte) bool {
	if bytes.IndexByte(letters, 'u') < 0 || bytes.IndexByte(letters, 'x') < 0 {
		return false
	}
	for _, c := range letters {
		if !strings.ContainsRune("auxwf", rune(c)) {
			return false
		}
	}
	return true
}

func (o *options) flags(w []byte, next func() []byte, unix bool) {
	args := bsdArgs
	if unix {
		args = unixArgs
	} else {
		o.bsd = true
	}
	for j := 0; j < len(w); j++ {
		c := w[j]
		if c >= 128 {
			continue
		}
		if strings.IndexByte(args, c) < 0 {
			o.letters[c] = true
			continue
		}
		val := w[j+1:]
		if len(val) == 0 {
			val = next()
		}
		switch c {
		case 'o':
			o.format = append(o.format, val)
		case 'O':
			o.format = append(o.format, nil) // columns added to the default: unknown
		case 'p', 'q':
			o.pid(val)
		}
		return
	}
}

// pid notes a list of pids an option selects.
func (o *options) pid(list []byte) {
	for _, p := range bytes.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		o.pids++
		if n, ok := scan.ParseDec(bytes.Trim(p, `"'`)); ok {
			o.onlyPID = n
		} else {
			o.onlyPID = -1
		}
	}
}

func (o *options) columns() (Columns, bool) {
	l := &o.letters
	switch {
	case len(o.format) > 0:
		return o.formatColumns()
	case o.android && !l['f'] && !l['l'] && !o.bsd:
		return toybox, true
	case o.unix && !o.bsd:
		switch {
		case l['F']:
			return unixBigF, true
		case l['f'] && l['l']:
			return unixLF, true
		case l['f'] && (l['L'] || l['T']):
			return unixFL, true
		case l['f']:
			return unixF, true
		case l['l']:
			return unixL, true
		case l['L'], l['T'], l['j'], l['y'], l['M'], l['Z'], l['c']:
			return Columns{}, false
		}
		return unixDef, true
	case !o.bsd && !o.unix && o.pids > 0:
		return bsdX, true // ps 1234
	case !o.bsd && !o.unix:
		return unixDef, true // ps
	case o.bsd && !o.unix:
		switch {
		case l['v'], l['s'], l['m'], l['Z'], l['e']:
			return Columns{}, false
		case l['u']:
			return bsdU, true
		case l['j']:
			return bsdJ, true
		case l['l']:
			return bsdL, true
		}
		return bsdX, true
	}
	return Columns{}, false
}

// formatColumns reads the -o lists: each column one field, but for
// lstart's five ("Mon Dec  7 10:00:00 2026"); the command (args, cmd,
// command) or the program's name (comm) last.
func (o *options) formatColumns() (Columns, bool) {
	cols := Columns{PID: -1, PPID: -1, Cmd: -1}
	field := 0
	last := ""
	for _, list := range o.format {
		if list == nil {
			return Columns{}, false
		}
		list = bytes.Trim(list, `"'`)
		for _, c := range bytes.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
			if last == "args" {
				return Columns{}, false // a column after the command line
			}
			name, _, _ := bytes.Cut(c, []byte("=")) // pid= : no heading
			switch last = strings.ToLower(string(name)); last {
			case "pid", "tgid", "process":
				cols.PID = field
			case "ppid":
				cols.PPID = field
			case "args", "cmd", "command":
				last = "args"
			case "lstart":
				field += 4
			case "start", "bsdstart", "label", "cgroup", "cgname", "wchan", "nwchan":
				return Columns{}, false // a width of one or two words
			}
			field++
		}
	}
	switch last {
	case "args":
		cols.Cmd = field - 1
	case "comm", "ucmd", "ucomm", "fname":
		cols.Cmd, cols.ImageOnly, cols.heading = field-1, true, "COMMAND"
	default:
		return Columns{}, false // the command is not the last column
	}
	if cols.PID < 0 {
		if o.pids != 1 || o.onlyPID <= 0 {
			return Columns{}, false
		}
		cols.Only = o.onlyPID
	}
	return cols, true
}

// Header reads the header of a ps table: headings in capitals, PID
// among them, the command last (COMMAND, CMD, ARGS). toks are the
// line's fields.
func Header(toks [][]byte) (Columns, bool) {
	if len(toks) < 2 || len(toks) > 24 {
		return Columns{}, false
	}
	switch string(toks[len(toks)-1]) {
	case "COMMAND", "CMD", "ARGS":
	default:
		return Columns{}, false
	}
	cols := Columns{PID: -1, PPID: -1, Cmd: len(toks) - 1, heading: string(toks[len(toks)-1])}
	for i, h := range toks {
		for _, c := range h {
			if (c < 'A' || c > 'Z') && c != '%' {
				return Columns{}, false
			}
		}
		switch string(h) {
		case "PID":
			cols.PID = i
		case "PPID":
			cols.PPID = i
		case "STARTED":
			return Columns{}, false // lstart's five words
		}
	}
	if cols.PID < 0 {
		return Columns{}, false
	}
	return cols, true
}

// WithHeader returns the columns a header gives, keeping what the
// command line said that the header cannot: that the last column is the
// program's name (ps -e's CMD, which ps -ef's command line is headed
// too), where the header is the one procps prints for the command's
// columns. busybox's ps, whose options are procps's default, heads its
// command line COMMAND.
func (cmd Columns) WithHeader(hdr Columns) Columns {
	if cmd.ImageOnly && cmd.Cmd == hdr.Cmd && cmd.heading == hdr.heading {
		hdr.ImageOnly = true
	}
	return hdr
}

// Parse reads a ps row: line is the row, toks its fields. pid is the
// row's process; false when the row does not fit the columns. A table
// without a PID column (Only) has one row: the caller ends it there.
func Parse(line []byte, toks [][]byte, cols Columns, lineNo int64) (pid int64, row Row, ok bool) {
	if len(toks) <= cols.Cmd {
		return 0, Row{}, false
	}
	if cols.PID >= 0 {
		if !scan.AllDigits(toks[cols.PID]) {
			return 0, Row{}, false
		}
		pid, ok = scan.ParseDec(toks[cols.PID])
	} else {
		pid, ok = cols.Only, cols.Only > 0
	}
	if !ok || pid <= 0 || pid >= 1<<32 {
		return 0, Row{}, false
	}
	for i := range max(cols.Cmd, 1) {
		if i != cols.PID && i != cols.PPID && !plausible(toks[i], i == 0) {
			return 0, Row{}, false
		}
	}
	row.Line = lineNo
	if cols.PPID >= 0 {
		if !scan.AllDigits(toks[cols.PPID]) {
			return 0, Row{}, false
		}
		ppid, _ := scan.ParseDec(toks[cols.PPID])
		row.PPID = uint64(min(max(ppid, 0), 1<<32-1))
	}
	// The command runs from its column to the end; ps f draws the tree
	// before it ("\_ ", "|").
	cmd := line[fieldStart(line, cols.Cmd):]
	cmd = scan.TrimSpace(bytes.TrimLeft(cmd, `|\_ `))
	if len(cmd) == 0 {
		return 0, Row{}, false
	}
	if len(cmd) > CmdlineLimit {
		cmd = cmd[:CmdlineLimit]
	}
	text := strings.ToValidUTF8(string(cmd), "")
	exe := text
	if !cols.ImageOnly {
		if comm, rest, ok := bracedComm(text); ok {
			// Busybox's ps puts the process's name in braces before a
			// command line whose program is named otherwise ("{celery}
			// /venv/bin/python /venv/bin/celery worker"): the name is
			// the one lsof shows, the rest the command line.
			row.Cmdline, row.Image = rest, comm
			return pid, row, true
		}
		row.Cmdline = text
		exe, _, _ = strings.Cut(text, " ")
	}
	// A process that retitles itself (setproctitle: "nginx: worker
	// process", "postgres: checkpointer", "sshd: app@pts/0") puts a colon
	// after its name, which no program's path ends in.
	exe = strings.TrimSuffix(exe, ":")
	if !strings.HasPrefix(exe, "[") { // a kernel thread holds no descriptors
		row.Image = path.Base(strings.TrimPrefix(exe, "-")) // -bash, a login shell
	}
	return pid, row, true
}

// maxComm bounds a braced name: the kernel's comm is 15 bytes, a few
// more allow for a name busybox did not cut.
const maxComm = 64

// bracedComm splits busybox ps's "{name} command line" into the name and
// the command line; false for any other text.
func bracedComm(text string) (comm, rest string, ok bool) {
	if !strings.HasPrefix(text, "{") {
		return "", "", false
	}
	comm, rest, ok = strings.Cut(text[1:], "} ")
	rest = strings.TrimSpace(rest)
	if !ok || comm == "" || len(comm) > maxComm || strings.ContainsAny(comm, " \t{}") || rest == "" {
		return "", "", false
	}
	return comm, rest, true
}

// fieldStart returns where the field n (from 0) of line starts, the
// fields being separated by blanks as scan.Fields separates them.
func fieldStart(line []byte, n int) int {
	i := 0
	for {
		for i < len(line) && scan.IsSpace(line[i]) {
			i++
		}
		if n == 0 || i == len(line) {
			return i
		}
		for i < len(line) && !scan.IsSpace(line[i]) {
			i++
		}
		n--
	}
}

// plausible reports whether a field before the command may be a ps
// column's value: no prompt, pipe or arrow of a descriptor's row. first
// says it starts the row, where a prompt's end ("root@db01:~#",
// "[app@db01 ~]$") would stand.
func plausible(f []byte, first bool) bool {
	switch string(f) {
	case "->", "|", "$", "#", ">", "%":
		return false
	}
	if first && (f[0] == '[' || f[len(f)-1] == '$' || f[len(f)-1] == '#') {
		return false
	}
	return true
}

// Table holds the rows read, by pid, the first of each pid kept; at most
// limit pids.
type Table struct {
	rows  map[int64]Row
	limit int
}

// NewTable returns a table of at most limit pids.
func NewTable(limit int) *Table { return &Table{limit: limit} }

// Add keeps row as pid's unless a row of pid was kept before.
func (t *Table) Add(pid int64, row Row) {
	if t.rows == nil {
		t.rows = map[int64]Row{}
	}
	if _, seen := t.rows[pid]; !seen && len(t.rows) < t.limit {
		t.rows[pid] = row
	}
}

// Get returns pid's row.
func (t *Table) Get(pid int64) (Row, bool) {
	row, ok := t.rows[pid]
	return row, ok
}

// Len is the number of pids kept.
func (t *Table) Len() int { return len(t.rows) }
