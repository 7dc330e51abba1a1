package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// commentMarkers are the markers of a capture quoted in a source file's
// comments ("# lkd> !handle 0 1 8d0" in a script that parses it, "//" in
// C, "%%" in Erlang). No line the debugger prints starts with one and a
// blank but `kn`'s header (" # Child-SP", " # ChildEBP"), which is kept.
var commentMarkers = [...]string{"#", "//", "%%"}

// uncomment returns line without a comment marker and the blanks after it,
// and whether it had one. A marker alone on its line is a blank line of
// the quoted capture once a marker was seen with text after it; before,
// a lone '#' may be a markdown separator (htrace.go).
func (k *kdReader) uncomment(line []byte) ([]byte, bool) {
	for i, m := range commentMarkers {
		if !bytes.HasPrefix(line, []byte(m)) {
			continue
		}
		rest := line[len(m):]
		switch {
		case len(rest) == 0:
			if k.commented == 0 {
				return line, false
			}
			return rest, true
		case !scan.IsSpace(rest[0]), scan.HasPrefix(scan.TrimSpace(rest), "Child"):
			return line, false
		}
		if k.commented&(1<<i) == 0 {
			k.commented |= 1 << i
			k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired,
				"lines start with %q (a capture quoted in a source comment): read without it", m)
		}
		return scan.TrimSpace(rest), true
	}
	return line, false
}
