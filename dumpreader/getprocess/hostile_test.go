package getprocess_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/facts"
)

const header = "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
	"-------  ------    -----      -----     ------     --  -- -----------\n"

// TestHostile reads damaged and hostile inputs: each must give what
// could be read, every line accounted for, and no process made of what
// is not a row.
func TestHostile(t *testing.T) {
	tests := []proctest.Case{{
		Name: "a pid past 32 bits and a count of 20 digits",
		In: header + "  51234      88    12416      30764     112.50 99999999999   0 spoolsv\n" +
			"9999999999999999   12416      30764     112.50   2412   0 x\n" +
			"99999999999999999999 88 12416 30764 1.0 2413 0 y\n",
		// The pid cannot be one; the count is read as unknown; a row
		// of values one blank apart does not line up with the header.
		Lines: facts.LineCounts{Total: 5, Parsed: 3, Unrecognized: 2},
		Count: 1,
		Procs: []proctest.Proc{{PID: 2412, Image: "x.exe", Session: proctest.N(0)}},
		Codes: []string{facts.CodeMissing},
	}, {
		Name:  "a CSV record left open by a quote",
		In:    "\"Id\",\"ProcessName\",\"Handles\"\n\"2412\",\"spool\nsv\",\"51234\"\n\"8\",\"notepad\",\"12\"\n",
		Lines: facts.LineCounts{Total: 4, Parsed: 2, Unrecognized: 2},
		Count: 1,
		Procs: []proctest.Proc{{PID: 8, Image: "notepad.exe", Handles: proctest.N(12)}},
	}, {
		Name:  "a header of many columns",
		In:    "Id,ProcessName,Handles" + strings.Repeat(",X", 10000) + "\n2412,spoolsv,51234\n",
		Lines: facts.LineCounts{Total: 2, Unrecognized: 2},
	}, {
		Name:  "a header alone, dashes alone, a row alone",
		In:    "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n\n-------  ------\n  51234      88    12416      30764     112.50   2412   0 spoolsv\n",
		Lines: facts.LineCounts{Total: 4, Parsed: 3, Ignored: 1},
		Count: 1,
		Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: proctest.N(51234), Session: proctest.N(0)}},
	}, {
		Name:  "binary garbage after a table",
		In:    header + "  51234      88    12416      30764     112.50   2412   0 spoolsv\n\x00\x01\xff\xfe garbage \x7f\n",
		Lines: facts.LineCounts{Total: 4, Parsed: 3, Unrecognized: 1},
		Count: 1,
		Procs: []proctest.Proc{{PID: 2412, Image: "spoolsv.exe", Handles: proctest.N(51234), Session: proctest.N(0)}},
	}, {
		// Read by its image, shown once, as a table's row without a pid
		// is (byimage.go; TestPidlessRecord).
		Name:  "a list block without a pid",
		In:    "Handles : 51234\nName    : spoolsv\n\n",
		Lines: facts.LineCounts{Total: 3, Parsed: 2, Ignored: 1},
		Codes: []string{facts.CodeMissing},
		Count: 1,
		Procs: []proctest.Proc{{Image: "spoolsv.exe", Handles: proctest.N(51234)}},
	}}
	for _, c := range tests {
		t.Run(c.Name, func(t *testing.T) {
			snap := proctest.Read(t, []byte(c.In), "t.txt", dumpreader.FormatGetProcess)
			readtest.CheckSnapshot(t, snap)
			proctest.Check(t, snap, c)
		})
	}
}

// TestManyRows reads a table of 20,000 rows: one process each, each
// line parsed.
func TestManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := range 20000 {
		b.WriteString("    123      10     2000       4000       1.00 ")
		b.WriteString(strings.Repeat(" ", 6-len(itoa(i+8))))
		b.WriteString(itoa(i + 8))
		b.WriteString("   1 app\n")
	}
	snap := proctest.Read(t, []byte(b.String()), "t.txt", dumpreader.FormatGetProcess)
	if got := len(snap.Processes); got != 20000 {
		t.Fatalf("got %d processes, want 20000", got)
	}
	if l := snap.Sources[0].Lines; l.Parsed != l.Total {
		t.Errorf("lines %+v: want all parsed", l)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}
