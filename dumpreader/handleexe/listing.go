package handleexe

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// handleExeEntry is one handle as a Handle listing line shows it:
//
//	 4: File  (RW-)   C:\Windows
//	2E8: Section       \Sessions\1\BaseNamedObjects\CrSharedMem_5ae4
//	 48: Event
//	 74: ALPC Port     \RPC Control\OLE5A3F
//	 4C: WaitCompletionPacket
type handleExeEntry struct {
	value uint64
	typ   []byte
	flags bool // share flags "(RWD)" were shown
	name  []byte
}

// parseHandleExeEntry reads a listing line: the handle value in hex and
// a colon, the type, the share flags of File handles (not printed by
// every version), and the object's name, empty for unnamed objects
// (which `handle -a` lists too).
func parseHandleExeEntry(line []byte) (handleExeEntry, bool) {
	var e handleExeEntry
	i := 0
	for i < len(line) && scan.IsHexDigit(line[i]) {
		i++
	}
	if i == 0 || i > 16 || i+1 >= len(line) || line[i] != ':' || !scan.IsSpace(line[i+1]) {
		return e, false
	}
	e.value, _ = scan.ParseHex(line[:i])
	typ, rest, ok := splitHandleExeType(scan.TrimSpace(line[i+1:]))
	if !ok {
		return e, false
	}
	e.typ = typ
	rest = scan.TrimSpace(rest)
	if len(rest) >= 5 && isShareFlags(rest[:5]) && (len(rest) == 5 || scan.IsSpace(rest[5])) {
		e.flags = true
		rest = scan.TrimSpace(rest[5:])
	}
	e.name = rest
	return e, true
}

// isShareFlags recognizes the share flags Handle prints after the type
// of a File handle: "(RWD)", "(R--)", "(---)".
func isShareFlags(b []byte) bool {
	return len(b) == 5 && b[0] == '(' && b[4] == ')' &&
		(b[1] == 'R' || b[1] == '-') && (b[2] == 'W' || b[2] == '-') && (b[3] == 'D' || b[3] == '-')
}

// splitHandleExeType splits the object type off the start of b. Types are
// one word but for "ALPC Port" and Handle's own "<Unknown type>"; Handle
// pads the type column with blanks, so another type of two words is one
// where a capitalized second word ends the line or is followed by the
// padding.
func splitHandleExeType(b []byte) (typ, rest []byte, ok bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	if b[0] == '<' {
		j := bytes.IndexByte(b, '>')
		if j < 2 || j > 40 {
			return nil, nil, false
		}
		for _, c := range b[1:j] {
			if !isASCIILetter(c) && !scan.IsDigit(c) && c != ' ' && c != '-' {
				return nil, nil, false
			}
		}
		return b[:j+1], b[j+1:], true
	}
	j := 0
	for j < len(b) && !scan.IsSpace(b[j]) {
		j++
	}
	word := b[:j]
	if !isTypeWord(word) {
		return nil, nil, false
	}
	if scan.HasPrefix(b, "ALPC Port") && (len(b) == len("ALPC Port") || scan.IsSpace(b[len("ALPC Port")])) {
		return b[:len("ALPC Port")], b[len("ALPC Port"):], true
	}
	if !scan.IsObjectType(word) && j+2 < len(b) && b[j] == ' ' && b[j+1] >= 'A' && b[j+1] <= 'Z' {
		k := j + 2
		for k < len(b) && b[k] >= 'a' && b[k] <= 'z' {
			k++
		}
		if k > j+2 && (k == len(b) || (k+1 < len(b) && scan.IsSpace(b[k]) && scan.IsSpace(b[k+1]))) {
			return b[:k], b[k:], true
		}
	}
	return word, b[j:], true
}

// isTypeWord reports whether b may be an object type name: a letter, then
// letters, digits or underscores.
func isTypeWord(b []byte) bool {
	if len(b) == 0 || len(b) > 40 || !isASCIILetter(b[0]) {
		return false
	}
	for _, c := range b[1:] {
		if !isASCIILetter(c) && !scan.IsDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// typicalHandleExeEntry reports whether e reads like a line of Handle
// and not like a numbered list ("1: Install the tools"): a known type, and
// an object name as Handle prints them (a path, a registry key, a process
// or thread) or none.
func typicalHandleExeEntry(e handleExeEntry) bool {
	if !scan.IsObjectType(e.typ) {
		return false
	}
	n := e.name
	switch {
	case e.flags, len(n) == 0, n[0] == '\\':
		return true
	case len(n) >= 3 && isASCIILetter(n[0]) && n[1] == ':' && n[2] == '\\':
		return true
	case scan.HasPrefix(n, "HKLM") || scan.HasPrefix(n, "HKCU") || scan.HasPrefix(n, "HKU") || scan.HasPrefix(n, "HKCR"):
		return true
	}
	return bytes.IndexByte(n, '(') > 0 && bytes.IndexByte(n, ' ') < 0 // "explorer.exe(5936)"
}

// listingLine reads a handle of a listing; it belongs to the process of
// the current section.
func (h *handleExeReader) listingLine(line []byte) (scan.LineKind, bool) {
	e, ok := parseHandleExeEntry(line)
	if !ok {
		return 0, false
	}
	h.listed(e.value, h.intern(&h.types, e.typ), h.intern(&h.names, e.name), typicalHandleExeEntry(e))
	return scan.Parsed, true
}

// listed adds a handle of a listing, typical as typicalHandleExeEntry
// says, to the process of the current section.
func (h *handleExeReader) listed(value uint64, typ, name string, typical bool) {
	if typical {
		h.ev.typical++
		if h.owner != nil {
			h.ev.typicalInSection++
		}
	}
	form := formListing
	if h.cmd.close {
		form = formClose
	}
	h.addHandleString(h.listingOwner(), form, value, typ, name)
}

// listingOwner is the process handles listed now belong to: the section's,
// else the one a `-p PID` on the command line names (the output of
// `handle -c H -p PID` has no section), else none known.
func (h *handleExeReader) listingOwner() *facts.ProcessBuilder {
	if h.owner != nil {
		return h.owner
	}
	if h.cmd.hasPID {
		h.owner = h.b.ProcessByPID(h.cmd.pid, h.pos())
		return h.owner
	}
	h.orphanRun()
	return h.b.Orphans(h.pos())
}

// addHandle folds one handle, shown in form, into pb.
func (h *handleExeReader) addHandle(pb *facts.ProcessBuilder, form handleExeForm, value uint64, typ, name []byte) {
	h.addHandleString(pb, form, value, h.intern(&h.types, typ), h.intern(&h.names, name))
}

// intern returns b as a string of in, "" when b is empty.
func (h *handleExeReader) intern(in *stringIntern, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return in.get(b)
}

// addHandleString is addHandle with the type and name made strings.
func (h *handleExeReader) addHandleString(pb *facts.ProcessBuilder, form handleExeForm, value uint64, typ, name string) {
	hd := facts.Handle{Value: value, Pos: h.pos(), Naming: facts.Unnamed, Type: typ}
	if len(name) > 0 {
		hd.Naming = facts.Named
		hd.Name = name
	}
	if pb.AddHandle(&hd) == facts.AddedDuplicate {
		h.log.Diag(h.lineNo, facts.SevInfo, facts.CodeDuplicate,
			"handle 0x%x of pid %d shown again; counted once", value, pb.P.PID)
	}
	other := hd.Type != "File" && hd.Type != "Section"
	h.shown[form].add(h.lineNo, other)
	if form == formListing {
		h.runListed.add(h.lineNo, other)
	}
	if hd.Type == "File" && strings.IndexByte(strings.TrimPrefix(name, `\??\`), '?') >= 0 {
		if h.replaced == 0 {
			h.replacedLine = h.lineNo
			h.replacedExample = scan.QuoteLine([]byte(name))
		}
		h.replaced++
	}
	h.lastHandle = true
}

// processLine reads the lines that name a process by pid: the header of a
// listing section and a search result.
//
//	System pid: 4 \<unable to open process>
//	PotPlayerMini64.exe pid: 7748 BLACK-BEAUTY\Sam
//	chrome.exe         pid: 17000  type: File           7D8: C:\Users\you\lockfile
//	explorer.exe       pid: 6116   type: File          CLNTNAME\Alias1           1dd3408X E:\x
func (h *handleExeReader) processLine(line []byte) (scan.LineKind, bool) {
	at := bytes.Index(line, []byte("pid: "))
	if at < 2 || !scan.IsSpace(line[at-1]) {
		return 0, false
	}
	image := scan.TrimSpace(line[:at])
	if bytes.IndexByte(image, '\\') >= 0 {
		return 0, false // a path: Handle prints images by their base names
	}
	rest := scan.TrimSpace(line[at+len("pid: "):])
	j := 0
	for j < len(rest) && scan.IsDigit(rest[j]) {
		j++
	}
	pid, ok := parsePID(rest[:j])
	if !ok || (j < len(rest) && !scan.IsSpace(rest[j])) {
		return 0, false
	}
	rest = scan.TrimSpace(rest[j:])
	typed := scan.HasPrefix(rest, "type:")
	if typed {
		rest = scan.TrimSpace(rest[len("type:"):])
	}
	tokAt, tokEnd, value, suffixed := findHandleExeValue(rest)
	switch {
	case tokAt >= 0:
		return h.searchResult(image, pid, rest[:tokAt], value, suffixed, rest[tokAt:tokEnd], scan.TrimSpace(rest[tokEnd:]), typed)
	case typed:
		return 0, false // a search result without its handle
	}
	h.ev.header++
	if bytes.IndexByte(rest, '\\') >= 0 {
		h.ev.headerOwner++ // "DOMAIN\user", "\<unable to open process>"
	}
	h.flushOrphans()
	h.owner = h.process(pid, image)
	h.orphaned = false
	return scan.Parsed, true
}

// process returns the process pid, shown as image here.
func (h *handleExeReader) process(pid uint64, image []byte) *facts.ProcessBuilder {
	pb := h.b.ProcessByPID(pid, h.pos())
	switch {
	case pb.P.Image == "":
		pb.P.Image = string(image)
		h.images[pid] = pb.P.Image
	case string(image) != pb.P.Image && len(image) > 0 && !strings.EqualFold(pb.P.Image, string(image)):
		h.log.Diag(h.lineNo, facts.SevWarning, scan.CodePIDImage,
			"pid %d is %q here and was %q at line %d (two captures, or a pid reused): kept as one process, %q",
			pid, image, pb.P.Image, pb.P.Source.Line, pb.P.Image)
	}
	return pb
}

// searchResult reads one result of a name search; mid holds the type and,
// with -u, the user.
func (h *handleExeReader) searchResult(image []byte, pid uint64, mid []byte, value uint64, suffixed bool, tok, name []byte, typed bool) (scan.LineKind, bool) {
	var typ []byte
	mid = scan.TrimSpace(mid)
	if typed && len(mid) > 0 {
		t, _, ok := splitHandleExeType(mid)
		if !ok {
			return 0, false
		}
		typ = t
	}
	if typed {
		h.ev.search++
	}
	h.endSection()
	if suffixed {
		if h.suffixed == 0 {
			h.suffixLine = h.lineNo
			h.suffixExample = string(tok)
		}
		h.suffixed++
	}
	h.addHandle(h.process(pid, image), formSearch, value, typ, name)
	return scan.Parsed, true
}

// findHandleExeValue finds the handle value of a search result in b: the
// first word that is hex digits and a colon ("7D8:"), or hex digits and
// the "08X" Handle 5.0 prints in place of the colon ("1dd3408X"). It
// returns the word's bounds, or -1.
func findHandleExeValue(b []byte) (at, end int, value uint64, suffixed bool) {
	i := 0
	for i < len(b) {
		for i < len(b) && scan.IsSpace(b[i]) {
			i++
		}
		j := i
		for j < len(b) && !scan.IsSpace(b[j]) {
			j++
		}
		tok := b[i:j]
		digits := tok
		switch {
		case len(tok) >= 2 && tok[len(tok)-1] == ':':
			digits = tok[:len(tok)-1]
		case len(tok) >= 4 && bytes.HasSuffix(tok, []byte("08X")):
			digits, suffixed = tok[:len(tok)-3], true
		default:
			digits = nil
		}
		if len(digits) > 0 && len(digits) <= 16 && allHex(digits) {
			v, _ := scan.ParseHex(digits)
			return i, j, v, suffixed
		}
		suffixed = false
		i = j
	}
	return -1, -1, 0, false
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !scan.IsHexDigit(c) {
			return false
		}
	}
	return true
}

// add counts one handle, shown at line.
func (s *handleExeShown) add(line int64, other bool) {
	if s.n == 0 {
		s.first = line
	}
	s.n++
	s.other = s.other || other
}
