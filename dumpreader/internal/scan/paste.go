package scan

import (
	"bytes"
	"math/bits"
	"strconv"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/facts"
)

// This file holds what markdown and HTML do to a capture pasted into a
// ticket, a forum or a wiki, and how the cleaner undoes it: a "> "
// blockquote prefix, **bold** around a command, backslash escapes
// (`HandleCount: 124\.`, `svchost\.exe`, `kd\>`), HTML entities
// (`&gt;`, `&#8203;`) and inline tags (`<font color=...>`). Each kind of
// damage is reported once per capture (pasteTally), with the first line
// that had it and how many lines did.

// Damage is a set of kinds of paste damage, one bit each.
type Damage uint16

const (
	dmgBlockquote Damage = 1 << iota
	dmgBold
	dmgEscape
	dmgHardBreak
	dmgEntity
	dmgTag
	dmgInvisible
	dmgNoBreakSpace
	dmgDash
	dmgBadUTF8
	dmgKinds = iota
)

// damageNames say what each kind of damage is, for its diagnostic.
var damageNames = [dmgKinds]string{
	"markdown blockquote prefixes (\"> \")",
	"markdown bold markers (**...**)",
	"markdown backslash escapes (\\. \\* \\> ...)",
	"markdown hard breaks (two trailing spaces)",
	"HTML entities (&gt; &nbsp; &#...;)",
	"inline HTML tags (<font>, <b>, <span> ...)",
	"zero-width characters",
	"non-breaking spaces",
	"typographic dashes in place of '-'",
	"bytes that are not UTF-8 (read as U+FFFD)",
}

// pasteTally counts, per kind of damage, the lines that had it and the
// first of them. What a reader's cleaners undo is what counts: a line a
// reader takes as printed (the kd reader's fast path for handle entries)
// has no damage that matters to it.
type pasteTally struct {
	lines [dmgKinds]int64
	first [dmgKinds]int64
	// text counts the lines that are not empty: two trailing spaces are
	// markdown hard breaks only when most lines end so, since tools pad
	// columns with blanks (Handle's "10: IoCompletion  ").
	text int64
}

// note records the damage found repairing line lineNo (the reader's
// cleaners add what they undo to found) and its hard break, if any.
func (t *pasteTally) note(lineNo int64, raw []byte, found Damage) {
	if len(raw) > 0 {
		t.text++
	}
	if n := len(raw); n >= 3 && raw[n-1] == ' ' && raw[n-2] == ' ' && !IsSpace(raw[n-3]) {
		found |= dmgHardBreak
	}
	for k := 0; found != 0; k, found = k+1, found>>1 {
		if found&1 == 0 {
			continue
		}
		if t.lines[k] == 0 {
			t.first[k] = lineNo
		}
		t.lines[k]++
	}
}

// report gives one diagnostic per kind of damage seen.
func (t *pasteTally) report(log *facts.SourceLog) {
	if hb := bitIndex(dmgHardBreak); t.lines[hb] < 2 || 2*t.lines[hb] < t.text {
		t.lines[hb] = 0
	}
	for k := range t.lines {
		if n := t.lines[k]; n > 0 {
			log.Diag(t.first[k], facts.SevInfo, facts.CodeRepaired,
				"%s undone before reading: %d line(s) had them, this one first", damageNames[k], n)
		}
	}
}

// bitIndex returns the index of the one bit of d.
func bitIndex(d Damage) int { return bits.TrailingZeros16(uint16(d)) }

// blockquoteLen returns the length of the markdown blockquote prefix line
// starts with ("> ", "> > ", ">" alone), or 0. No debugger, Handle or lsof
// line starts with '>'. The quote may be indented, as far as the 4 spaces
// of a markdown code block and a tab more (a quoted mail pasted into
// one).
func blockquoteLen(line []byte) int {
	i := 0
	for i < len(line) && i < 8 && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	n := 0
	for i < len(line) && line[i] == '>' {
		i++
		if i < len(line) && line[i] == ' ' {
			i++
		}
		n = i
	}
	return n
}

// escapedQuoteLen returns the length of the blockquote prefix line starts
// with as a page's source (a mail archive's) writes it, "&gt; &gt; ", or
// 0.
func escapedQuoteLen(line []byte) int {
	i := 0
	for i < len(line) && i < 8 && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	n := 0
	for bytes.HasPrefix(line[i:], []byte("&gt;")) {
		i += len("&gt;")
		if i < len(line) && line[i] == ' ' {
			i++
		}
		n = i
	}
	return n
}

// Unquote returns line without the markdown blockquote prefix it starts
// with ("> ", "> > "), for readers that do not clean their lines whole.
func Unquote(line []byte) []byte { return line[blockquoteLen(line):] }

// boldMarks finds the pairs of "**" that mark bold text in line
// (`0:000> **!handle 0 0**`) and returns their offsets, opening and
// closing alternately, in dst. A marker must touch the text it wraps and
// not be part of a longer run of stars, so kd's own "**** NT ACTIVE
// PROCESS DUMP ****" and "*** WARNING" keep theirs. A closing marker
// pairs with the nearest opening one before it, in one pass: a line of
// many unclosed markers costs no more than its length. An opening marker
// begins a word (wordStart) and bold text holds a letter or digit: stars
// inside a name or around punctuation alone are an author's redaction,
// kept as in a code block that markdown leaves as it is (lsof's
// `ip-172-**-**-**.internal:19459`, `10.**.**.7`).
//
// A star escaped with a backslash is the text's own, no marker and no part
// of a run: `**~\***` is the command ~* in bold. Bold text right after a
// debugger's prompt is a command, which needs no letter (`0:001> **~\***`).
func boldMarks(line []byte, dst []int) []int {
	dst = dst[:0]
	escaped := func(i int) bool { return i > 0 && line[i-1] == '\\' }
	star := func(i int) bool { return i >= 0 && i < len(line) && line[i] == '*' && !escaped(i) }
	open := -1
	for i := 0; i+1 < len(line); i++ {
		if line[i] != '*' || line[i+1] != '*' || escaped(i) || star(i-1) || star(i+2) {
			continue
		}
		switch {
		case open >= 0 && i > open+2 && !IsSpace(line[i-1]) && (hasAlnum(line[open+2:i]) || afterPrompt(line[:open])):
			dst = append(dst, open, i)
			open = -1
		case i+2 < len(line) && !IsSpace(line[i+2]) && wordStart(line, i):
			open = i
		}
		i++
	}
	return dst
}

// afterPrompt reports whether before, the text of a line before a bold
// marker, is a debugger's prompt: "0:001> ", "kd> ", "0: kd> ", short,
// ending in '>' and blanks, no star in it.
func afterPrompt(before []byte) bool {
	t := bytes.TrimRight(before, " \t")
	return len(t) > 1 && len(t) <= 12 && t[len(t)-1] == '>' && bytes.IndexByte(t, '*') < 0
}

// wordStart reports whether line[i] begins a word: the line's start, or
// after a blank or an opening bracket or quote. Markdown's bold opens a
// word; stars within one ("ip-10-**-**") are the text's own.
func wordStart(line []byte, i int) bool {
	if i == 0 {
		return true
	}
	switch c := line[i-1]; c {
	case '(', '[', '{', '"', '\'', '`':
		return true
	default:
		return IsSpace(c)
	}
}

// hasAlnum reports whether b holds an ASCII letter or digit, or a
// non-ASCII byte (a letter of another script).
func hasAlnum(b []byte) bool {
	for _, c := range b {
		if IsAlnum(c) || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// pathStart returns where the first path in line begins (the start of the
// blank-separated token holding a backslash that separates path
// components: `\Device\...`, `C:\Windows`), or len(line). A backslash
// before '.', '_' or '-' is a markdown escape before it and a path
// separator after it (`\BaseNamedObjects\__ComCatalogCache__`).
func pathStart(line []byte) int {
	for i := 0; i+1 < len(line); i++ {
		if line[i] != '\\' {
			continue
		}
		if c := line[i+1]; IsAlnum(c) || c == '\\' || c == '$' || c == '?' || c == '{' || c == '%' || c == '~' || c >= utf8.RuneSelf {
			for i > 0 && !IsSpace(line[i-1]) {
				i--
			}
			return i
		}
	}
	return len(line)
}

// IsAlnum reports whether c is an ASCII letter or digit.
func IsAlnum(c byte) bool { return IsDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' }

// escapeLen returns 2 when line[i:] starts with a markdown backslash
// escape to undo, else 0. '*' and '>' are in no file name, so an escape
// of them is undone anywhere but in "C:\>", the prompt at a drive's root;
// '.', '_', '-', '!', '#', '[', ']', '+', '`', '(' and ')' only before the
// first path of the line (a page that escaped Handle's share flags,
// `File  \(---\)   D:\Contoso\logs`, and its banner's "Copyright \(C\)").
// "\<" is left alone: Handle prints an owner it could not read as
// `\<unable to open process>`.
func escapeLen(line []byte, i, path int) int {
	if i+1 < len(line) && !escapable[line[i+1]] {
		return 0
	}
	if i+1 >= len(line) {
		return 0
	}
	switch line[i+1] {
	case '*':
		return 2
	case '>':
		if i == 0 || line[i-1] != ':' {
			return 2
		}
	case '.', '_', '-', '!', '#', '[', ']', '+', '`', '(', ')':
		if i < path {
			return 2
		}
	}
	return 0
}

// escapable holds the characters whose markdown escapes escapeLen may
// undo.
var escapable = [256]bool{'*': true, '>': true, '.': true, '_': true, '-': true, '!': true, '#': true, '[': true, ']': true, '+': true, '`': true, '(': true, ')': true}

// isHTMLTag says name (lower case) is one of the tags pasted captures
// carry. Anything else in angle brackets is kept: the debugger itself
// prints <none>, <Data Not Accessible> and <Invalid process>. (A switch,
// as the entities': nothing to build at start.)
func isHTMLTag(name string) bool {
	switch name {
	case "font", "b", "i", "u", "em", "strong", "span",
		"br", "pre", "code", "a", "div", "p", "tt",
		"kbd", "samp", "mark", "small", "big", "sup",
		"sub", "del", "ins", "s", "strike", "var",
		"details", "summary": // GitHub's folded blocks around a paste
		return true
	}
	return false
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
	if len(name) == 0 || len(name) > 7 {
		return 0
	}
	var lower [7]byte
	for i, ch := range name {
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		lower[i] = ch
	}
	if !isHTMLTag(string(lower[:len(name)])) {
		return 0
	}
	return end + 1
}

// namedEntity returns the character of a named entity pasted captures
// carry, by name, and whether it is one.
func namedEntity(name string) (rune, bool) {
	switch name {
	case "gt":
		return '>', true
	case "lt":
		return '<', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	case "nbsp":
		return 0xA0, true
	case "ensp", "emsp", "thinsp":
		return ' ', true
	case "ndash":
		return 0x2013, true
	case "mdash":
		return 0x2014, true
	case "hellip":
		return '…', true
	case "zwsp":
		return 0x200B, true
	case "zwnj":
		return 0x200C, true
	case "zwj":
		return 0x200D, true
	}
	return 0, false
}

// htmlEntity reads the entity b starts with ("&gt;", "&#8203;",
// "&#x200b;") and returns its character and length, or length 0.
func htmlEntity(b []byte) (rune, int) {
	semi := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if semi < 2 {
		return 0, 0
	}
	name := b[1:semi]
	if name[0] != '#' {
		r, ok := namedEntity(string(name))
		if !ok {
			return 0, 0
		}
		return r, semi + 1
	}
	base, digits := 10, name[1:]
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		base, digits = 16, digits[1:]
	}
	v, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || v == 0 || !utf8.ValidRune(rune(v)) {
		return 0, 0
	}
	return rune(v), semi + 1
}

// isInvisible reports whether r is a character that only breaks words
// for display (zero-width space, joiners, word joiner, byte-order mark).
func isInvisible(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return false
}
