package handleexe

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// A page that lost its line breaks joins a type summary (`handle -s`)
// as it joins a listing (flattened.go):
//
//	Handle type summary:   ALPC Port       : 8   Desktop         : 2 ... Total handles: 1234
//
// Read as one line, its header was not the whole line, so the summary was
// never started and the capture was refused. Such a line is cut back into
// the lines it was: before the header, the banner's lines and Handle's
// version line ahead of it, and after the header and each row's count.

// summaryHeader is the line a type summary starts with.
var summaryHeader = []byte("Handle type summary:")

// flatSummaryStart returns where the header of a type summary flattened
// onto line starts, or -1 when line is no such summary: the header with a
// row after it ("TYPE : N").
func flatSummaryStart(line []byte) int {
	at := bytes.Index(line, summaryHeader)
	if at < 0 {
		return -1
	}
	rest := line[at+len(summaryHeader):]
	colon := bytes.IndexByte(rest, ':')
	if colon < 1 || len(scan.TrimSpace(rest[:colon])) == 0 {
		return -1
	}
	if n := scan.TrimSpace(rest[colon+1:]); len(n) == 0 || !scan.IsDigit(n[0]) {
		return -1
	}
	return at
}

// startsFlatSummaryLine reports whether a line of a flattened summary
// whose header starts at line[header] starts at line[i], after a blank:
// the header itself, or the banner's and Handle's version line before
// it; after it, the word after the header and the one after each count.
func startsFlatSummaryLine(line []byte, header, i int) bool {
	if line[i-1] != ' ' || line[i] == ' ' {
		return false
	}
	rest := line[i:]
	if i <= header {
		return i == header ||
			scan.HasPrefix(rest, "Copyright (C)") ||
			scan.HasPrefix(rest, "Sysinternals - ") ||
			isHandleExeVersion(firstWords(rest, 2))
	}
	before := scan.TrimSpace(line[header:i])
	if bytes.Equal(before, summaryHeader) {
		return true
	}
	// before ends in a count: digits after a colon.
	j := len(before)
	for j > 0 && scan.IsDigit(before[j-1]) {
		j--
	}
	if j == len(before) {
		return false
	}
	before = scan.TrimSpace(before[:j])
	return len(before) > 0 && before[len(before)-1] == ':'
}

// firstWords returns the first n blank-separated words of b.
func firstWords(b []byte, n int) []byte {
	end := 0
	for w := 0; w < n && end < len(b); w++ {
		for end < len(b) && b[end] == ' ' {
			end++
		}
		for end < len(b) && b[end] != ' ' {
			end++
		}
	}
	return b[:end]
}
