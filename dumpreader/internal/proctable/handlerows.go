package proctable

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// syntheticBase is where the values given to handles shown without one
// start: far above any handle value a process holds.
const syntheticBase = 1 << 62

// HandleRows turns the rows of a handle table, one handle a row (Process
// Explorer's handle pane and Find results, System Informer's Handles
// tab), into handles. It interns their types and names, and gives a
// handle shown without a value, or with one that is no number, a value
// of its own far above any a process holds, so that each such row
// counts once. The zero value is ready to use; one HandleRows serves one
// capture.
type HandleRows struct {
	types, names *scan.Interner
	synthetic    uint64
	garbled      bool // a type that is no text was reported
}

// typeText reports whether typ reads as an object type's name: printable
// ASCII, as every Windows type is named (and the tools' own marks, such
// as "<Unknown type>"). A memory forensics framework that reads a type
// index from a damaged or paged-out object prints bytes of whatever it
// found instead.
func typeText(typ []byte) bool {
	if len(typ) == 0 || len(typ) > 64 {
		return false
	}
	for _, c := range typ {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// Handle returns the handle of a row whose type, name and value cells
// are typ, name and value (name or value empty where the row shows
// none), read at pos. A value that is no number is reported on log.
func (h *HandleRows) Handle(log *facts.SourceLog, pos facts.Position, typ, name, value []byte) facts.Handle {
	if h.types == nil {
		h.types, h.names = scan.NewInterner(nil), scan.NewInterner(nil)
	}
	if len(typ) > 0 && !typeText(typ) {
		if !h.garbled {
			h.garbled = true
			log.Diag(pos.Line, facts.SevWarning, facts.CodeMissing,
				"object type %s is no type's name (the framework read bytes of a damaged or paged-out object): this handle and any other such are counted with no type",
				scan.QuoteLine(typ))
		}
		typ = nil
	}
	hd := facts.Handle{Type: h.types.Get(typ), Naming: facts.Unnamed, Pos: pos}
	if len(name) > 0 {
		hd.Naming, hd.Name = facts.Named, h.names.Get(name)
	}
	v, ok := uint64(0), false
	if len(value) > 0 {
		if v, ok = scan.ParseNumber(string(value)); !ok || v >= syntheticBase {
			log.Diag(pos.Line, facts.SevWarning, facts.CodeMissing,
				"handle value %s is not a hex number: counted as a handle of its own", scan.QuoteLine(value))
			ok = false
		}
	}
	if !ok {
		h.synthetic++
		v = syntheticBase + h.synthetic<<2 // the low two bits of a value are tag bits
	}
	hd.Value = v
	return hd
}
