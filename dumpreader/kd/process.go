package kd

import (
	"bytes"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// processLine reads the lines of a PROCESS block as `!process` and kernel
// `!handle` print it, in both layouts:
//
//	PROCESS 8a5295f0 SessionId: none Cid: 0004 Peb: 00000000 ParentCid: 0000    (32-bit)
//	DirBase: 0acc0020 ObjectTable: e1002e68 HandleCount: 1056.
//	Image: System
//
//	PROCESS ffffc509c5488040                                                    (64-bit)
//	    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000
//	    DirBase: 001ae002  ObjectTable: ffffda878c2aae80  HandleCount: 2748.
//	    Image: System
//
// with NT4's "TableSize: 150." for HandleCount, "<Data Not Accessible>"
// where symbols were missing, and extra lines such as "FreezeCount 2"
// inside the block. Threads of `!process 0 7` are counted, and TERMINATED
// ones remembered. The detail lines of flags 1 and up (details.go) are
// known by their labels, so a block pasted without its command is read
// whole.
func (k *kdReader) processLine(line []byte) (scan.LineKind, bool) {
	if k.hdrWrap != "" {
		if kind, ok := k.wrappedValue(line); ok {
			return kind, true
		}
	}
	switch line[0] {
	case 'P':
		if scan.HasPrefix(line, "PROCESS ") {
			return k.processHeader(line), true
		}
	case 'S':
		if scan.HasPrefix(line, "SessionId:") {
			return k.headerFields(line), true
		}
	case 'D':
		if scan.HasPrefix(line, "DirBase:") {
			return k.dirBase(line), true
		}
		if scan.HasPrefix(line, "DeepFreeze") && k.hdr != nil {
			k.hdr.P.Frozen = true
			return scan.Parsed, true
		}
	case 'F':
		if scan.HasPrefix(line, "FreezeCount") && k.hdr != nil {
			k.hdr.P.Frozen = true
			return scan.Parsed, true
		}
	case 'I':
		if scan.HasPrefix(line, "Image:") {
			return k.image(line), true
		}
	case 'T':
		if scan.HasPrefix(line, "THREAD ") {
			return k.thread(line), true
		}
	case 'N':
		if scan.HasPrefix(line, "No active threads") && k.hdr != nil {
			k.hdr.P.Exited = true
			return scan.Parsed, true
		}
	}
	return k.detailLine(line)
}

func (k *kdReader) processHeader(line []byte) scan.LineKind {
	// !devhandles prints each process's table line before its PROCESS
	// block: that table is this process's, not one without an owner.
	var carried tableState
	if t := k.table; k.cmd.device && t.active && t.owner == nil && t.shown == 0 {
		carried, k.table.active = t, false
	}
	k.endBlock()
	k.toks = scan.Fields(k.ungluedHeader(line), k.toks)
	if len(k.toks) < 2 {
		return scan.Unrecognized
	}
	addr, ok := scan.AddrString(k.toks[1])
	if !ok {
		return scan.Unrecognized
	}
	pb := k.b.Process(addr, k.pos())
	k.hdr, k.hdrLine, k.hdrImage = pb, k.lineNo, false
	k.owner = pb
	if carried.active {
		carried.owner = pb
		carried.setEntries()
		k.table = carried
	}
	k.orphaned = false
	k.setIdentity(k.toks[2:])
	k.noteWrap(k.toks, false)
	return scan.Parsed
}

// noteWrap remembers the label a header line ends with when its value is
// not on it: a page that reflowed the output put the value on the next
// line ("...  Peb:" then "7ffd4000  ParentCid: 1688").
func (k *kdReader) noteWrap(toks [][]byte, dir bool) {
	k.hdrWrap = ""
	if len(toks) == 0 {
		return
	}
	last := toks[len(toks)-1]
	switch string(last) {
	case "SessionId:", "Cid:", "Peb:", "ParentCid:", "HandleCount:", "TableSize:", "ObjectTable:", "DirBase:":
		k.hdrWrap, k.hdrWrapLine, k.hdrWrapDir = string(last), k.linesRead, dir
	}
}

// dataNotAccessible is what !process prints for a HandleCount it could not
// read, the debugger lacking the handle table's symbols.
const dataNotAccessible = "<Data Not Accessible>"

// wrappedValue reads the line after a header line that ended with a
// label: the label's value, and what more fields the line holds, read as
// if the label began it. A line that does not start with a value (a hex
// number, "none", a count with its period, a HandleCount's "<Data Not
// Accessible>") is no such continuation.
func (k *kdReader) wrappedValue(line []byte) (scan.LineKind, bool) {
	label, dir := k.hdrWrap, k.hdrWrapDir
	k.hdrWrap = ""
	if k.hdr == nil || k.linesRead != k.hdrWrapLine+1 {
		return 0, false
	}
	first := line
	if i := bytes.IndexByte(line, ' '); i >= 0 {
		first = line[:i]
	}
	_, hex := scan.ParseHex(bytes.TrimSuffix(first, []byte(".")))
	// A count without symbols wraps whole: "HandleCount:" / "<Data Not Accessible>".
	notAccessible := dir && bytes.HasPrefix(line, []byte(dataNotAccessible))
	if !hex && string(first) != "none" && !notAccessible {
		return 0, false
	}
	joined := append(append(append(k.wrapBuf[:0], label...), ' '), line...)
	k.wrapBuf = joined
	if dir {
		return k.dirBase(joined), true
	}
	k.toks = scan.Fields(joined, k.toks)
	k.setIdentity(k.toks)
	k.noteWrap(k.toks, false)
	return scan.Parsed, true
}

// headerFields reads "SessionId: 1  Cid: 1514  Peb: c8b6877000  ParentCid: 170c",
// on its own line in the 64-bit layout.
func (k *kdReader) headerFields(line []byte) scan.LineKind {
	if k.hdr == nil {
		return scan.Unrecognized
	}
	k.toks = scan.Fields(k.ungluedHeader(line), k.toks)
	k.setIdentity(k.toks)
	k.noteWrap(k.toks, false)
	return scan.Parsed
}

func (k *kdReader) setIdentity(toks [][]byte) {
	p := k.hdr.P
	if v := scan.ValueAfter(toks, "SessionId:"); v != nil {
		p.Session = nil
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			p.Session = &n
		}
	}
	if v := scan.ValueAfter(toks, "Cid:"); v != nil {
		if pid, ok := scan.ParseHex(v); ok {
			if p.PID != 0 && p.PID != pid {
				k.log.Diag(k.lineNo, facts.SevWarning, facts.CodeCountMismatch,
					"process %s was pid %d, now shows Cid %s", p.Address, p.PID, v)
			}
			p.PID = pid
			k.notePID(pid, k.hdr)
		}
	}
	if v := scan.ValueAfter(toks, "ParentCid:"); v != nil {
		if ppid, ok := scan.ParseHex(v); ok {
			p.PPID = ppid
		}
	}
}

// dirBase reads "DirBase: 0acc0020 ObjectTable: e1002e68 HandleCount: 1056."
func (k *kdReader) dirBase(line []byte) scan.LineKind {
	if k.hdr == nil {
		return scan.Unrecognized
	}
	p := k.hdr.P
	k.toks = scan.Fields(k.ungluedHeader(line), k.toks)
	if v := scan.ValueAfter(k.toks, "ObjectTable:"); v != nil {
		if a, ok := scan.ParseHex(v); ok {
			p.ObjectTable, _ = scan.AddrString(v)
			if a == 0 {
				p.Exited = true // the handle table is gone: the process has exited
			}
		}
	}
	count := scan.ValueAfter(k.toks, "HandleCount:")
	if count == nil {
		count = scan.ValueAfter(k.toks, "TableSize:")
	}
	if count == nil {
		k.noteWrap(k.toks, true)
	}
	switch {
	case count == nil && k.hdrWrap != "":
		// The count is on the next line (wrappedValue).
	case count == nil:
		k.log.Diag(k.lineNo, facts.SevWarning, facts.CodeMissing, "no HandleCount on the DirBase line")
	case count[0] == '<':
		p.HandleCount = nil
		if k.notAccessible == 0 {
			k.notAccessibleLine = k.lineNo
		}
		k.notAccessible++
	default:
		if n, ok := scan.ParseDec(count); ok {
			p.HandleCount = &n
		} else {
			k.log.Diag(k.lineNo, facts.SevWarning, facts.CodeMissing, "unreadable HandleCount %q", count)
		}
	}
	return scan.Parsed
}

// image reads "Image: kernel lab1.exe" (names may hold spaces) and completes
// the header.
func (k *kdReader) image(line []byte) scan.LineKind {
	if k.hdr == nil {
		return scan.Unrecognized
	}
	k.hdr.SetImage(string(scan.TrimSpace(line[len("Image:"):])), k.pos())
	k.hdrImage = true
	k.details = k.cmd.processDetails
	return scan.Parsed
}

// endHeader checks that the PROCESS block being read was complete.
func (k *kdReader) endHeader() {
	if k.hdr != nil && !k.hdrImage {
		if image := k.cmd.processImage; image != "" {
			// "!process 0 0 contoso.exe" then its PROCESS line alone:
			// the command asked for that image's processes only.
			k.hdr.SetImage(image, facts.Position{Path: k.log.Path, Line: k.hdrLine})
			k.log.Diag(k.hdrLine, facts.SevInfo, facts.CodeTruncated,
				"PROCESS block cut before its Image line: its image is taken to be %s, the image the command asked for", image)
		} else if k.lastElision > k.hdrLine {
			// "PROCESS ffffac0f0ede7080" then "...": whoever pasted it
			// left the rest out, as the elision's own diagnostic says.
			k.log.Diag(k.hdrLine, facts.SevInfo, facts.CodeTruncated,
				"PROCESS block cut by an elision before its Image line (the process is kept, its image unknown)")
		} else {
			k.log.Diag(k.hdrLine, facts.SevWarning, facts.CodeTruncated,
				"PROCESS block cut short: no Image line (the process is kept, its image unknown)")
		}
	}
	k.hdr = nil
}

// thread reads a THREAD line of `!process` flags 2 and up:
// "THREAD 829dd020  Cid 0234.04a4  Teb: 7ffdd000 Win32Thread: 00000000 TERMINATED".
func (k *kdReader) thread(line []byte) scan.LineKind {
	if k.hdr == nil {
		return scan.Unrecognized
	}
	k.toks = scan.Fields(line, k.toks)
	if len(k.toks) < 2 {
		return scan.Unrecognized
	}
	addr, ok := scan.ParseHex(k.toks[1])
	if !ok {
		return scan.Unrecognized
	}
	terminated := false
	for _, t := range k.toks {
		if string(t) == "TERMINATED" {
			terminated = true
			k.b.ThreadTerminated(addr)
		}
	}
	k.hdr.AddThread(addr, terminated)
	k.details = true // the thread's own lines follow
	return scan.Parsed
}
