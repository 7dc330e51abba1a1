package scan

import (
	"bytes"
	"unicode/utf8"
)

// Fields splits b at runs of blanks into dst (reused to avoid allocation).
func Fields(b []byte, dst [][]byte) [][]byte {
	dst = dst[:0]
	i := 0
	for i < len(b) {
		for i < len(b) && IsSpace(b[i]) {
			i++
		}
		j := i
		for j < len(b) && !IsSpace(b[j]) {
			j++
		}
		if j > i {
			dst = append(dst, b[i:j])
		}
		i = j
	}
	return dst
}

// SkipToken returns b after the blanks and the token at its start.
func SkipToken(b []byte) []byte {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	for i < len(b) && b[i] != ' ' && b[i] != '\t' {
		i++
	}
	return b[i:]
}

// ValueAfter returns the token after the token label in toks, or nil.
func ValueAfter(toks [][]byte, label string) []byte {
	for i := 0; i+1 < len(toks); i++ {
		if string(toks[i]) == label {
			return toks[i+1]
		}
	}
	return nil
}

// RestAfter returns the trimmed text after the first occurrence of label
// in line, and whether label occurs.
func RestAfter(line []byte, label string) ([]byte, bool) {
	i := bytes.Index(line, []byte(label))
	if i < 0 {
		return nil, false
	}
	return TrimSpace(line[i+len(label):]), true
}

// HasPrefix reports whether b starts with s, without converting.
func HasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

// HasPrefixFold is HasPrefix ignoring ASCII case.
func HasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && bytes.EqualFold(b[:len(s)], []byte(s))
}

// Contains reports whether b holds s, without making bytes of s.
func Contains(b []byte, s string) bool {
	if len(s) == 0 {
		return true
	}
	for len(b) >= len(s) {
		i := bytes.IndexByte(b, s[0])
		if i < 0 || len(b)-i < len(s) {
			return false
		}
		if string(b[i:i+len(s)]) == s {
			return true
		}
		b = b[i+1:]
	}
	return false
}

// ContainsFold reports whether b holds s, ignoring ASCII case: the
// cheap test a sniffer makes before it splits or lowers a line.
func ContainsFold(b []byte, s string) bool {
	if len(s) == 0 {
		return true
	}
	c0 := s[0] | 0x20
	for i := 0; i+len(s) <= len(b); i++ {
		if b[i]|0x20 == c0 && bytes.EqualFold(b[i:i+len(s)], []byte(s)) {
			return true
		}
	}
	return false
}

// ParseDec reads a decimal count, allowing a trailing '.' as kd prints
// ("HandleCount: 21.").
func ParseDec(b []byte) (int64, bool) {
	b = bytes.TrimSuffix(b, []byte("."))
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if !IsDigit(c) {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// AddrString is the canonical form of a kernel address: lowercase hex
// without backtick or leading zeros.
func AddrString(b []byte) (string, bool) {
	v, ok := ParseHex(b)
	if !ok {
		return "", false
	}
	const digits = "0123456789abcdef"
	var buf [16]byte
	i := len(buf)
	for {
		i--
		buf[i] = digits[v&15]
		v >>= 4
		if v == 0 {
			break
		}
	}
	return string(buf[i:]), true
}

// QuoteLine shortens a line for a diagnostic message, at a character
// boundary: a message must stay valid UTF-8.
func QuoteLine(b []byte) string {
	const max = 100
	if len(b) <= max {
		return string(b)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "..."
}
