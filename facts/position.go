package facts

import "fmt"

// String writes the position as reports show it: "path:line" in a text
// capture, "path@0x1f40" (a byte offset) in a binary one, the path alone
// when neither is known.
func (p Position) String() string {
	switch {
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.Path, p.Line)
	case p.Offset > 0:
		return fmt.Sprintf("%s@%#x", p.Path, p.Offset)
	}
	return p.Path
}

// Where is the diagnostic's place, as Position.String writes it.
func (d Diagnostic) Where() string {
	return Position{Path: d.Path, Line: d.Line, Offset: d.Offset}.String()
}
