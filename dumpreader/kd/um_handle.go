package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// umListing is the output of one user-mode `!handle` command.
type umListing struct {
	active  bool
	line    int64
	shown   int64
	elided  bool
	partial string
}

// umPart is the multi-line part of a user-mode entry being read.
type umPart uint8

const (
	umFields  umPart = iota
	umAccess         // the access rights GrantedAccess decodes, over several lines
	umObjInfo        // the lines after "Object Specific Information"
)

// umLine reads user-mode `!handle` output outside an entry: the start of an
// entry ("Handle 4", "Handle 0000000000000010") and the summaries
// ("6 Handles", "13 handles of type Event", the "Type Count" table).
func (k *kdReader) umLine(line []byte) (scan.LineKind, bool) {
	if scan.HasPrefix(line, "Handle ") {
		v, ok := scan.ParseHex(scan.TrimSpace(line[len("Handle "):]))
		if !ok {
			return 0, false
		}
		k.endEntry()
		k.typeRows = false
		k.countRows = false
		k.filteredInfo = false
		k.details = false
		e := &k.entry
		*e = pendingEntry{active: true, um: true, owner: k.b.Debuggee(k.pos())}
		e.h.Value = v
		e.h.Pos = k.pos()
		return scan.Parsed, true
	}
	k.toks = scan.Fields(line, k.toks)
	toks := k.toks
	switch {
	case len(toks) == 2 && string(toks[0]) == "Type" && string(toks[1]) == "Count":
		k.endEntry()
		k.typeRows = true
		if !k.cmd.filtered {
			// The table lists every type; a filter may have dropped rows.
			k.b.Debuggee(k.pos()).ReportTypeTable()
		}
		return scan.Parsed, true
	case len(toks) == 2 && string(toks[1]) == "Handles":
		n, ok := scan.ParseDec(toks[0])
		if !ok {
			return 0, false
		}
		k.endEntry()
		p := k.b.Debuggee(k.pos())
		p.P.HandleCount = &n
		k.checkUM(n, "")
		return scan.Parsed, true
	case len(toks) >= 5 && string(toks[1]) == "handles" && string(toks[2]) == "of" && string(toks[3]) == "type":
		n, ok := scan.ParseDec(toks[0])
		if !ok {
			return 0, false
		}
		k.endEntry()
		typ := k.types.Get(bytes.Join(toks[4:], []byte(" ")))
		k.b.Debuggee(k.pos()).ReportTypeCount(typ, n)
		k.checkUM(n, typ)
		return scan.Parsed, true
	case k.typeRows && len(toks) >= 2:
		end := len(toks) - 1
		n, ok := scan.ParseDec(toks[end])
		if !ok {
			// "Key 65602 ==> Large Value": a note the author added
			// after the count.
			end = annotatedCount(toks)
			if end < 0 {
				return 0, false
			}
			n, _ = scan.ParseDec(toks[end])
			k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired, "the text after the count of this summary row (a note by whoever pasted it) is not read")
		}
		typ := k.types.Get(bytes.Join(toks[:end], []byte(" ")))
		k.b.Debuggee(k.pos()).ReportTypeCount(typ, n)
		return scan.Parsed, true
	}
	return k.countFirstLine(toks)
}

// annotatedCount finds the count of a summary row the author annotated,
// "Key 65602 ==> Large Value", "Event 4096 <-- leak": a decimal after the
// type name, followed by a token that starts with an arrow or a comment
// mark, which no type name does. It returns the count's index, -1 if
// the row is no such row.
func annotatedCount(toks [][]byte) int {
	for i := 1; i+1 < len(toks); i++ {
		if _, ok := scan.ParseDec(toks[i]); !ok {
			continue
		}
		switch toks[i+1][0] {
		case '=', '<', '-', '(', '/', '#', '!', '*':
			return i
		}
		return -1
	}
	return -1
}

// checkUM compares a user-mode summary count with the entries shown.
func (k *kdReader) checkUM(reported int64, typ string) {
	shown := k.um.shown
	if typ != "" && k.typeFilter == "" {
		shown = k.b.Debuggee(k.pos()).ParsedOfType(typ)
	}
	if shown == reported || shown == 0 {
		return // a summary on its own (`!handle 0 0`) is complete as it is
	}
	what := "handles"
	if typ != "" {
		what = typ + " handles"
	}
	sev, why := facts.SevWarning, "the rest is missing from the capture"
	switch {
	case shown > reported:
		why = "more than reported"
	case k.um.partial != "" && typ == "":
		sev, why = facts.SevInfo, k.um.partial
	case k.um.elided || k.lastElision > 0:
		why = "the capture elides output"
	}
	k.log.Diag(k.lineNo, sev, facts.CodeCountMismatch, "summary reports %d %s; the capture shows %d (%s)", reported, what, shown, why)
}

// umField reads a field line of a user-mode entry, in any alignment
// (spaces, TABs, or none left at all):
//
//	Type          Event
//	Attributes    0
//	GrantedAccess 0x1f0003:
//	       Delete,ReadControl,WriteDac,WriteOwner,Synch
//	       QueryState,ModifyState
//	HandleCount   2
//	PointerCount  32769
//	Name          <none>
//	Object Specific Information
//	  Event Type Auto Reset
func (k *kdReader) umField(line []byte) (scan.LineKind, bool) {
	e := &k.entry
	label, value := splitLabel(line)
	switch string(label) {
	case "Type":
		if value == nil && bytes.EqualFold(line, []byte("Type")) {
			e.umPart = umFields
			k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeMissing, "handle 0x%x: the debugger printed no type", e.h.Value)
			return scan.Parsed, true
		}
		if string(value) == "Count" {
			return 0, false // the summary table's header
		}
		e.h.Type = k.types.Get(value)
		e.typed = true
		e.umPart = umFields
		return scan.Parsed, true
	case "Attributes", "HandleCount", "PointerCount":
		e.umPart = umFields
		return scan.Parsed, true
	case "GrantedAccess":
		e.umPart = umAccess
		return scan.Parsed, true
	case "Name":
		e.umPart = umFields
		e.objInfo = true
		if string(value) != "<none>" && len(value) > 0 {
			e.h.Name = k.names.Get(value)
			e.named = true
		}
		return scan.Parsed, true
	}
	if bytes.EqualFold(line, []byte("Object Specific Information")) {
		e.umPart = umObjInfo
		return scan.Parsed, true
	}
	if bytes.EqualFold(line, []byte("No object specific information available")) {
		e.umPart = umFields
		return scan.Parsed, true
	}
	switch e.umPart {
	case umAccess, umObjInfo:
		// The access rights GrantedAccess decodes ("Delete,ReadControl",
		// "Read/List,ReadEA") and the object's own lines run until the
		// next field; only what starts something else ends them.
		if !scan.HasPrefix(line, "Handle ") && !scan.IsDigit(line[0]) && !scan.IsElision(line) {
			return scan.Parsed, true
		}
	}
	return 0, false
}

// splitLabel splits "Type\tEvent" or "Type          Event" into label and
// value; value is nil when there is none.
func splitLabel(line []byte) (label, value []byte) {
	i := 0
	for i < len(line) && !scan.IsSpace(line[i]) {
		i++
	}
	if i == len(line) {
		return line, nil
	}
	return line[:i], scan.TrimSpace(line[i:])
}

// endUM closes a user-mode listing.
func (k *kdReader) endUM() {
	k.endEntry()
	k.um = umListing{}
}
