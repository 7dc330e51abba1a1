package wintable

import "unicode/utf8"

// countLimit bounds the counts read: a handle count past it is damage.
const countLimit = 1 << 40

// ParseCount reads a whole count as the tools print it for the locale
// they run in: digits, grouped by three with ',', '.', '\”, a blank, a
// no-break space or a narrow no-break space ("12,345", "12.345",
// "12 345"). A decimal part, a unit or a sign makes it no count.
func ParseCount(b []byte) (int64, bool) {
	var v int64
	digits, group := 0, -1 // group counts the digits since the latest separator
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			if v > countLimit {
				return 0, false
			}
			digits++
			if group >= 0 {
				group++
			}
			i++
			continue
		case c == ',' || c == '.' || c == '\'' || c == ' ':
			i++
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(b[i:])
			if r != '\u00a0' && r != '\u202f' {
				return 0, false
			}
			i += n
		default:
			return 0, false
		}
		// A separator: it must follow a group of one to three digits
		// (the first) or of exactly three.
		if digits == 0 || (group >= 0 && group != 3) || (group < 0 && digits > 3) {
			return 0, false
		}
		group = 0
	}
	if digits == 0 || (group >= 0 && group != 3) {
		return 0, false
	}
	return v, true
}
