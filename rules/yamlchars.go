package rules

import (
	"bytes"
	"unicode/utf8"
)

// badChar returns the offset of the first byte of src that yaml.v3's
// reader refuses (invalid UTF-8, or a character YAML does not allow, such
// as ESC), or -1. The library reports those errors without a position
// ("yaml: invalid leading UTF-8 octet"), which read as line 1; the loader
// finds the place itself. A UTF-16 file (one that starts with its byte
// order mark) is left to the library.
func badChar(src []byte) int {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		return -1
	}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 || !yamlChar(r) {
			return i
		}
		i += size
	}
	return -1
}

// yamlChar reports whether YAML allows r in a stream (YAML 1.2 c-printable,
// as yaml.v3's reader checks it).
func yamlChar(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r >= 0x20 && r <= 0x7E, r == 0x85:
		return true
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// posOf is the line and character column (both from 1) of byte offset off.
func (l *lines) posOf(off int) (line, col int) {
	// The last line that starts at or before off.
	lo, hi := 0, len(l.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, utf8.RuneCount(l.src[l.starts[lo]:off]) + 1
}
