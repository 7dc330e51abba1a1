package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// vfTarget reads an entry of the driver list `!verifier 3` prints on
// recent Windows, one per driver Driver Verifier watches:
//
//	Driver Verification List
//	------------------------
//
//	nt!_VF_TARGET_DRIVER 0xffffa00112345670: fabrikamflt.sys (Loaded and Unloaded)
//
//	    Pool Allocation Statistics: ( NonPagedPool / PagedPool )
//
//	      Current Pool Allocations: ( 0x00000002 / 0x00000000 )
//	      Current Pool Bytes:       ( 0x00000080 / 0x00000000 )
//
// A driver that unloaded with allocations still counted left them in pool:
// the leak bugcheck 0xC4/0x62 reports, named here even where the capture
// shows neither the bugcheck nor the command (a test log that prints the
// list alone). The table of allocations under the entry is read as the
// driver's (unfreed.go).
type vfTarget struct {
	active   bool
	driver   string // "fabrikamflt.sys", as printed
	unloaded bool   // its state says "Unloaded"
	line     int64  // the entry's first line
	// leaks are the drivers whose entry counted allocations after their
	// unload, at most one a driver; finishBugchecks adds those no
	// bugcheck reported.
	leaks []facts.DriverPoolLeak
}

// vfTargetPrefix starts an entry of the list ("nt!" may be absent where
// the symbols are not loaded).
const vfTargetPrefix = "_VF_TARGET_DRIVER "

// vfTargetLine reads the entry's first line, and under it the count of
// its current allocations; the other lines of its statistics are read
// as known and carry nothing leakdiag judges.
func (k *kdReader) vfTargetLine(line []byte) (scan.LineKind, bool) {
	rest := bytes.TrimPrefix(line, []byte("nt!"))
	if after, ok := bytes.CutPrefix(rest, []byte(vfTargetPrefix)); ok {
		driver, state, ok := vfTargetHeader(after)
		if !ok {
			return 0, false
		}
		k.endUnfreed()
		k.vf.active, k.vf.driver, k.vf.line = true, driver, k.lineNo
		k.vf.unloaded = strings.Contains(strings.ToLower(state), "unloaded")
		// Its table of allocations follows, as under `!verifier 3 X.sys`.
		k.uf.active, k.uf.driver = true, strings.ToLower(driver)
		return scan.Parsed, true
	}
	if bytes.Equal(line, []byte("Driver Verification List")) {
		k.vf.active = false
		return scan.Parsed, true
	}
	if !k.vf.active {
		return 0, false
	}
	if v, ok := bytes.CutPrefix(line, []byte("Current Pool Allocations:")); ok {
		nonpaged, paged, ok := vfPair(v)
		if !ok {
			return 0, false
		}
		if n := nonpaged + paged; k.vf.unloaded && n > 0 && len(k.vf.leaks) < facts.MemoryLimit {
			k.vf.leaks = append(k.vf.leaks, facts.DriverPoolLeak{Driver: k.vf.driver, Allocations: int64(min(n, 1<<40)), Listed: true,
				Source: facts.Position{Path: k.log.Path, Line: k.vf.line}})
		}
		return scan.Parsed, true
	}
	for _, p := range vfStatLines {
		if bytes.HasPrefix(line, []byte(p)) {
			return scan.Parsed, true
		}
	}
	return 0, false
}

// vfStatLines start the other lines of an entry's statistics.
var vfStatLines = []string{"Pool Allocation Statistics:", "Current Pool Bytes:", "Peak Pool Allocations:",
	"Peak Pool Bytes:", "Contiguous Memory Bytes:", "Peak Contiguous Memory Bytes:", "Pool Allocations:"}

// vfTargetHeader splits what follows "_VF_TARGET_DRIVER ": the entry's
// address and a colon, the driver's file name, its state in parentheses.
func vfTargetHeader(b []byte) (driver, state string, ok bool) {
	addr, rest, ok := bytes.Cut(b, []byte(": "))
	if !ok {
		return "", "", false
	}
	if _, hex := parseHexCell(scan.TrimSpace(addr)); !hex {
		return "", "", false
	}
	name, st, _ := bytes.Cut(scan.TrimSpace(rest), []byte(" "))
	st = scan.TrimSpace(st)
	if len(name) == 0 || len(name) > 256 || !bytes.HasPrefix(st, []byte("(")) || !bytes.HasSuffix(st, []byte(")")) {
		return "", "", false
	}
	return string(name), string(st[1 : len(st)-1]), true
}

// vfPair reads "( 0x00000002 / 0x00000000 )", the nonpaged and paged
// figures of a statistic.
func vfPair(b []byte) (nonpaged, paged uint64, ok bool) {
	b = scan.TrimSpace(b)
	if !bytes.HasPrefix(b, []byte("(")) || !bytes.HasSuffix(b, []byte(")")) {
		return 0, 0, false
	}
	l, r, ok := bytes.Cut(b[1:len(b)-1], []byte("/"))
	if !ok {
		return 0, 0, false
	}
	nonpaged, okL := parseHexCell(scan.TrimSpace(l))
	paged, okR := parseHexCell(scan.TrimSpace(r))
	return nonpaged, paged, okL && okR
}

// vfLeaks are the leaks the driver list showed of drivers no bugcheck
// of the capture reported: one leak seen both ways is counted once.
func (k *kdReader) vfLeaks() []facts.DriverPoolLeak {
	var out []facts.DriverPoolLeak
	for _, l := range k.vf.leaks {
		dup := false
		for _, b := range k.bc.leaks {
			d := b.Driver
			if d == "" {
				d = k.bc.verifierOf
			}
			if d == "" && len(k.vf.leaks) == 1 || d != "" && strings.EqualFold(d, l.Driver) {
				dup = true // a bugcheck naming no driver is the one listed's
			}
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}
