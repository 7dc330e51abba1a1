package reporters

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Captures, snapshots and rule files are untrusted: an image name, an
// object name, a message or a rule id can hold an escape sequence that
// recolours a terminal, an OSC that retitles it, a bare CR that
// overwrites what the line said, or markup. The helpers here keep such
// text inert in the text and Markdown reports, and leave ordinary text
// (Windows paths, registry keys, non-ASCII names) byte for byte as it is.

// termEscape returns s with what a terminal would act on made visible:
// C0 control characters but tab (\x1b, \r, \n, \a...), DEL, C1 control
// characters (\u009b, an 8-bit CSI), bidirectional overrides that reorder
// what is shown (\u202e), and bytes that are not UTF-8 (\xff). Text that
// has none of them is returned as it is.
func termEscape(s string) string {
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, w) {
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
		if needsEscape(r, w) {
			writeEscape(&b, r, s[i])
		} else {
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

func needsEscape(r rune, width int) bool {
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

// writeEscape writes the visible form of r (b, the byte, when r is not
// UTF-8).
func writeEscape(b *strings.Builder, r rune, raw byte) {
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

// safe is text ready for a terminal as it is: escaped already, or the
// escape sequences of the text reporter's own colours.
type safe string

// termLines escapes each line of s and joins them again with a newline
// and indent, for text whose lines the layout keeps (a condition that a
// rule file wrote on several lines).
func termLines(s, indent string) safe {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = termEscape(l)
	}
	return safe(strings.Join(lines, "\n"+indent))
}

// termf is fmt.Fprintf for a terminal: every string, error and Stringer
// among args is escaped (termEscape); safe args and format, the
// reporter's own text, are written as they are.
func termf(w io.Writer, format string, args ...any) {
	esc := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case safe:
			esc[i] = string(v)
		case string:
			esc[i] = termEscape(v)
		case error:
			esc[i] = termEscape(v.Error())
		case fmt.Stringer:
			esc[i] = termEscape(v.String())
		default:
			esc[i] = a
		}
	}
	fmt.Fprintf(w, format, esc...)
}

// webURL reports whether ref is an absolute http or https URL, the only
// references reports make links of: a javascript: or data: URL in a rule
// file must not become a link someone clicks.
func webURL(ref string) bool {
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}
