package reporters

import (
	"github.com/leakdiag/leakdiag/internal/inert"

	"strings"
	"unicode/utf8"
)

// Markdown reports are read twice: rendered (a CI job summary, a ticket)
// and as plain text (a terminal, an e-mail). Escaping every punctuation
// mark keeps the first safe and ruins the second: \\REGISTRY\\MACHINE
// for \REGISTRY\MACHINE, \!htrace for !htrace. mdEscape escapes what
// could become markup where it stands, and nothing else.

// mdEscape keeps text from a capture or a rule file from becoming markup:
//   - \ only before ASCII punctuation or at the end (where it would escape
//     what follows); a path's \REGISTRY\MACHINE stays as it is;
//   - ` * [ ] | # always: code spans, emphasis, links (and so images:
//     "![" cannot form), table cells, headings;
//   - _ unless inside a word (SYNC_STATE stays; _x_ could be emphasis);
//   - < as &lt; where it could open a tag or an autolink (a letter, /, !
//     or ? follows), and > as &gt; after one (so <script> and
//     <Data Not Accessible> read as themselves); & as &amp; where it
//     could start an entity (&name; &#9;);
//   - a newline becomes a space (it would end a table row);
//   - control characters become visible escapes, as termEscape writes
//     them, their backslash escaped so that it shows (ESC is \\x1b).
func mdEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	opened := false // a < was escaped: escape the > that closes it
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		next := s[i+w:]
		switch {
		case r == '\\':
			if next == "" || isASCIIPunct(next[0]) {
				b.WriteByte('\\')
			}
			b.WriteByte('\\')
		case r == '<':
			if next != "" && (isASCIILetter(next[0]) || strings.IndexByte("/!?", next[0]) >= 0) {
				b.WriteString("&lt;")
				opened = true
			} else {
				b.WriteByte('<')
			}
		case r == '>':
			if opened {
				b.WriteString("&gt;")
			} else {
				b.WriteByte('>')
			}
		case r == '&':
			if entityAhead(next) {
				b.WriteString("&amp;")
			} else {
				b.WriteByte('&')
			}
		case strings.ContainsRune("`*[]|#", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '_':
			if !(i > 0 && isWordByte(s[i-1]) && next != "" && isWordByte(next[0])) {
				b.WriteByte('\\')
			}
			b.WriteByte('_')
		case r == '\n':
			b.WriteByte(' ')
		case inert.NeedsEscape(r, w):
			b.WriteByte('\\') // so that the escape's own backslash shows
			inert.WriteEscape(&b, r, s[i])
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// mdBlock is mdEscape for text that starts a line of its own (a
// paragraph, a list item's text): a leading -, +, =, ~, > or "1." would
// make it a list, a heading underline, a fence or a quote.
func mdBlock(s string) string {
	e := mdEscape(s)
	t := strings.TrimLeft(e, " ")
	lead := e[:len(e)-len(t)]
	switch {
	case t == "":
		return e
	case strings.IndexByte("-+=~>", t[0]) >= 0:
		return lead + `\` + t
	}
	if n := len(t) - len(strings.TrimLeft(t, "0123456789")); n > 0 && n < len(t) && (t[n] == '.' || t[n] == ')') {
		return lead + t[:n] + `\` + t[n:]
	}
	return e
}

// entityAhead reports whether s (after an &) reads as an entity's rest:
// a name or number and a semicolon.
func entityAhead(s string) bool {
	n := 0
	for n < len(s) && n < 32 && (isASCIILetter(s[n]) || s[n] >= '0' && s[n] <= '9' || s[n] == '#') {
		n++
	}
	return n > 0 && n < len(s) && s[n] == ';'
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isWordByte: a letter or digit, or any byte of a non-ASCII character
// (intraword _ is no emphasis next to those either).
func isWordByte(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c >= 0x80
}

// fence keeps a line from closing a code fence, and from driving a
// terminal that shows the file (termEscape; inside a fence a backslash is
// a backslash).
func fence(s string) string {
	return inert.Text(strings.ReplaceAll(strings.ReplaceAll(s, "```", "'''"), "\n", " "))
}

// codeSpan is text for a `code span`: it cannot end the span (a backtick
// becomes a quote) nor break the line, and control characters show as
// escapes (inside a span a backslash is a backslash).
func codeSpan(s string) string {
	return inert.Text(strings.ReplaceAll(strings.ReplaceAll(s, "`", "'"), "\n", " "))
}
