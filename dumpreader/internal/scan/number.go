package scan

import (
	"strconv"
	"strings"
)

// IsDigit reports whether c is a decimal digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// AllDigits reports whether b is one or more decimal digits.
func AllDigits[T ~string | ~[]byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if !IsDigit(b[i]) {
			return false
		}
	}
	return len(b) > 0
}

// IsLower reports whether c is an ASCII lower-case letter.
func IsLower(c byte) bool { return c >= 'a' && c <= 'z' }

// IsHexDigit reports whether c is a hex digit.
func IsHexDigit(c byte) bool { _, ok := HexVal(c); return ok }

// ParseNumber reads a debugger number: hex by default, with an optional 0x
// prefix or a 64-bit backtick (00000000`0000255c), or decimal with 0n.
func ParseNumber(s string) (uint64, bool) {
	s = strings.ReplaceAll(s, "`", "")
	switch {
	case strings.HasPrefix(s, "0n"):
		v, err := strconv.ParseUint(s[2:], 10, 64)
		return v, err == nil
	case strings.HasPrefix(s, "0x"), strings.HasPrefix(s, "0X"):
		s = s[2:]
	}
	return ParseHexString(s)
}

// ParseHexString is ParseHex of a string.
func ParseHexString(s string) (uint64, bool) {
	return ParseHex([]byte(s))
}

// ParseHex reads hex digits, ignoring a 64-bit backtick separator.
func ParseHex(b []byte) (uint64, bool) {
	var v uint64
	n := 0
	for _, c := range b {
		d := hexTable[c]
		if d >= 16 {
			if c == '`' {
				continue
			}
			return 0, false
		}
		if n == 16 {
			return 0, false
		}
		v = v<<4 | uint64(d)
		n++
	}
	return v, n > 0
}

// hexTable maps a byte to its hex digit value, or to 0xff.
var hexTable = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c-'a') + 10
		t[c-'a'+'A'] = byte(c-'a') + 10
	}
	return t
}()

// HexVal returns the value of the hex digit c, and whether it is one.
func HexVal(c byte) (byte, bool) {
	d := hexTable[c]
	return d, d < 16
}
