package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// commentMarkers are the markers of a capture quoted in a source file's
// comments ("# lkd> !handle 0 1 8d0" in a script that parses it, "//" in
// C, "%%" in Erlang, "*" inside a C block comment). No line the debugger
// prints starts with one and a blank but `kn`'s header (" # Child-SP",
// " # ChildEBP"), the rows `!db` prints of physical memory ("#   14ff0 00
// 00 ..."), which are kept, and the box of stars `!analyze` draws ("*
// Bugcheck Analysis *"): a star is taken for a marker only before a
// prompt, or once it was, and never on a line that ends with one.
var commentMarkers = [...]string{"#", "//", "%%", "*"}

// starMarker is the index of "*" in commentMarkers.
const starMarker = 3

// uncomment returns line without a comment marker and the blanks after
// it, the marker's index in commentMarkers, and whether it had one. A
// marker alone on its line is a blank line of the quoted capture once a
// marker was seen with the debugger's output after it (noteComment);
// before, a lone '#' may be a markdown separator (htrace.go).
func (k *kdReader) uncomment(line []byte) ([]byte, int, bool) {
	for i, m := range commentMarkers {
		if !bytes.HasPrefix(line, []byte(m)) {
			continue
		}
		rest := line[len(m):]
		switch {
		case len(rest) == 0:
			if k.commented == 0 {
				return line, 0, false
			}
			return rest, i, true
		case !scan.IsSpace(rest[0]), scan.HasPrefix(scan.TrimSpace(rest), "Child"), m == "#" && isPhysicalRow(rest):
			return line, 0, false
		case i == starMarker && (line[len(line)-1] == '*' || k.commented&(1<<starMarker) == 0 && !startsWithPrompt(scan.TrimSpace(rest))):
			return line, 0, false
		}
		return scan.TrimSpace(rest), i, true
	}
	return line, 0, false
}

// noteComment records that commentMarkers[i] started a line read as the
// debugger's output, saying so the first time.
func (k *kdReader) noteComment(i int) {
	if k.commented&(1<<i) != 0 {
		return
	}
	k.commented |= 1 << i
	k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired,
		"lines start with %q (a capture quoted in a source comment): read without it", commentMarkers[i])
}

// startsWithPrompt reports whether line starts with a debugger's prompt.
func startsWithPrompt(line []byte) bool {
	n, _ := matchPrompt(line)
	return n > 0
}

// isPhysicalRow recognizes the rest of a row `!db` prints of physical
// memory after its '#': an address, then bytes ("   14ff0 00 00 00").
func isPhysicalRow(rest []byte) bool {
	f := bytes.Fields(rest)
	if len(f) < 2 || len(f[1]) != 2 {
		return false
	}
	_, okAddr := scan.ParseHex(f[0])
	_, okByte := scan.ParseHex(f[1])
	return okAddr && okByte
}
