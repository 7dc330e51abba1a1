package dumpreader

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// cleaner undoes the damage captures suffer on their way through web pages,
// wikis and markdown, where the meaning is still unambiguous: HTML tags
// wrapped around values (`<font color="#ff0000">815f0da0</font>`), HTML
// entities (`kd&gt;`), markdown escapes (`\*\*\*\*`), non-breaking spaces,
// and leading and trailing white space (markdown indents, hard-break
// spaces), and bytes that are not UTF-8. Lines without such damage are only
// trimmed, without copying.
type cleaner struct {
	buf []byte
}

// clean returns line without the damage; the result may alias line or the
// cleaner's buffer and is valid until the next call.
func (c *cleaner) clean(line []byte) []byte {
	if needsRepair(line) {
		line = c.repair(line)
	}
	return trimSpace(line)
}

// needsRepair reports whether line holds a byte that may start damage:
// '<' or '&' (HTML), '*' or '>' (which a markdown escape may precede), or a
// non-ASCII byte. It looks at eight bytes at a time, since every line of a
// capture passes through it.
func needsRepair(line []byte) bool {
	n := len(line)
	if n < 8 {
		for _, c := range line {
			if c == '<' || c == '>' || c == '&' || c == '*' || c >= utf8.RuneSelf {
				return true
			}
		}
		return false
	}
	for i := 0; i+8 <= n; i += 8 {
		if damageWord(binary.LittleEndian.Uint64(line[i:])) {
			return true
		}
	}
	// The last word overlaps the one before it: checking bytes twice is
	// cheaper than a byte loop over the tail.
	return damageWord(binary.LittleEndian.Uint64(line[n-8:]))
}

// damageWord reports whether one of the eight bytes of w is non-ASCII, '<'
// or '>' (which differ in one bit, cleared to test both at once), '&' or
// '*'. It is branch-free: the zero-byte test of each comparison ORed.
func damageWord(w uint64) bool {
	lt := w&^(ones*0x02) ^ (ones * '<')
	amp := w ^ (ones * '&')
	star := w ^ (ones * '*')
	return ((lt-ones)&^lt|(amp-ones)&^amp|(star-ones)&^star|w)&highs != 0
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

func (c *cleaner) repair(line []byte) []byte {
	out := c.buf[:0]
	for i := 0; i < len(line); {
		b := line[i]
		switch {
		case b == '<':
			if n := htmlTagLen(line[i:]); n > 0 {
				i += n
				continue
			}
		case b == '&':
			if r, n := htmlEntity(line[i:]); n > 0 {
				out = append(out, r...)
				i += n
				continue
			}
		case b == '\\' && i+1 < len(line) && (line[i+1] == '*' || line[i+1] == '>'):
			// A markdown escape (`\*\*\*\*`, `kd\>`). Other escapes are
			// left alone: a backslash before '_' is common in real object
			// names (\BaseNamedObjects\__ComCatalogCache__).
			out = append(out, line[i+1])
			i += 2
			continue
		case b == 0xC2 && i+1 < len(line) && line[i+1] == 0xA0: // U+00A0 no-break space
			out = append(out, ' ')
			i += 2
			continue
		case b == 0xE2 && i+2 < len(line) && line[i+1] == 0x80 && (line[i+2] == 0x93 || line[i+2] == 0x94):
			// En and em dashes, which word processors put in place of the
			// '-' of command options (`.process –p –r` in the seed post).
			out = append(out, '-')
			i += 3
			continue
		}
		if b >= utf8.RuneSelf {
			// Facts hold valid UTF-8 only, so that a snapshot's JSON form
			// reads back the same: invalid bytes become U+FFFD.
			r, n := utf8.DecodeRune(line[i:])
			if r == utf8.RuneError && n <= 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
				i++
				continue
			}
			out = append(out, line[i:i+n]...)
			i += n
			continue
		}
		out = append(out, b)
		i++
	}
	c.buf = out
	return out
}

// htmlTags are the tags pasted captures carry. Anything else in angle
// brackets is kept: the debugger itself prints <none>, <Data Not Accessible>
// and <Invalid process>.
var htmlTags = map[string]bool{
	"font": true, "b": true, "i": true, "u": true, "em": true, "strong": true, "span": true,
	"br": true, "pre": true, "code": true, "a": true, "div": true, "p": true, "tt": true,
	"kbd": true, "samp": true, "mark": true, "small": true, "big": true, "sup": true,
	"sub": true, "del": true, "ins": true, "s": true, "strike": true, "var": true,
}

// htmlTagLen returns the length of the HTML tag b starts with, or 0. It
// looks no further than a pasted tag runs (`<font color="#ff0000">`), so a
// line of many '<' costs time in proportion to its length.
func htmlTagLen(b []byte) int {
	end := bytes.IndexByte(b[:min(len(b), 64)], '>')
	if end < 2 {
		return 0
	}
	name := b[1:end]
	if name[0] == '/' {
		name = name[1:]
	}
	if i := bytes.IndexAny(name, " \t/"); i >= 0 {
		name = name[:i]
	}
	if len(name) == 0 || len(name) > 6 {
		return 0
	}
	var lower [6]byte
	for i, ch := range name {
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		lower[i] = ch
	}
	if !htmlTags[string(lower[:len(name)])] {
		return 0
	}
	return end + 1
}

var htmlEntities = []struct {
	name string
	text string
}{
	{"&gt;", ">"}, {"&lt;", "<"}, {"&amp;", "&"}, {"&quot;", `"`},
	{"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}, {"&#x27;", "'"}, {"&#62;", ">"}, {"&#60;", "<"},
}

func htmlEntity(b []byte) (string, int) {
	for _, e := range htmlEntities {
		if len(b) >= len(e.name) && string(b[:len(e.name)]) == e.name {
			return e.text, len(e.name)
		}
	}
	return "", 0
}

func isSpace(b byte) bool { return spaceTable[b] }

var spaceTable = [256]bool{' ': true, '\t': true, '\v': true, '\f': true, '\r': true}

func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	// Indents are runs of spaces, eight at a time in the deepest ones.
	for i+8 <= j && binary.LittleEndian.Uint64(b[i:]) == ones*' ' {
		i += 8
	}
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}
