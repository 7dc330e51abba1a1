package kd

import (
	"bytes"
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// vmWrappedRow recognizes a !vm figure row whose count is past the
// largest signed 64-bit number, "PagedPool Commit:  18446735282293205272
// (18446708908044166240 Kb)", and returns its label. The debugger prints
// a figure that went below zero (a sum of its parts larger than the
// whole) as an unsigned count: it names no amount.
func vmWrappedRow(line []byte) (string, bool) {
	c := bytes.IndexByte(line, ':')
	if c <= 0 || c > 48 {
		return "", false
	}
	rest := scan.TrimSpace(line[c+1:])
	i := 0
	for i < len(rest) && scan.IsDigit(rest[i]) {
		i++
	}
	if i < 19 || i > 20 {
		return "", false
	}
	if _, ok := scan.ParseDec(rest[:i]); ok {
		return "", false // it fits: not wrapped
	}
	if _, err := strconv.ParseUint(string(rest[:i]), 10, 64); err != nil {
		return "", false
	}
	after := scan.TrimSpace(rest[i:])
	if len(after) == 0 || after[0] != '(' || !bytes.HasSuffix(after, []byte("Kb)")) {
		return "", false
	}
	return string(bytes.Join(bytes.Fields(line[:c]), []byte(" "))), true
}
