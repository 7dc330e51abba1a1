package rules

import (
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// scalarPositions maps each character of a scalar's value to where it is
// written in the file, undoing what YAML did to it on the way: quotes and
// escapes, the indentation of block scalars, the folding of line breaks
// into spaces. An error a compiler reports inside a condition can then be
// shown at its true place, whatever style the condition was written in.
// It returns nil where the file does not align with the value.
func scalarPositions(f *ruleFile, n *yaml.Node) []Pos {
	value := []rune(n.Value)
	lines := f.lines
	if n.Line < 1 || n.Line > lines.count() {
		return nil
	}
	line, col := n.Line, n.Column // where the walk starts, rune column from 1
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		col++ // past the opening quote
	case yaml.LiteralStyle, yaml.FoldedStyle:
		line, col = n.Line+1, 1 // content starts on the next line
	}
	pos := make([]Pos, 0, len(value))
	raw := []rune(lineFrom(lines.line(line), col))
	ri, vi := 0, 0
	prevLen := 0          // characters in the line the walk left last
	next := func() bool { // moves the walk to the next line
		prevLen = utf8.RuneCountInString(lines.line(line))
		line++
		if line > lines.count() {
			return false
		}
		raw, ri, col = []rune(lines.line(line)), 0, 1
		return true
	}
	at := func() Pos { return Pos{File: f.path, Line: line, Col: col + ri} }
	for vi < len(value) {
		if ri >= len(raw) {
			if !next() {
				return nil
			}
			if vi < len(value) && (value[vi] == '\n' || value[vi] == ' ') {
				pos = append(pos, Pos{File: f.path, Line: line - 1, Col: col + prevLen})
				vi++ // the line break itself, kept or folded to a space
			}
			continue
		}
		v, r := value[vi], raw[ri]
		switch {
		case n.Style == yaml.DoubleQuotedStyle && r == '\\':
			pos = append(pos, at())
			vi++
			ri += escapeLen(raw[ri:])
		case n.Style == yaml.SingleQuotedStyle && r == '\'' && ri+1 < len(raw) && raw[ri+1] == '\'':
			pos = append(pos, at())
			vi++
			ri += 2
		case v == r:
			pos = append(pos, at())
			vi++
			ri++
		case r == ' ' || r == '\t':
			ri++ // indentation, or spaces a fold dropped
		case v == ' ' || v == '\n':
			pos = append(pos, at())
			vi++
		default:
			return nil
		}
	}
	return pos
}

// escapeLen is the length of the double-quoted escape raw starts with.
func escapeLen(raw []rune) int {
	if len(raw) < 2 {
		return len(raw)
	}
	switch raw[1] {
	case 'x':
		return min(4, len(raw))
	case 'u':
		return min(6, len(raw))
	case 'U':
		return min(10, len(raw))
	}
	return 2
}

// lineFrom returns l from rune column col (from 1).
func lineFrom(l string, col int) string {
	for i := 1; i < col && l != ""; i++ {
		_, size := utf8.DecodeRuneInString(l)
		l = l[size:]
	}
	return l
}

// runeIndex converts a line and column (from 1, in characters) inside s
// into the index of that character in s.
func runeIndex(s string, line, col int) int {
	idx := 0
	for i, l := range strings.Split(s, "\n") {
		if i == line-1 {
			return idx + col - 1
		}
		idx += utf8.RuneCountInString(l) + 1
	}
	return -1
}
