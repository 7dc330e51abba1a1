// Package inert keeps text from captures and rule files inert on a
// terminal. Captures, snapshots and rule files are untrusted: an image
// name, an object name, a message or a rule id can hold an escape sequence
// that recolours a terminal, an OSC that retitles it, or a bare CR that
// overwrites what the line said. Every writer of text for a terminal
// (reports, the facts table, collect's notes, error messages) passes such
// strings through Text, which leaves ordinary text (Windows paths,
// registry keys, non-ASCII names) byte for byte as it is.
package inert

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text returns s with what a terminal would act on made visible:
// C0 control characters but tab (\x1b, \r, \n, \a...), DEL, C1 control
// characters (\u009b, an 8-bit CSI), bidirectional overrides that reorder
// what is shown (\u202e), and bytes that are not UTF-8 (\xff). Text that
// has none of them is returned as it is.
func Text(s string) string {
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if NeedsEscape(r, w) {
			break
		}
		i += w
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if NeedsEscape(r, w) {
			WriteEscape(&b, r, s[i])
		} else {
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// NeedsEscape reports whether the rune r, of width bytes in its text,
// is one Text makes visible.
func NeedsEscape(r rune, width int) bool {
	switch {
	case r == utf8.RuneError && width <= 1:
		return true // not UTF-8
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional embeddings, overrides and isolates
	}
	return false
}

// WriteEscape writes the visible form of r (b, the byte, when r is not
// UTF-8).
func WriteEscape(b *strings.Builder, r rune, raw byte) {
	switch {
	case r == utf8.RuneError:
		fmt.Fprintf(b, `\x%02x`, raw)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r < 0x80:
		fmt.Fprintf(b, `\x%02x`, r)
	default:
		fmt.Fprintf(b, `\u%04x`, r)
	}
}

// Lines is Text line by line: the line breaks of s are kept, for text
// laid out in lines (an error list with carets), and everything else a
// terminal would act on is made visible.
func Lines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Text(l)
	}
	return strings.Join(lines, "\n")
}
