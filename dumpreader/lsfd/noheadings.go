package lsfd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// lsfd -n (--noheadings) prints its rows without the header that names
// their columns. They are read where nothing else can be meant:
//
//   - after the command line that printed them, whose -o (--output)
//     names the columns, or, without one, says they are the default
//     ones (a -o +LIST adds LIST to those);
//   - without the command, where a row has the default columns' shape:
//     a command, the pid, a user, the association (a number, or cwd,
//     rtd, exe, mem...), the mode (MODE's "rw-" or XMODE's "rw---"), a
//     type, a source, the mount id and the inode, then the name. lsof's
//     rows without a header have a descriptor with its mode letter
//     ("3u") and a type where lsfd has the mode, and are not taken.
//
// Rows of other columns without the command that chose them are not
// read (which column is which is anyone's guess), nor rows under a
// command whose columns leave out PID, ASSOC or TYPE, which a diagnostic
// says.

// defaultColumns are lsfd's default columns, as 2.39 and later print
// them (2.38 names XMODE MODE; a row reads the same).
var defaultColumns = []string{"COMMAND", "PID", "USER", "ASSOC", "XMODE", "TYPE", "SOURCE", "MNTID", "INODE", "NAME"}

// CodeNoHeadings: rows lsfd printed without its header (-n), read in
// the columns its command line or their shape gives, or not read.
const CodeNoHeadings = "no-headings"

// columnsHeader makes the header of the columns names, in order; ok is
// false where they leave out PID or ASSOC (without TYPE, NAME tells the
// kinds).
func columnsHeader(names []string, line int64) (header, bool) {
	h := noColumns()
	h.line = line
	if len(names) == 0 || len(names) > maxColumns {
		return h, false
	}
	for i, c := range names {
		h.set(i, c)
	}
	h.n = len(names)
	return h, h.readable()
}

// noHeadings reads the arguments of an lsfd command line: whether it
// prints no header (-n, --noheadings) and the columns it prints (-o
// LIST, --output LIST, --output=LIST, -oLIST; nil for the default ones).
func noHeadings(args [][]byte) (none bool, columns []string) {
	var list string
	for i := 0; i < len(args); i++ {
		a := string(args[i])
		switch {
		case a == "-n" || a == "--noheadings":
			none = true
		case a == "-o" || a == "--output":
			if i+1 < len(args) {
				list = string(args[i+1])
				i++
			}
		case strings.HasPrefix(a, "--output="):
			list = a[len("--output="):]
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			list = a[2:]
		case len(a) > 2 && a[0] == '-' && a[1] != '-' && strings.Trim(a[1:], "lnJru") == "":
			// Flags without arguments run together: -nl, -rn.
			none = none || strings.IndexByte(a, 'n') > 0
		}
	}
	list = strings.Trim(list, `'"`)
	if list == "" {
		return none, nil
	}
	add := strings.HasPrefix(list, "+")
	for _, c := range strings.Split(strings.TrimPrefix(list, "+"), ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			columns = append(columns, c)
		}
	}
	if add {
		columns = append(append([]string(nil), defaultColumns...), columns...)
	}
	return none, columns
}

// startNoHeadings takes the columns of the rows an lsfd command line
// without a header will print, at the command's line.
func (z *reader) startNoHeadings(columns []string) {
	if columns == nil {
		columns = defaultColumns
	}
	h, ok := columnsHeader(columns, z.lineNo)
	if !ok {
		z.hdr = nil
		z.log.Diag(z.lineNo, facts.SevWarning, CodeNoHeadings,
			"lsfd prints no header here (-n) and its columns (%s) leave out PID or ASSOC: its rows are not read; capture with -o PID,ASSOC,TYPE,NAME at least", strings.Join(columns, ","))
		return
	}
	z.hdr = &h
	z.ev.header++
}

// shapedRow says whether a row without a header has the default
// columns' shape (see above).
func shapedRow(toks [][]byte) bool {
	pid := -1
	for i := 1; i < len(toks) && i < 8; i++ {
		if scan.AllDigits(toks[i]) {
			pid = i
			break
		}
	}
	if pid < 0 || len(toks) < pid+8 {
		return false
	}
	assoc, mode, typ := toks[pid+2], toks[pid+3], toks[pid+4]
	return isAssoc(assoc) && isMode(mode) && !scan.AllDigits(typ) && len(typ) <= 16 &&
		scan.AllDigits(toks[pid+6]) && scan.AllDigits(toks[pid+7])
}

// isAssoc recognizes an ASSOC cell: a descriptor's number, or what else
// ties the file to the process, in lower case ("cwd", "mem", "ns_net").
func isAssoc(b []byte) bool {
	if scan.AllDigits(b) {
		return true
	}
	if len(b) < 2 || len(b) > 16 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// isMode recognizes a MODE ("rw-") or XMODE ("rw---", "r--m-") cell.
func isMode(b []byte) bool {
	if len(b) < 3 || len(b) > 6 || (b[0] != 'r' && b[0] != '-') || (b[1] != 'w' && b[1] != '-') {
		return false
	}
	return len(bytes.Trim(b[2:], "-xDLlm")) == 0
}

// headlessRow reads a row without a header and without the command that
// printed it, where it has the default columns' shape: it takes those
// columns, and says so once.
func (z *reader) headlessRow(line []byte) (scan.LineKind, bool) {
	z.toks = scan.Fields(line, z.toks[:0])
	if !shapedRow(z.toks) {
		return 0, false
	}
	h, _ := columnsHeader(defaultColumns, 0)
	z.hdr = &h
	kind, ok := z.row(line)
	if !ok {
		z.hdr = nil
		return 0, false
	}
	z.ev.shaped++
	if !z.headless {
		z.headless = true
		z.log.Diag(z.lineNo, facts.SevInfo, CodeNoHeadings,
			"rows without lsfd's header (lsfd -n) from here, in the shape of its default columns (COMMAND PID USER ASSOC XMODE TYPE SOURCE MNTID INODE NAME): read as them")
	}
	return kind, true
}
