package volatility

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A Windows console pads each line it shows to its width; copied from
// the console and pasted where line ends were lost, the framework's
// output becomes one line, each of its lines in a field of the
// console's width:
//
//	Volatility Foundation Volatility Framework 2.6.1    ...blanks...    Offset(V)          Name  ...  Exit    ...blanks...    ------------------ ...
//
// The banner, which starts such a line, tells the width: its text and
// the blanks after it fill the first field. consoleWidth finds it, and
// readJoined reads the fields one by one, as the lines they were.
// Before, such a line was no line the reader knew, and the capture,
// heading and rows in it, was refused.

// minConsoleWidth and maxConsoleWidth bound the widths read: a console
// narrower than a banner and its heading's first words, or one wider
// than any screen, is no console's.
const (
	minConsoleWidth = 80
	maxConsoleWidth = 1024
)

// consoleWidth returns the width of the console a joined line came
// from, 0 when line is no such line: a banner, the blanks that pad it
// (at least two), and more text at a width in bounds.
func consoleWidth(line []byte) int {
	if len(line) < 2*minConsoleWidth || !isBanner(line) {
		return 0
	}
	i := 0
	for _, b := range banners {
		if scan.HasPrefix(line, b) {
			i = len(b)
			break
		}
	}
	// The version: "2.6.1", " 2.4.0".
	for i < len(line) && line[i] == ' ' {
		i++
	}
	for i < len(line) && line[i] != ' ' {
		i++
	}
	blanks := 0
	for i < len(line) && line[i] == ' ' {
		i++
		blanks++
	}
	if blanks < 2 || i == len(line) || i < minConsoleWidth || i > maxConsoleWidth {
		return 0
	}
	return i
}

// readJoined reads line's fields of width columns one by one, each as a
// line, and says what the line was: parsed when a field was.
func (v *reader) readJoined(line []byte, width int) scan.LineKind {
	v.log.Diag(v.lineNo, facts.SevInfo, facts.CodeRepaired,
		"this line holds the lines of a console %d columns wide, each padded to that width, that a paste joined: read one by one", width)
	kind := scan.Ignored
	for len(line) > 0 {
		n := min(width, len(line))
		field := scan.TrimSpace(line[:n])
		line = line[n:]
		if len(field) == 0 {
			continue
		}
		switch k := v.readClean(field, field); {
		case k == scan.Parsed:
			kind = scan.Parsed
		case k == scan.Unrecognized && kind == scan.Ignored:
			kind = scan.Unrecognized
		}
	}
	return kind
}
