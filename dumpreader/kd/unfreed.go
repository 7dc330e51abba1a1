package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// unfreedTable reads the allocations `!verifier 3 X.sys` lists as the
// driver's still in pool, under its pool statistics:
//
//	Pool Allocations:
//
//	  Address     Length      Tag   Caller
//	  ----------  ----------  ----  ----------
//	  0x8a2c1e20  0x00000040  Fbfl  0x9b011047  fabrikamflt!InstanceSetup+0x27
//
// After a bugcheck for a driver unloading with pool not freed, they are
// the allocations it left: their tags, sizes and the code that made them.
type unfreedTable struct {
	active  bool   // in the output of !verifier
	driver  string // the driver of the command ("X.sys"), lower case
	heading bool   // the table's heading was read
	cols    []int  // where each column starts, from the dashes under the heading
	rows    []facts.UnfreedAllocation
	// byDriver are the tables read, by driver.
	byDriver map[string][]facts.UnfreedAllocation
}

// unfreedCommand notes a command: it ends the table being read, and
// `!verifier` with a driver's file name starts one.
func (k *kdReader) unfreedCommand(text []byte) {
	k.endUnfreed()
	f := strings.Fields(string(text))
	if len(f) == 0 || !strings.EqualFold(f[0], "!verifier") {
		return
	}
	if d := verifierDriver(f); d != "" {
		k.uf.active, k.uf.driver = true, strings.ToLower(d)
	}
}

// unfreedLine reads a line of `!verifier`'s output: the heading of its
// table of allocations, the dashes under it, and its rows.
func (k *kdReader) unfreedLine(raw []byte) (scan.LineKind, bool) {
	uf := &k.uf
	if !uf.active {
		return 0, false
	}
	line := scan.TrimSpace(raw)
	f := bytes.Fields(line)
	switch {
	case (len(f) == 4 || len(f) == 5 && string(f[4]) == "Address") && string(f[0]) == "Address" && string(f[1]) == "Length" && string(f[2]) == "Tag" && string(f[3]) == "Caller":
		// Recent debuggers head the last column "Caller Address".
		uf.heading, uf.cols = true, nil
		return scan.Parsed, true
	case uf.heading && uf.cols == nil && len(line) > 0 && len(bytes.Trim(line, "- ")) == 0:
		uf.cols = dashColumns(raw)
		if len(uf.cols) != 4 {
			uf.heading, uf.cols = false, nil
			return 0, false
		}
		return scan.Parsed, true
	case uf.cols != nil:
		if a, ok := unfreedRow(raw, uf.cols); ok {
			a.Source = k.pos()
			if len(uf.rows) < facts.MemoryLimit {
				uf.rows = append(uf.rows, a)
			}
			return scan.Parsed, true
		}
		uf.heading, uf.cols = false, nil // the table ended
	}
	return 0, false
}

// dashColumns returns where each run of dashes of line starts.
func dashColumns(line []byte) []int {
	var cols []int
	for i := 0; i < len(line); i++ {
		if line[i] == '-' && (i == 0 || line[i-1] != '-') {
			cols = append(cols, i)
		}
	}
	return cols
}

// unfreedRow reads a row of the table, its cells where the dashes put
// them: an address, a length and a caller's address in hex, the tag in
// its four columns (a tag may end in a blank), the caller's symbol after
// its address where the debugger names it.
func unfreedRow(line []byte, cols []int) (facts.UnfreedAllocation, bool) {
	var a facts.UnfreedAllocation
	if len(line) <= cols[3] {
		return a, false
	}
	cell := func(i int) []byte { return scan.TrimSpace(line[cols[i]:cols[i+1]]) }
	addr, length := cell(0), cell(1)
	tag := bytes.TrimRight(line[cols[2]:min(cols[2]+4, cols[3])], " ")
	caller := bytes.Fields(line[cols[3]:])
	if len(caller) == 0 || len(tag) == 0 {
		return a, false
	}
	n, ok := parseHexCell(length)
	if _, okAddr := parseHexCell(addr); !ok || !okAddr {
		return a, false
	}
	if _, ok := parseHexCell(caller[0]); !ok {
		return a, false
	}
	a.Address, a.Bytes, a.Tag = string(bytes.TrimPrefix(addr, []byte("0x"))), int64(min(n, 1<<40)), string(tag)
	a.Caller = string(caller[0])
	if len(caller) > 1 {
		a.Caller = string(caller[1])
	}
	return a, true
}

// parseHexCell reads a hex number with or without its 0x.
func parseHexCell(b []byte) (uint64, bool) {
	return scan.ParseHex(bytes.TrimPrefix(b, []byte("0x")))
}

// endUnfreed ends the `!verifier` output being read, keeping its table
// for the driver it was about.
func (k *kdReader) endUnfreed() {
	uf := &k.uf
	if uf.active && len(uf.rows) > 0 {
		if uf.byDriver == nil {
			uf.byDriver = map[string][]facts.UnfreedAllocation{}
		}
		if _, seen := uf.byDriver[uf.driver]; !seen {
			uf.byDriver[uf.driver] = uf.rows
		}
	}
	*uf = unfreedTable{byDriver: uf.byDriver}
}
