package scan

import "bytes"

// SniffLen is how much of the head of a capture format detection looks at.
const SniffLen = 64 << 10

// Sniff is the loop that tells a text format by its reader: it hands the
// lines of text, the head of a capture decoded to UTF-8, to readLine one
// by one, as the reader reads a capture, and reports whether readLine
// found the evidence decisive on one of them. Lines end at LF, or at CR
// in text without LF (classic Mac line ends); lines are cut at
// MaxLineLen as the reader cuts them; the spacing of double-spaced text
// is dropped as the reader drops it (DoubleSpaced). When text fills SniffLen, its last
// line may be cut and is not read.
func Sniff(text []byte, readLine func(line []byte) (decisive bool)) bool {
	return SniffCut(text, len(text) >= SniffLen, readLine)
}

// SniffCut is Sniff for a head whose caller knows whether it was cut:
// text decoded from UTF-16 is shorter than the head it came from.
func SniffCut(text []byte, cut bool, readLine func(line []byte) (decisive bool)) bool {
	sep := byte('\n')
	if bytes.IndexByte(text, '\n') < 0 && bytes.IndexByte(text, '\r') >= 0 {
		sep = '\r' // classic Mac line ends
	}
	space := spacing{on: DoubleSpaced(text)}
	// Walked in place: every format's sniff walks the head, and a list of
	// its lines for each was a sixth of what detecting a format took.
	for first := true; len(text) > 0; first = false {
		i := bytes.IndexByte(text, sep)
		if i < 0 && cut && !first {
			return false // the last line, perhaps cut short
		}
		line := text
		if i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		if len(line) > MaxLineLen {
			line = line[:MaxLineLen]
		}
		if space.drop(line) {
			continue
		}
		if readLine(TrimCR(line)) {
			return true
		}
	}
	return false
}
