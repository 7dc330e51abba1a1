package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// tableState is the handle table whose entries are being read, from its
// header line ("Handle table at e1674000 with 21 Entries in use") to the
// end of the dump.
type tableState struct {
	active bool
	kernel bool
	// owner is the process the entries belong to; nil until the first
	// entry when the header did not say (see tableLine).
	owner   *facts.ProcessBuilder
	line    int64
	entries int64 // -1 when the debugger could not read the count
	shown   int64
	elided  bool
}

// pendingEntry is a handle entry being read, kernel or user mode, until the
// line that ends it.
type pendingEntry struct {
	active  bool
	um      bool
	owner   *facts.ProcessBuilder
	h       facts.Handle
	typed   bool
	objInfo bool // kernel: object information was printed
	named   bool // a name line was printed
	umPart  umPart
	// cut is set for an entry the end of the capture cut short.
	cut bool
	// object is the object address as printed, parsed only for the types
	// whose objects facts follow (processes and threads).
	object    [24]byte
	objectLen int
}

// tableLine reads the header of a kernel handle dump in any of its forms:
//
//	Handle table at e1674000 with 21 Entries in use
//	Handle table at fffff8a00066f700 with 39 entries in use
//	New version of handle table at e1002000 with 380 Entries in use
//	Kernel handle table at ffffa30c9aa06580 with 2986 entries in use
//	Kernel Handle table at e1539000 with 58 Entries in use
//	Kernel New version of handle table at e1002000 with 380 Entries in use
//	Handle Error reading handle count.
func (k *kdReader) tableLine(line []byte) (scan.LineKind, bool) {
	kernel := false
	rest := line
	if scan.HasPrefix(rest, "Kernel ") {
		kernel = true
		rest = rest[len("Kernel "):]
	}
	rest = bytes.TrimPrefix(rest, []byte("New version of "))
	switch {
	case scan.HasPrefixFold(rest, "handle table at "):
	case scan.HasPrefix(rest, "Handle Error reading handle count"):
	default:
		return 0, false
	}
	k.endEntry()
	k.endTable()
	k.endHeader()
	k.details = false
	// An elision since the command began may have cut this dump too.
	t := tableState{active: true, kernel: kernel, line: k.lineNo, entries: -1, elided: k.lastElision > 0}
	k.toks = scan.Fields(rest, k.toks)
	for i := 1; i < len(k.toks); i++ {
		if bytes.EqualFold(k.toks[i], []byte("entries")) {
			if n, ok := scan.ParseDec(k.toks[i-1]); ok {
				t.entries = n
			}
		}
	}
	// The owner is the process of the PROCESS block or .process context
	// this dump is of. Without one (the kernel table, whose holder is
	// System; a header before any process), it is found when the first
	// entry comes: a header with no entries under it makes no process.
	if !kernel && (k.owner != nil || k.context != "") {
		t.owner = k.handleOwner()
		t.setEntries()
	}
	k.table = t
	return scan.Parsed, true
}

// tableOwner is the process the entries of the table being read belong
// to, found at its first entry when the header did not say.
func (k *kdReader) tableOwner() *facts.ProcessBuilder {
	t := &k.table
	if t.owner == nil {
		if t.kernel {
			t.owner = k.b.KernelTable(facts.Position{Path: k.log.Path, Line: t.line})
		} else {
			t.owner = k.handleOwner()
		}
		t.setEntries()
	}
	return t.owner
}

// setEntries gives the table's owner the number of entries in use the
// header reports.
func (t *tableState) setEntries() {
	if t.entries >= 0 {
		n := t.entries
		t.owner.P.TableEntries = &n
	}
}

// handleOwner is the process that handles shown now belong to.
func (k *kdReader) handleOwner() *facts.ProcessBuilder {
	switch {
	case k.owner != nil:
		return k.owner
	case k.context != "":
		return k.b.Process(k.context, k.pos())
	}
	if !k.orphaned {
		k.orphaned = true
		if k.cmd.filtered {
			// A filter (!mex.grep) keeps only the lines that match: the
			// PROCESS lines went with the rest, which the command's own
			// diagnostic already says.
			k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeNoProcess,
				"handles shown without the PROCESS lines %s dropped: kept under an unknown process", k.cmd.wrapper)
		} else {
			k.log.Diag(k.lineNo, facts.SevWarning, facts.CodeNoProcess,
				"handles shown before any PROCESS block or .process context: kept under an unknown process")
		}
	}
	return k.b.Orphans(k.pos())
}

// unownedTable closes a table that showed no entry and belongs to no
// process the capture shows: its count is kept only where its holder is
// known, for the kernel table System.
func (k *kdReader) unownedTable() {
	t := &k.table
	if t.entries < 0 {
		return
	}
	if t.kernel {
		if sys := k.b.System(); sys != nil {
			t.owner = sys
			t.setEntries()
			return
		}
		k.log.Diag(t.line, facts.SevInfo, facts.CodeNoProcess,
			"the kernel handle table reports %d entries in use and shows none, and the capture shows no System process to give the count to: not kept", t.entries)
		return
	}
	k.log.Diag(t.line, facts.SevInfo, facts.CodeNoProcess,
		"a handle table reports %d entries in use and shows none, before any PROCESS block or .process context: which process it is of is unknown, the count not kept", t.entries)
}

// endTable closes the table being read and says when it shows a different
// number of handles than it reports in use, and why where that is known.
func (k *kdReader) endTable() {
	t := &k.table
	if !t.active {
		return
	}
	t.active = false
	if t.owner == nil {
		k.unownedTable()
		return
	}
	if t.entries < 0 || t.shown == t.entries || (t.shown == 0 && k.cmd.handleHeaderOnly()) {
		return
	}
	sev, why := facts.SevWarning, ""
	switch {
	case t.shown == 0 && !k.cmd.known:
		// No command line to say which flags the dump was made with.
		sev, why = facts.SevInfo, "a !handle with flags 0 prints only the header; or the rest is missing from the capture"
	case t.shown > t.entries:
		why = "more than the table holds"
	case k.cmd.partial() != "":
		sev, why = facts.SevInfo, k.cmd.partial()
	case k.typeFilter != "":
		sev, why = facts.SevInfo, "the dump was filtered to "+k.typeFilter+" handles"
	case t.elided:
		why = "the capture elides output"
	default:
		why = "the rest is missing from the capture"
	}
	k.log.Diag(t.line, sev, facts.CodeCountMismatch, "handle table reports %d entries in use; the capture shows %d (%s)", t.entries, t.shown, why)
}

// entryHead is what the first line of a kernel handle entry says.
type entryHead struct {
	free  bool // "free handle": no entry
	attrs facts.HandleAttributes
	// objLen bytes at objOff of the line are the object address.
	objLen uint8
	objOff int32
	value  uint64
}

// entryStart reads the first line of a kernel handle entry:
//
//	0004: Object: e1009568 GrantedAccess: 000f0003 Entry: e1674008
//	0040: Object: fffff8a000633f00  GrantedAccess: 00000006 (Protected) (Inherit) (Audit) Entry: fffff8a000670100
//	80000478: Object: 816e48e8  GrantedAccess: 00000000 Entry: e10028f0
//	0000: free handle, Entry address e1002000, Next Entry fffffffe
func (k *kdReader) entryStart(line []byte) (scan.LineKind, bool) {
	var h entryHead
	if !parseEntryStart(line, &h) {
		return 0, false
	}
	k.startEntry(line, &h)
	return scan.Parsed, true
}

// parseEntryStart parses the first line of a kernel handle entry into h;
// it depends on the line alone.
func parseEntryStart(line []byte, h *entryHead) bool {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 || colon > 17 {
		return false
	}
	value, ok := scan.ParseHex(line[:colon])
	if !ok {
		return false
	}
	rest := scan.TrimSpace(line[colon+1:])
	if scan.HasPrefix(rest, "free handle") {
		h.free = true
		return true
	}
	if !scan.HasPrefix(rest, "Object:") {
		return false
	}
	// Scanned in place rather than split into fields: this is the line a
	// capture has most of. The object address is kept as printed, and
	// must be one: a line damaged there is read once cleaned.
	rest = scan.TrimSpace(rest[len("Object:"):])
	if len(rest) > 2 && rest[0] == '0' && rest[1]|0x20 == 'x' {
		// "Object: 0xfffffa801a850b20" where the handle was asked for
		// as 0x...: the address is the same as the next line's.
		rest = rest[2:]
	}
	off := len(line) - len(rest)
	end := 0
	for end < len(rest) && !scan.IsSpace(rest[end]) {
		if c := rest[end]; !scan.IsHexDigit(c) && c != '`' {
			return false
		}
		end++
	}
	if end > len(pendingEntry{}.object) {
		return false
	}
	h.objOff, h.objLen = int32(off), uint8(end)
	h.value = value
	rest = rest[end:]
	for {
		i := bytes.IndexByte(rest, '(')
		if i < 0 {
			break
		}
		rest = rest[i:]
		switch {
		case scan.HasPrefix(rest, "(Protected)"):
			h.attrs |= facts.AttrProtected
		case scan.HasPrefix(rest, "(Inherit)"):
			h.attrs |= facts.AttrInherit
		case scan.HasPrefix(rest, "(Audit)"):
			h.attrs |= facts.AttrAudit
		}
		rest = rest[1:]
	}
	return true
}

// startEntry starts the entry whose first line, line, said h.
func (k *kdReader) startEntry(line []byte, h *entryHead) {
	k.cmdSeen++
	k.endEntry()
	if h.free {
		return
	}
	k.details = false
	var owner *facts.ProcessBuilder
	if k.table.active {
		owner = k.tableOwner()
	} else {
		owner = k.handleOwner()
	}
	value := h.value
	if k.table.kernel {
		value &^= 0xffffffff80000000 // the kernel-handle bit: 80000478 is slot 478
	}
	e := &k.entry
	*e = pendingEntry{active: true, owner: owner, objectLen: int(h.objLen)}
	copy(e.object[:], line[h.objOff:int(h.objOff)+int(h.objLen)])
	e.h.Value = value
	e.h.Pos = k.pos()
	e.h.Attributes = h.attrs
}

// entryLine reads the lines that continue an entry: kernel object
// information, or a user-mode field.
//
//	Object: e1009568 Type: (8a5258b8) KeyedEvent
//	ObjectHeader: e1009550 (old version)
//	HandleCount: 53 PointerCount: 54
//	Directory Object: e10030a8 Name: CritSecOutOfMemoryEvent
func (k *kdReader) entryLine(line []byte) (scan.LineKind, bool) {
	e := &k.entry
	if e.um {
		return k.umField(line)
	}
	f, val, ok := parseEntryLine(line)
	if !ok {
		return 0, false
	}
	switch f {
	case fieldType:
		t := ""
		if len(val) > 0 {
			t = k.typeOf(val)
		}
		k.setType(t)
	case fieldName:
		k.setName(k.nameOf(val))
	}
	return scan.Parsed, true
}

// entryField is what a line that continues a kernel handle entry gives.
type entryField uint8

const (
	fieldNone entryField = iota // nothing the counts use
	fieldType                   // object information, with its type if printed
	fieldName                   // a name
)

// parseEntryLine parses a line that continues a kernel handle entry: its
// field, and the type or name as printed (val, empty for a type line
// without a type). It depends on the line alone.
func parseEntryLine(line []byte) (f entryField, val []byte, ok bool) {
	switch line[0] {
	case 'O':
		if scan.HasPrefix(line, "Object:") {
			// "Object: e1009568 Type: (8a5258b8) KeyedEvent": the type
			// name is the rest after the parenthesized type address.
			rest := scan.TrimSpace(scan.SkipToken(line[len("Object:"):]))
			if !scan.HasPrefix(rest, "Type: (") {
				return 0, nil, false
			}
			j := bytes.IndexByte(rest, ')')
			if j < 0 {
				return 0, nil, false
			}
			return fieldType, scan.TrimSpace(rest[j+1:]), true
		}
		if scan.HasPrefix(line, "ObjectHeader:") {
			return fieldNone, nil, true
		}
	case 'H':
		if scan.HasPrefix(line, "HandleCount:") {
			return fieldNone, nil, true
		}
	case 'D':
		if scan.HasPrefix(line, "Directory Object:") {
			name, ok := scan.RestAfter(line, "Name:")
			if !ok {
				return fieldNone, nil, true // a directory with no name printed
			}
			return fieldName, name, true
		}
	}
	return 0, nil, false
}

// typeOf returns the string of a type an entry line prints: from the
// cache, or the interner where it reports the value's repair.
func (k *kdReader) typeOf(val []byte) string {
	if t, ok := k.typeCache.get(val); ok {
		return t
	}
	return k.types.Get(val)
}

// nameOf is typeOf for names.
func (k *kdReader) nameOf(val []byte) string {
	if n, ok := k.nameCache.get(val); ok {
		return n
	}
	return k.names.Get(val)
}

// setType gives the entry being read its object information, and its type
// when one was printed.
func (k *kdReader) setType(t string) {
	e := &k.entry
	if t != "" {
		e.h.Type = t
		e.typed = true
	}
	e.objInfo = true
}

// setName gives the entry being read its name.
func (k *kdReader) setName(name string) {
	if k.entry.named && k.cmd.filtered {
		// An entry prints one name line: in a filter's output a second
		// one is the matched line of another entry, whose other lines
		// the filter dropped (grep -A shows the lines after a match,
		// and a name line ends its entry).
		return
	}
	k.entry.h.Name = name
	k.entry.named = true
}

// canonName canonicalizes a printed object name. File objects carry their
// device in braces after the path ("\WINDOWS {HarddiskVolume1}",
// "\Reference {ConDrv}"); some debugger versions glue it on without the
// space and some pastes add a stray character after it, which is dropped
// with a note. A name that ends in a GUID in braces
// ("\Device\NamedPipe\{8f3a...}", a registry key of a device class) is
// kept as it is: the GUID is part of the name, not a device.
func (k *kdReader) canonName(name []byte) []byte {
	if strayBracket(name) {
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired, "stray %q after the device name %s dropped", "]", name[:len(name)-1])
		name = name[:len(name)-1]
	}
	return canonDevice(name)
}

// strayBracket reports a stray "]" after a device name in braces.
func strayBracket(name []byte) bool {
	n := len(name)
	return n > 1 && name[n-1] == ']' && name[n-2] == '}' && bytes.IndexByte(name, '[') < 0
}

// canonDevice puts the space kd prints between a file object's path and
// its device back where a paste lost it.
func canonDevice(name []byte) []byte {
	if i := deviceSuffix(name); i > 0 && name[i-1] != ' ' {
		fixed := make([]byte, 0, len(name)+1)
		fixed = append(fixed, name[:i]...)
		fixed = append(fixed, ' ')
		return append(fixed, name[i:]...)
	}
	return name
}

// deviceSuffix returns where the device name kd prints after a file
// object's path starts ("{HarddiskVolume1}": a word of letters, digits
// and '_' in braces, after the path and not as a component of it), or 0.
func deviceSuffix(name []byte) int {
	n := len(name)
	if n < 3 || name[n-1] != '}' {
		return 0
	}
	i := bytes.LastIndexByte(name, '{')
	if i <= 0 || i+2 >= n || name[i-1] == '\\' || isGUID(name[i+1:n-1]) {
		return 0
	}
	for _, c := range name[i+1 : n-1] {
		if !scan.IsAlnum(c) && c != '_' {
			return 0
		}
	}
	return i
}

// isGUID recognizes a GUID as printed in names, with or without its
// dashes: 8-4-4-4-12 hex digits.
func isGUID(b []byte) bool {
	hex := 0
	for i, c := range b {
		switch {
		case scan.IsHexDigit(c):
			hex++
		case c == '-' && (i == 8 || i == 13 || i == 18 || i == 23) && len(b) == 36:
		default:
			return false
		}
	}
	return hex == 32
}

// endEntry adds the entry being read, if any, to its process.
func (k *kdReader) endEntry() {
	e := &k.entry
	if !e.active {
		return
	}
	e.active = false
	if !e.typed && k.typeFilter != "" {
		e.h.Type = k.typeFilter
	}
	if e.objectLen > 0 && (e.h.Type == "Process" || e.h.Type == "Thread") {
		e.h.Object, _ = scan.ParseHex(e.object[:e.objectLen])
	}
	switch {
	case e.named:
		e.h.Naming = facts.Named
	case e.objInfo && !e.cut && !k.cmd.filtered:
		// A filter may have dropped the name line: only a whole dump
		// shows that a handle has no name.
		e.h.Naming = facts.Unnamed
	default:
		e.h.Naming = facts.NameUnknown // not shown, or its name line was cut off
	}
	if e.um {
		k.um.shown++
	} else {
		k.table.shown++
	}
	switch e.owner.AddHandle(&e.h) {
	case facts.AddedDuplicate:
		k.log.Diag(e.h.Pos.Line, facts.SevInfo, facts.CodeDuplicate,
			"handle 0x%x shown again; counted once", e.h.Value)
	case facts.AddedMerged:
		k.log.Diag(e.h.Pos.Line, facts.SevInfo, facts.CodeDuplicate,
			"handle 0x%x shown again with more detail; counted once, with that detail", e.h.Value)
	}
}
