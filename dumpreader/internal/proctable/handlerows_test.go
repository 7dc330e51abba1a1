package proctable

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestHandleRows: a row's value is kept; a row without one, or with one
// that is no number (reported at its line), gets a value of its own
// above any real one; names and types are kept, a blank name unnamed.
func TestHandleRows(t *testing.T) {
	log := facts.NewSourceLog("x.txt", "procexp")
	var rows HandleRows
	at := func(line int64) facts.Position { return facts.Position{Path: "x.txt", Line: line} }
	a := rows.Handle(log, at(1), []byte("Event"), nil, []byte("0x4"))
	b := rows.Handle(log, at(2), []byte("File"), []byte(`C:\x`), nil)
	c := rows.Handle(log, at(3), []byte("Key"), nil, []byte("zz"))
	d := rows.Handle(log, at(4), []byte("Key"), nil, []byte("0x8000000000000000"))
	if a.Value != 4 || a.Type != "Event" || a.Naming != facts.Unnamed || a.Pos != at(1) {
		t.Errorf("row 1: %+v", a)
	}
	if b.Naming != facts.Named || b.Name != `C:\x` || b.Value < syntheticBase {
		t.Errorf("row 2: %+v", b)
	}
	if c.Value < syntheticBase || d.Value < syntheticBase || b.Value == c.Value || c.Value == d.Value || c.Value&3 != 0 {
		t.Errorf("values %#x %#x %#x: want distinct values of their own, above %#x, tag bits clear", b.Value, c.Value, d.Value, uint64(syntheticBase))
	}
	var lines []int64
	for _, dg := range log.Diagnostics() {
		if dg.Code == facts.CodeMissing {
			lines = append(lines, dg.Line)
		}
	}
	if len(lines) != 2 || lines[0] != 3 || lines[1] != 4 {
		t.Errorf("missing-value diagnostics at lines %v, want 3 and 4", lines)
	}
}

// TestHandleRowsGarbledType: a type that is no text (the bytes a memory
// forensics framework read from a damaged object) leaves the handle with
// no type, reported once; a type in ASCII, a tool's own mark included,
// is kept.
func TestHandleRowsGarbledType(t *testing.T) {
	log := facts.NewSourceLog("x.txt", "volatility")
	var rows HandleRows
	at := func(line int64) facts.Position { return facts.Position{Path: "x.txt", Line: line} }
	garbled := []byte("\ud154\u0ff2\ud658\u0ff2")
	a := rows.Handle(log, at(1), garbled, nil, []byte("0x14"))
	b := rows.Handle(log, at(2), garbled, nil, []byte("0x24"))
	c := rows.Handle(log, at(3), []byte("<Unknown type>"), nil, []byte("0x28"))
	d := rows.Handle(log, at(4), []byte("IRTimer"), nil, []byte("0x2c"))
	if a.Type != "" || b.Type != "" || c.Type != "<Unknown type>" || d.Type != "IRTimer" {
		t.Errorf("types %q %q %q %q, want \"\" \"\" \"<Unknown type>\" \"IRTimer\"", a.Type, b.Type, c.Type, d.Type)
	}
	var lines []int64
	for _, dg := range log.Diagnostics() {
		lines = append(lines, dg.Line)
	}
	if len(lines) != 1 || lines[0] != 1 {
		t.Errorf("diagnostics at lines %v, want one at line 1", lines)
	}
}
