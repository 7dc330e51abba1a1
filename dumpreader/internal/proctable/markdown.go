package proctable

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// A markdown table is how notes and issues often carry a tool's table:
// Process Explorer's tab-separated text, Get-Process's columns ("|
// ProcessName | Id | Handles |"), a rule row "|---|---|---|" under the
// header, and one "| ... |" row a process. The readers take its cells as
// they take tab-separated ones, without the markup around a cell: bold
// (**explorer**) and a code span (`sihost.exe`).

// MDKind is what a line is to a markdown table.
type MDKind uint8

// The kinds of markdown lines.
const (
	MDNone  MDKind = iota // not a row of a markdown table
	MDRule                // the rule under the header: "|---|:---:|"
	MDCells               // a header or a row
)

// maxMDLine bounds the line taken as a markdown row.
const maxMDLine = 64 << 10

// MarkdownRow reads raw as a row of a markdown table. For a header or a
// row it returns the cells joined by tabs, each trimmed and without the
// bold markers (**explorer**) or backticks (`explorer.exe`) around it,
// appended to dst[:0].
func MarkdownRow(raw, dst []byte) ([]byte, MDKind) {
	line := scan.TrimSpace(raw)
	if len(line) < 3 || len(line) > maxMDLine || line[0] != '|' || line[len(line)-1] != '|' {
		return dst, MDNone
	}
	inner := line[1 : len(line)-1]
	if bytes.Count(inner, []byte("|")) < 1 {
		return dst, MDNone // one cell is no table
	}
	if len(bytes.Trim(inner, "|-: \t")) == 0 && bytes.IndexByte(inner, '-') >= 0 {
		return dst, MDRule
	}
	out := dst[:0]
	for i, c := range bytes.Split(inner, []byte("|")) {
		c = scan.TrimSpace(c)
		if len(c) >= 4 && bytes.HasPrefix(c, []byte("**")) && bytes.HasSuffix(c, []byte("**")) {
			c = scan.TrimSpace(c[2 : len(c)-2])
		}
		if len(c) >= 2 && c[0] == '`' && c[len(c)-1] == '`' {
			c = scan.TrimSpace(bytes.Trim(c, "`"))
		}
		if i > 0 {
			out = append(out, '\t')
		}
		out = append(out, c...)
	}
	return out, MDCells
}
