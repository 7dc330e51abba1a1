package kd

import (
	"bytes"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// htraceState is what the reader knows while reading `!htrace` output.
type htraceState struct {
	// owner is the process the traces belong to: the kernel form's
	// "Process 0x81400300" header, else the debuggee.
	owner *facts.ProcessBuilder
	// sinceSnapshot is set after "Outstanding handles opened since the
	// previous snapshot:" (`!htrace -diff`).
	sinceSnapshot bool
	entry         *facts.Trace
	entryOwner    *facts.ProcessBuilder
	// footerCut is set when the footer of `!htrace -diff` was cut after
	// "previous": its last word follows on the next line.
	footerCut bool
}

// htraceLine reads `!htrace` output in its user-mode and kernel forms:
//
//	Handle = 0x0000000000000d14 - OPEN
//	Thread ID = 0x000000000000ef78, Process ID = 0x000000000000f2dc
//	0x00007ffb242e0744: ntdll!NtCreateEvent+0x0000000000000014
//	--------------------------------------
//	Process 0x81400300
//	Handle 0x7CC - OPEN:
//	0x8018F44A: ntoskrnl!ExCreateHandle+0x94
//	Parsed 0x6 stack traces.
//
// with the `-enable`, `-snapshot` and `-diff` messages around them.
// Markdown turns separators into "##" in some pastes; those are read as
// separators, and a frame behind them as a frame.
func (k *kdReader) htraceLine(line []byte) (scan.LineKind, bool) {
	h := &k.htrace
	if h.footerCut {
		h.footerCut = false
		if string(line) == "snapshot." {
			return scan.Parsed, true
		}
	}
	if h.entry == nil && (h.owner != nil || k.cmdIs("!htrace")) && len(scan.TrimSpace(bytes.TrimLeft(line, "#"))) == 0 {
		return scan.Parsed, true // a separator that markdown turned into "##"
	}
	if h.entry != nil {
		if bytes.HasPrefix(line, []byte("##")) {
			line = scan.TrimSpace(bytes.TrimLeft(line, "#"))
			if len(line) == 0 {
				k.endTrace()
				return scan.Parsed, true
			}
		}
		if frame, ok := traceFrame(line); ok {
			h.entry.Frames = append(h.entry.Frames, frame)
			return scan.Parsed, true
		}
		if scan.HasPrefix(line, "Thread ID = ") {
			if i := bytes.Index(line, []byte("Process ID = ")); i >= 0 {
				// The pid of the process the traces are of: the debuggee's in
				// user mode, the "Process 0x…" header's in kernel mode, where
				// the capture gives no other.
				if pid, ok := scan.ParseNumber(string(scan.TrimSpace(line[i+len("Process ID = "):]))); ok && h.entryOwner.P.PID == 0 {
					h.entryOwner.P.PID = pid
				}
			}
			return scan.Parsed, true
		}
	}
	switch {
	case scan.HasPrefix(line, "Handle = "), scan.HasPrefix(line, "Handle 0x"):
		return k.traceStart(line)
	case scan.IsSeparator(line):
		if h.entry == nil && !k.cmdIs("!htrace") {
			return 0, false
		}
		k.endTrace()
		return scan.Parsed, true
	case scan.HasPrefix(line, "Process 0x"):
		if a, ok := scan.AddrString(bytes.TrimPrefix(scan.TrimSpace(line[len("Process "):]), []byte("0x"))); ok {
			k.endTrace()
			h.owner = k.b.Process(a, k.pos())
			return scan.Parsed, true
		}
	case scan.HasPrefix(line, "ObjectTable 0x") && h.owner != nil:
		return scan.Parsed, true
	case scan.HasPrefix(line, "Displayed 0x") && bytes.Contains(line, []byte(" stack traces for outstanding handles opened since the previous")):
		return k.diffFooter(line)
	case scan.HasPrefix(line, "Parsed 0x"), scan.HasPrefix(line, "Dumped 0x"):
		if bytes.HasSuffix(line, []byte("stack traces.")) {
			k.endTrace()
			return scan.Parsed, true
		}
	case scan.HasPrefix(line, "Outstanding handles opened since the previous snapshot"):
		k.endTrace()
		h.sinceSnapshot = true
		return scan.Parsed, true
	case scan.HasPrefix(line, "Handle tracing"), scan.HasPrefix(line, "Ignoring handles that were already closed"),
		bytes.HasSuffix(line, []byte("new stack traces since the previous snapshot.")):
		return scan.Parsed, true
	}
	return 0, false
}

// traceStart reads "Handle = 0x… - OPEN" or "Handle 0x7CC - BAD REFERENCE:".
func (k *kdReader) traceStart(line []byte) (scan.LineKind, bool) {
	rest := bytes.TrimPrefix(line[len("Handle"):], []byte(" ="))
	dash := bytes.Index(rest, []byte(" - "))
	if dash < 0 {
		return 0, false
	}
	value, ok := scan.ParseNumber(string(scan.TrimSpace(rest[:dash])))
	if !ok {
		return 0, false
	}
	kind := string(bytes.TrimSuffix(scan.TrimSpace(rest[dash+3:]), []byte(":")))
	if kind != "OPEN" && kind != "CLOSE" && kind != "BAD REFERENCE" {
		return 0, false
	}
	k.endTrace()
	h := &k.htrace
	h.entryOwner = h.owner
	if h.entryOwner == nil {
		// The debuggee: its pid is the "Process ID = " of a record, else
		// the break-in's (endTrace).
		h.entryOwner = k.b.Debuggee(k.pos())
	}
	h.entry = &facts.Trace{Handle: value, Kind: kind, SinceSnapshot: h.sinceSnapshot, Pos: k.pos()}
	return scan.Parsed, true
}

// diffFooter reads the footer of `!htrace -diff`, "Displayed 0x4 stack
// traces for outstanding handles opened since the previous snapshot.": the
// count of handles it found, which a paste may show fewer entries of. A
// paste hard-wrapped at 80 columns puts "snapshot." on the next line.
func (k *kdReader) diffFooter(line []byte) (scan.LineKind, bool) {
	fields := bytes.Fields(line)
	n, ok := scan.ParseNumber(string(fields[1]))
	if !ok {
		return 0, false
	}
	k.endTrace()
	owner := k.htrace.owner
	if owner == nil {
		owner = k.debuggee()
	}
	owner.ReportOutstandingSinceSnapshot(int64(n))
	k.htrace.footerCut = !bytes.HasSuffix(line, []byte("snapshot."))
	return scan.Parsed, true
}

// endTrace adds the trace being read, if any.
func (k *kdReader) endTrace() {
	h := &k.htrace
	if h.entry == nil {
		return
	}
	if h.owner == nil {
		k.debuggee()
	}
	h.entryOwner.AddTrace(h.entry)
	h.entry, h.entryOwner = nil, nil
}

// traceFrame reads "0x00007ffb242e0744: ntdll!NtCreateEvent+0x0000000000000014"
// into "ntdll!NtCreateEvent+0x14". Managed frames keep their spaces and
// parentheses: everything after the address is the symbol.
func traceFrame(line []byte) (string, bool) {
	if !scan.HasPrefix(line, "0x") {
		return "", false
	}
	colon := bytes.Index(line, []byte(": "))
	if colon < 3 {
		return "", false
	}
	if _, ok := scan.ParseHex(line[2:colon]); !ok {
		return "", false
	}
	sym := scan.TrimSpace(line[colon+2:])
	if len(sym) == 0 {
		return "", false
	}
	return frameText(sym), true
}

// frameText is a stack frame's symbol as a frame of facts.Stack: the
// offset without its leading zeros, so the same code address reads the
// same from a 32-bit and a 64-bit debugger.
func frameText(sym []byte) string {
	if plus := bytes.LastIndex(sym, []byte("+0x")); plus >= 0 {
		if off, ok := scan.ParseHex(sym[plus+3:]); ok {
			return string(sym[:plus]) + "+0x" + strconv.FormatUint(off, 16)
		}
	}
	return string(sym)
}

// cmdIs reports whether the current command is verb.
func (k *kdReader) cmdIs(verb string) bool {
	return bytes.EqualFold([]byte(k.cmd.name), []byte(verb))
}
