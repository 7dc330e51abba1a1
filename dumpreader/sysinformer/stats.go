package sysinformer

import (
	"bytes"
	"sort"
	"sync"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// statKind is what leakdiag makes of a statistic.
type statKind uint8

const (
	statUnknown statKind = iota // no row of the Statistics tab
	statOther                   // a row leakdiag has no fact for
	statHandles                 // "Handles": the handle count
	statPeak                    // "Peak handles"
)

// statInfo is what the reader knows of a row of the Statistics tab.
type statInfo struct {
	kind statKind
	// distinctive says no other tool prints the name in "Name, value"
	// form, which format detection weighs.
	distinctive bool
}

// statistics are the names (lower case) of the rows of the Statistics tab
// of Process Hacker 2 and System Informer 3; made when a capture is first
// asked whether it holds them, not at every start of leakdiag.
var statistics = sync.OnceValue(func() map[string]statInfo {
	m := map[string]statInfo{}
	for _, n := range []string{
		"priority", "base priority", "cycles", "kernel time", "kernel delta", "user time", "user delta",
		"total time", "total delta", "context switches", "private bytes", "virtual size", "page faults",
		"working set", "reads", "read bytes", "writes", "write bytes", "other", "other bytes",
		"running time", "paged pool bytes", "nonpaged pool bytes", "commit charge", "threads",
	} {
		m[n] = statInfo{kind: statOther}
	}
	for _, n := range []string{
		"cycles delta", "context switches delta", "peak private bytes", "peak virtual size",
		"page faults delta", "hard faults", "hard faults delta", "peak working set", "private ws",
		"shareable ws", "shared ws", "page priority", "reads delta", "read bytes delta", "writes delta",
		"write bytes delta", "other delta", "other bytes delta", "i/o priority", "suspended time",
		"hang count", "ghost count", "peak paged pool bytes", "peak nonpaged pool bytes",
		"peak threads", "peak commit charge", "gdi handles", "user handles",
	} {
		m[n] = statInfo{kind: statOther, distinctive: true}
	}
	m["handles"] = statInfo{kind: statHandles}
	m["peak handles"] = statInfo{kind: statPeak, distinctive: true}
	return m
})

// groups are the Statistics tab's group names (lower case), and those
// users give the parts of their paste.
var groups = map[string]bool{
	"statistics": true, "cpu": true, "memory": true, "i/o": true, "io": true, "other": true,
	"handles": true, "disk i/o": true, "disk io": true, "network i/o": true, "network io": true,
	"disk": true, "network": true,
}

// isGroup recognizes a line naming a group of statistics.
func isGroup(line []byte) bool {
	return len(line) <= 16 && groups[proctable.Key(line)]
}

// splitStatistic cuts "Name, value" or "Name<TAB>value" at the first
// ", " or tab; "Name: value", and "Name value" where the tab became
// blanks, where the name is one of the tab's.
func splitStatistic(line []byte) (name, value []byte, ok bool) {
	if i := bytes.IndexByte(line, '\t'); i > 0 {
		return scan.TrimSpace(line[:i]), scan.TrimSpace(line[i+1:]), true
	}
	if i := bytes.Index(line, []byte(", ")); i > 0 {
		return scan.TrimSpace(line[:i]), scan.TrimSpace(line[i+2:]), true
	}
	if len(line) > 80 || !(line[0]|0x20 >= 'a' && line[0]|0x20 <= 'z') {
		return nil, nil, false
	}
	// The longest name the line starts with, followed by ':' or a blank.
	for _, n := range statNames() {
		if len(line) > len(n)+1 && scan.HasPrefixFold(line, n) {
			rest := line[len(n):]
			if rest[0] == ':' {
				rest = rest[1:]
			} else if rest[0] != ' ' {
				continue
			}
			// Without a tab or comma, only a value as the tab prints
			// them tells a statistic from a sentence.
			if value := scan.TrimSpace(rest); len(value) > 0 && (scan.IsDigit(value[0]) || priorities[proctable.Key(value)]) {
				return line[:len(n)], value, true
			}
		}
	}
	return nil, nil, false
}

// priorities are the values of the priority statistics.
var priorities = map[string]bool{
	"normal": true, "high": true, "low": true, "idle": true, "very low": true, "above normal": true,
	"below normal": true, "realtime": true, "critical": true, "background": true,
}

// statNames are the names of statistics, longest first (made with them).
var statNames = sync.OnceValue(func() []string {
	out := make([]string, 0, len(statistics()))
	for n := range statistics() {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
})

// statistic reads a row of the Statistics tab.
func (s *reader) statistic(line []byte) (scan.LineKind, bool) {
	name, value, ok := splitStatistic(line)
	if !ok || len(name) > 40 || bytes.IndexByte(value, '\t') >= 0 {
		return 0, false
	}
	info := statistics()[proctable.Key(name)]
	if info.kind == statUnknown {
		return 0, false
	}
	if info.distinctive {
		s.ev.distinctive++
	}
	s.stats++
	switch info.kind {
	case statHandles, statPeak:
		n, ok := proctable.ParseCount(value)
		if !ok {
			s.log.Diag(s.lineNo, facts.SevWarning, CodeStatistic,
				"%s %s is not a count", name, scan.QuoteLine(value))
			return scan.Parsed, true
		}
		pb := s.process()
		if info.kind == statPeak {
			pb.P.PeakHandles = &n
			return scan.Parsed, true
		}
		if pb.P.HandleCount != nil && *pb.P.HandleCount != n {
			s.log.Diag(s.lineNo, facts.SevInfo, facts.CodeCountMismatch,
				"a second handle count, %d, where the copy said %d before: the later one is kept", n, *pb.P.HandleCount)
		}
		pb.P.HandleCount = &n
	}
	s.table = noTable
	return scan.Parsed, true
}
