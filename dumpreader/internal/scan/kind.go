package scan

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// LineKind is the account a line is given.
type LineKind uint8

// The kinds, in the order Joined takes them.
const (
	Parsed LineKind = iota
	Ignored
	Unrecognized
)

// Joined is the account of a line read as pieces (a flattened listing cut
// back into its lines) from that of two of them: parsed if either was,
// else ignored if either was, else unrecognized.
func Joined(a, b LineKind) LineKind { return min(a, b) }

// IsElision recognizes the marks people leave where they cut a capture:
// "...", "......", "… more", "[...]", "*snip*", "<Output Snipped ...>",
// "-- snip --", "==== output omitted ====", the same framed in slashes
// ("/---OUTPUT TRUNCATED---/"), and short notes in other scripts such as
// "(略)" or "생략".
func IsElision(line []byte) bool {
	if HasPrefix(line, "...") || HasPrefix(line, "…") {
		return true
	}
	if len(line) < 100 && (line[0] == '<' || line[0] == '*' || line[0] == '[' || line[0] == '(' || line[0] == '.') {
		if saysCut(bytes.ToLower(line)) {
			return true
		}
	}
	if len(line) < 100 && (line[0] == '-' || line[0] == '=') && isFramedNote(line) {
		return true
	}
	if len(line) < 100 && len(line) > 2 && line[0] == '/' && line[len(line)-1] == '/' &&
		(line[1] == '-' || line[1] == '=') && isFramedNote(line[1:len(line)-1]) {
		// Slashes around the frame: a path ("/var/snip/") has no dashes
		// after its first slash.
		return true
	}
	if utf8.RuneCount(line) > 8 {
		return false
	}
	// A short note in another script says so by a word ("(略)", "以下省略",
	// "생략") or an ellipsis ("⋮", "[…]"); any other short line in it is a
	// heading or a caption ("重启前：", "例子"), no cut. Japanese writes
	// an ellipsis as middle dots ("・・・"); one alone is a bullet.
	cutWord := bytes.Contains(line, []byte("略")) || bytes.Contains(line, []byte("생략"))
	marked := cutWord
	middleDots := 0
	for _, r := range string(line) {
		switch {
		case strings.ContainsRune("…‥⋮⋯︙", r):
			marked = true
		case r == '・' || r == '･':
			middleDots++
		case strings.ContainsRune("()[]. （）［］【】　", r):
		case r >= utf8.RuneSelf && cutWord:
		default:
			return false
		}
	}
	// "[...]" and "(...)": the dots in brackets, as "[…]" is.
	return marked || middleDots >= 2 || bytes.Contains(line, []byte("..."))
}

// isFramedNote reports whether line is a short note framed by dashes or
// equals signs that says output was cut ("-- snip --", "--- output
// omitted ---", "---trunct-----"): a few words between the frames, one
// of them saying so (saysCut). A listing's row that starts with '-' (ls -l's "-rw-r--r--")
// has more fields than that.
func isFramedNote(line []byte) bool {
	inner := bytes.Trim(line, "-= \t")
	if len(inner) == 0 || len(bytes.Fields(inner)) > 3 {
		return false
	}
	return saysCut(bytes.ToLower(inner))
}

// saysCut reports whether a short note, lowercased, says output was cut:
// snip(ped), omitted, trunc(ated), and the "trunct" of a hurried note.
func saysCut(lower []byte) bool {
	return bytes.Contains(lower, []byte("snip")) || bytes.Contains(lower, []byte("omitted")) ||
		bytes.Contains(lower, []byte("trunc"))
}

// IsSeparator recognizes the dash lines `!htrace` prints between
// entries and Handle under its banner.
func IsSeparator(line []byte) bool {
	if len(line) < 10 {
		return false
	}
	for _, c := range line {
		if c != '-' {
			return false
		}
	}
	return true
}
