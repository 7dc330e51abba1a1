package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// verifierStatsLine recognizes the lines `!verifier` prints before its
// driver list, pasted without the command (an issue quoting the flags and
// statistics alone):
//
//	Verify Flags Level 0x001209bb
//	  STANDARD FLAGS:
//	    [X] (0x00000001) Special pool
//	    [ ](0x00000004) Randomized low resources simulation
//	Summary of All Verifier Statistics
//	  RaiseIrqls           0x0
//	  Pool Allocations Attempted             0x32
//	  Current nonpaged pool allocations      0x0 for 00000000 bytes
//
// They are the debugger's and are read as such, so such a capture is kd
// text rather than refused; their figures are the whole system's, no
// driver's, and carry nothing leakdiag judges.
func verifierStatsLine(line []byte) bool {
	switch {
	case bytes.HasPrefix(line, []byte("Verify Flags Level ")), bytes.Equal(line, []byte("Summary of All Verifier Statistics")),
		bytes.Equal(line, []byte("STANDARD FLAGS:")), bytes.Equal(line, []byte("ADDITIONAL FLAGS:")),
		bytes.HasPrefix(line, []byte("RESERVED FLAGS (")):
		return true
	case bytes.HasPrefix(line, []byte("[X]")) || bytes.HasPrefix(line, []byte("[ ]")):
		// A flag: "[X] (0x00000001) Special pool"; the legend "[X]
		// Indicates flag is enabled".
		rest := scan.TrimSpace(line[3:])
		return bytes.HasPrefix(rest, []byte("(0x")) || bytes.HasPrefix(rest, []byte("Indicates flag"))
	case bytes.HasPrefix(line, []byte("Pool Allocations ")):
		// "Pool Allocations Attempted 0x10a04", "... With NO TAG 0x0"
		f := bytes.Fields(line)
		_, ok := parseHexCell(f[len(f)-1])
		return ok && bytes.HasPrefix(f[len(f)-1], []byte("0x"))
	}
	return verifierCounter(line) || poolAllocationsFigure(line)
}

// verifierCounter recognizes the counters that open the statistics:
// "RaiseIrqls           0x2aaf", "Synch Executions     0xf6".
func verifierCounter(line []byte) bool {
	for _, name := range []string{"RaiseIrqls", "AcquireSpinLocks", "Synch Executions", "Trims"} {
		if rest, ok := bytes.CutPrefix(line, []byte(name)); ok {
			v := scan.TrimSpace(rest)
			return len(v) < len(rest) && bytes.HasPrefix(v, []byte("0x")) && isHexFigure(v)
		}
	}
	return false
}

// poolAllocationsFigure recognizes "Current paged pool allocations 0x0
// for 00000000 bytes" and its Peak and nonpaged forms.
func poolAllocationsFigure(line []byte) bool {
	f := bytes.Fields(line)
	if len(f) != 8 || string(f[0]) != "Current" && string(f[0]) != "Peak" {
		return false
	}
	if string(f[1]) != "paged" && string(f[1]) != "nonpaged" || string(f[2]) != "pool" || string(f[3]) != "allocations" {
		return false
	}
	return string(f[5]) == "for" && string(f[7]) == "bytes" && isHexFigure(f[4]) && isHexFigure(f[6])
}

func isHexFigure(b []byte) bool {
	_, ok := parseHexCell(b)
	return ok
}
