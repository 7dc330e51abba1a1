package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// mexProcState is what the reader knows of the output of mex's process
// command, !mex.p (!p), whose table names a process with its handle count:
//
//	0:000> !mex.p
//	Name     Ses PID            PEB              Mods Handle Thrd
//	======== === ============== ================ ==== ====== ====
//	test.exe   1 2dd8 (0n11736) 00000061cc760000    4     52   11
//
//	0: kd> !mex.p ffff8004ce0ec040
//	Name   Address                  Ses PID     Parent  PEB              Create Time                Mods Handle Thrd User Name
//	====== ======================== === ======= ======= ================ ========================== ==== ====== ==== =========
//	System ffff8004ce0ec040 (E|K|O)   0 4 (0n4) 0 (0n0) 0000000000000000 12/20/2023 07:23:57.634 AM    0      0  241 WORKGROUP\X$
//
// A user-mode row is the debuggee's; a kernel row names its process by
// the address of its object. The lines after the row (the command line,
// memory details, links) are not read.
type mexProcState struct {
	active bool // in the output of !mex.p
	kernel bool // its heading has an Address column
	header bool // its heading was read
}

// mexProcCommand reports whether text runs mex's process command.
func mexProcCommand(text []byte) bool {
	f := strings.Fields(strings.ToLower(string(text)))
	if len(f) == 0 {
		return false
	}
	return f[0] == "!mex.p" || f[0] == "!p"
}

// mexProcNote notes a command: it ends the output being read, and starts
// one.
func (k *kdReader) mexProcNote(text []byte) {
	k.mp = mexProcState{active: mexProcCommand(text)}
}

// mexProcLine reads a line of !mex.p's output: its heading and its row.
func (k *kdReader) mexProcLine(line []byte) (scan.LineKind, bool) {
	mp := &k.mp
	if !mp.active {
		return 0, false
	}
	line = scan.TrimSpace(line)
	f := bytes.Fields(line)
	switch {
	case !mp.header:
		if !isMexProcHeading(f) {
			return 0, false
		}
		mp.header = true
		mp.kernel = hasField(f, "Address")
		return scan.Parsed, true
	case len(bytes.Trim(line, "= ")) == 0:
		return scan.Parsed, true
	}
	row, ok := parseMexProcRow(f, mp.kernel)
	if !ok {
		return 0, false
	}
	mp.active = false // one row: what follows is not read
	k.mexProcRow(row)
	return scan.Parsed, true
}

// isMexProcHeading recognizes the heading of !mex.p's table.
func isMexProcHeading(f [][]byte) bool {
	return len(f) >= 6 && string(f[0]) == "Name" && hasField(f, "PID") && hasField(f, "Handle") && hasField(f, "Thrd")
}

// hasField reports whether f holds the word w.
func hasField(f [][]byte, w string) bool {
	for _, x := range f {
		if string(x) == w {
			return true
		}
	}
	return false
}

// mexProcRow is one row of !mex.p's table.
type mexProcRow struct {
	name    string
	address string // kernel layout only
	session int64
	pid     uint64
	ppid    uint64 // kernel layout only
	handles int64
	threads int64
}

// parseMexProcRow reads a row by its fields: the pid is the hex number
// that its decimal "(0nN)" follows; the name, which may hold blanks, is
// what precedes the session (and, in the kernel layout, the address and
// its flags); the counts Mods Handle Thrd follow the PEB (user mode) or
// the create time (kernel).
func parseMexProcRow(f [][]byte, kernel bool) (mexProcRow, bool) {
	var r mexProcRow
	at := -1
	for i := 1; i+1 < len(f); i++ {
		if _, ok := decimalEcho(f[i+1]); ok {
			if _, ok := scan.ParseHex(f[i]); ok {
				at = i
				break
			}
		}
	}
	if at < 2 {
		return r, false
	}
	pid, _ := decimalEcho(f[at+1])
	r.pid = uint64(pid)
	ses, ok := scan.ParseDec(f[at-1])
	if !ok {
		return r, false
	}
	r.session = ses
	name := f[:at-1]
	rest := f[at+2:]
	if kernel {
		if n := len(name); n > 0 && name[n-1][0] == '(' {
			name = name[:n-1] // the flags mex gives the address, "(E|K|O)"
		}
		n := len(name)
		if n < 2 {
			return r, false
		}
		addr, ok := scan.AddrString(name[n-1])
		if !ok {
			return r, false
		}
		r.address, name = addr, name[:n-1]
		if len(rest) < 2 {
			return r, false
		}
		if ppid, ok := decimalEcho(rest[1]); ok {
			r.ppid = uint64(ppid)
			rest = rest[2:]
		}
		// The PEB, the create time's date and time, and a 12-hour
		// clock's AM or PM (in the session's language) come before the
		// counts.
		for len(rest) > 0 && !bytes.Contains(rest[0], []byte(":")) {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return r, false
		}
		rest = rest[1:]
		if len(rest) > 0 {
			if _, ok := scan.ParseDec(rest[0]); !ok {
				rest = rest[1:]
			}
		}
	} else if len(rest) > 0 {
		rest = rest[1:] // the PEB
	}
	if len(rest) < 3 {
		return r, false
	}
	var counts [3]int64
	for i := range counts {
		n, ok := scan.ParseDec(rest[i])
		if !ok || n < 0 {
			return r, false
		}
		counts[i] = n
	}
	r.handles, r.threads = counts[1], counts[2]
	r.name = string(bytes.Join(name, []byte(" ")))
	return r, true
}

// decimalEcho reads mex's decimal echo of a number, "(0n11736)".
func decimalEcho(b []byte) (int64, bool) {
	if len(b) < 5 || b[0] != '(' || b[len(b)-1] != ')' || !bytes.HasPrefix(b[1:], []byte("0n")) {
		return 0, false
	}
	return scan.ParseDec(b[3 : len(b)-1])
}

// mexProcRow gives a row's process its pid, image and handle count,
// where nothing read before gave them. A count of 0 for a process that
// has threads is mex failing to read the handle table (as it does for
// System in a kernel dump), not a count: it is left unknown.
func (k *kdReader) mexProcRow(r mexProcRow) {
	var p *facts.ProcessBuilder
	if r.address != "" {
		p = k.b.Process(r.address, k.pos())
		if p.P.PPID == 0 {
			p.P.PPID = r.ppid
		}
	} else {
		p = k.debuggee()
	}
	if p.P.PID == 0 {
		p.P.PID = r.pid
	}
	image := r.name
	if _, im, ok := pipeLine([]byte(r.name)); ok {
		image = im // the `|` command's line glued into the column
	}
	if p.P.Image == "" {
		p.P.Image = image
	}
	if p.P.Session == nil {
		s := r.session
		p.P.Session = &s
	}
	if p.P.HandleCount != nil {
		return
	}
	if r.handles == 0 && r.threads > 0 {
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeMissing,
			"!mex.p shows 0 handles for %s, which has %d threads: mex could not read its handle table, so its handle count is unknown", image, r.threads)
		return
	}
	n := r.handles
	p.P.HandleCount = &n
}
