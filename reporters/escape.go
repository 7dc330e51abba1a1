package reporters

import (
	"github.com/leakdiag/leakdiag/internal/inert"

	"fmt"
	"io"
	"net/url"
	"strings"
)

// Captures, snapshots and rule files are untrusted: an image name, an
// object name, a message or a rule id can hold an escape sequence that
// recolours a terminal, an OSC that retitles it, a bare CR that
// overwrites what the line said, or markup. The helpers here keep such
// text inert in the text and Markdown reports, and leave ordinary text
// (Windows paths, registry keys, non-ASCII names) byte for byte as it is.

// safe is text ready for a terminal as it is: escaped already, or the
// escape sequences of the text reporter's own colours.
type safe string

// termLines escapes each line of s and joins them again with a newline
// and indent, for text whose lines the layout keeps (a condition that a
// rule file wrote on several lines).
func termLines(s, indent string) safe {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = inert.Text(l)
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
			esc[i] = inert.Text(v)
		case error:
			esc[i] = inert.Text(v.Error())
		case fmt.Stringer:
			esc[i] = inert.Text(v.String())
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
