package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// countFirstLine reads the per-type handle summary some debugger
// extensions print with the count first and no header, as support
// engineers paste it from user-mode dumps:
//
//	   1  Desktop
//	  93  Key
//	1123  Token
//	4839  Semaphore
//
//	6540  Handles in process
//	  64  Handle Types
//
// A run starts at a row whose type is a known object type; the rows after
// it may name types the list lacks. Words after the type are a note by
// whoever pasted it ("14362  Token  note the difference") and are not read.
func (k *kdReader) countFirstLine(toks [][]byte) (scan.LineKind, bool) {
	if len(toks) < 2 {
		return 0, false
	}
	n, ok := scan.ParseDec(toks[0])
	if !ok {
		return 0, false
	}
	switch {
	case len(toks) == 4 && string(toks[1]) == "Handles" && string(toks[2]) == "in" && string(toks[3]) == "process":
		k.endEntry()
		p := k.b.Debuggee(k.pos())
		p.P.HandleCount = &n
		k.checkUM(n, "")
		return scan.Parsed, true
	case len(toks) == 3 && string(toks[1]) == "Handle" && string(toks[2]) == "Types":
		return scan.Parsed, true // how many types the table has, not a count of handles
	}
	typ, rest := toks[1:2], toks[2:]
	if len(toks) >= 3 && scan.IsObjectType(bytes.Join(toks[1:3], []byte(" "))) {
		typ, rest = toks[1:3], toks[3:] // "ALPC Port"
	}
	name := bytes.Join(typ, []byte(" "))
	if !scan.IsObjectType(name) && !(k.countRows && isTypeWord(name)) {
		return 0, false
	}
	if len(rest) > 0 && !isNote(rest) {
		return 0, false
	}
	k.endEntry()
	p := k.b.Debuggee(k.pos())
	if !k.countRows {
		k.countRows = true
		k.typeRows = false
		if !k.cmd.filtered {
			p.ReportTypeTable()
		}
	}
	if len(rest) > 0 {
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired, "the text after the type of this summary row (a note by whoever pasted it) is not read")
	}
	p.ReportTypeCount(k.types.Get(name), n)
	return scan.Parsed, true
}

// isTypeWord reports whether w can be an object type's name: a capital
// letter, then letters and digits ("DxgkSharedSyncObject", "TmTx").
func isTypeWord(w []byte) bool {
	if len(w) == 0 || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	for _, c := range w[1:] {
		if !scan.IsAlnum(c) {
			return false
		}
	}
	return true
}

// isNote reports whether the words after a row's type read as a note
// someone added: they start with a lower-case word or a mark no type name
// starts with ("note the difference", "<-- leak").
func isNote(rest [][]byte) bool {
	c := rest[0][0]
	return scan.IsLower(c) || bytes.IndexByte([]byte("=<-(/#!*"), c) >= 0
}
