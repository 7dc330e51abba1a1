package scan

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// Cleaner undoes the damage captures suffer on their way through web pages,
// wikis and markdown, where the meaning is still unambiguous (paste.go):
// blockquote prefixes, bold markers and backslash escapes of markdown,
// HTML tags wrapped around values (`<font color="#ff0000">815f0da0</font>`)
// and HTML entities (`kd&gt;`, `&#8203;`), non-breaking spaces, zero-width
// characters, typographic dashes, leading and trailing white space
// (markdown indents, hard-break spaces), and bytes that are not UTF-8.
// Lines without such damage are only trimmed, without copying.
type Cleaner struct {
	buf  []byte
	bold []int
	// found is the damage the latest repair undid.
	found Damage
	// Seen, if set, collects the damage of every repair until the
	// reader's line loop takes it (ReadLines).
	Seen *Damage
}

// Clean returns line without the damage; the result may alias line or the
// cleaner's buffer and is valid until the next call.
func (c *Cleaner) Clean(line []byte) []byte {
	c.found = 0
	if NeedsRepair(line) {
		line = c.repair(line)
	}
	return TrimSpace(line)
}

// NeedsRepair reports whether line holds a byte that may start damage:
// '<' or '&' (HTML), '*', a leading '>' or a backslash before a character
// markdown escapes (markdown), or a non-ASCII byte. It looks at eight
// bytes at a time, since every line of a capture passes through it; what
// follows a backslash, which every path holds, is looked at only for
// lines that hold one.
func NeedsRepair(line []byte) bool {
	n := len(line)
	if n < 8 {
		for _, c := range line {
			if c == '<' || c == '&' || c == '*' || c >= utf8.RuneSelf {
				return true
			}
		}
		return blockquoteLen(line) > 0 || hasEscape(line)
	}
	var Damage, backslash uint64
	for i := 0; i+8 <= n; i += 8 {
		d, b := damageWord(binary.LittleEndian.Uint64(line[i:]))
		Damage |= d
		backslash |= b
	}
	// The last word overlaps the one before it: checking bytes twice is
	// cheaper than a byte loop over the tail.
	d, b := damageWord(binary.LittleEndian.Uint64(line[n-8:]))
	Damage |= d
	backslash |= b
	return Damage != 0 || (backslash != 0 && hasEscape(line)) || blockquoteLen(line) > 0
}

// damageWord tests the eight bytes of w: damage is non-zero when one is
// non-ASCII, '<', '&' or '*'; backslash is non-zero when one is '\\'. It
// is branch-free: the zero-byte test of each comparison ORed.
func damageWord(w uint64) (Damage, backslash uint64) {
	lt := w ^ (ones * '<')
	amp := w ^ (ones * '&')
	star := w ^ (ones * '*')
	bs := w ^ (ones * '\\')
	return ((lt-ones)&^lt | (amp-ones)&^amp | (star-ones)&^star | w) & highs, (bs - ones) &^ bs & highs
}

// hasEscape reports whether line holds a backslash before a character
// that markdown escapes (see escapeLen).
func hasEscape(line []byte) bool {
	for {
		i := bytes.IndexByte(line, '\\')
		if i < 0 || i+1 >= len(line) {
			return false
		}
		if escapable[line[i+1]] {
			return true
		}
		line = line[i+1:]
	}
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

func (c *Cleaner) repair(line []byte) []byte {
	out := c.buf[:0]
	c.found = 0
	if n := blockquoteLen(line); n > 0 {
		c.found |= dmgBlockquote
		line = line[n:]
	} else if n := escapedQuoteLen(line); n > 0 {
		c.found |= dmgBlockquote | dmgEntity
		line = line[n:]
	}
	c.bold = boldMarks(line, c.bold)
	if len(c.bold) > 0 {
		c.found |= dmgBold
	}
	path := -1 // where the line's first path starts, found at the first backslash
	bold := c.bold
	for i := 0; i < len(line); {
		if len(bold) > 0 && bold[0] == i {
			bold = bold[1:]
			i += 2
			continue
		}
		b := line[i]
		switch {
		case b == '<':
			if n := htmlTagLen(line[i:]); n > 0 {
				c.found |= dmgTag
				i += n
				continue
			}
		case b == '&':
			if r, n := htmlEntity(line[i:]); n > 0 {
				c.found |= dmgEntity
				out = appendChar(out, r)
				i += n
				continue
			}
		case b == '\\':
			if path < 0 {
				path = i + pathStart(line[i:])
			}
			if n := escapeLen(line, i, path); n > 0 {
				c.found |= dmgEscape
				out = append(out, line[i+1])
				i += n
				continue
			}
		case b >= utf8.RuneSelf:
			// Facts hold valid UTF-8 only, so that a snapshot's JSON form
			// reads back the same: invalid bytes become U+FFFD.
			r, n := utf8.DecodeRune(line[i:])
			switch {
			case r == utf8.RuneError && n <= 1:
				c.found |= dmgBadUTF8
				out = utf8.AppendRune(out, utf8.RuneError)
			case r == 0xA0:
				c.found |= dmgNoBreakSpace
				out = append(out, ' ')
			case r == 0x2013 || r == 0x2014:
				// En and em dashes, which word processors put in place of
				// the '-' of command options (`.process –p –r`).
				c.found |= dmgDash
				out = append(out, '-')
			case isInvisible(r):
				c.found |= dmgInvisible
			default:
				out = append(out, line[i:i+n]...)
			}
			i += n
			continue
		}
		out = append(out, b)
		i++
	}
	if c.found&dmgEntity != 0 && bytes.IndexByte(out, '<') >= 0 {
		// A page's source shows the tags of a page's text escaped
		// (`&lt;font color="#ff0000"&gt;`): once the entities are
		// undone, they are tags as any other.
		out = c.stripTags(out)
	}
	c.buf = out
	if c.Seen != nil {
		*c.Seen |= c.found
	}
	return out
}

// stripTags removes in place the HTML tags (htmlTagLen) of line.
func (c *Cleaner) stripTags(line []byte) []byte {
	w := 0
	for i := 0; i < len(line); {
		if line[i] == '<' {
			if n := htmlTagLen(line[i:]); n > 0 {
				c.found |= dmgTag
				i += n
				continue
			}
		}
		line[w] = line[i]
		w++
		i++
	}
	return line[:w]
}

// appendChar appends the character an entity stands for, as the cleaner
// reads it: a no-break space as a space, a dash as '-', nothing for a
// zero-width character.
func appendChar(out []byte, r rune) []byte {
	switch {
	case r == 0xA0:
		return append(out, ' ')
	case r == 0x2013 || r == 0x2014:
		return append(out, '-')
	case isInvisible(r):
		return out
	}
	return utf8.AppendRune(out, r)
}

// IsSpace reports whether b is a blank: space, tab, vertical tab, form
// feed or CR.
func IsSpace(b byte) bool { return spaceTable[b] }

var spaceTable = [256]bool{' ': true, '\t': true, '\v': true, '\f': true, '\r': true}

// TrimSpace returns b without the blanks (IsSpace) it begins and ends in.
func TrimSpace(b []byte) []byte {
	i, j := 0, len(b)
	// Indents are runs of spaces, eight at a time in the deepest ones.
	for i+8 <= j && binary.LittleEndian.Uint64(b[i:]) == ones*' ' {
		i += 8
	}
	for i < j && IsSpace(b[i]) {
		i++
	}
	for j > i && IsSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}
