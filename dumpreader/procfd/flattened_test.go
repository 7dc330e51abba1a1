package procfd_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestReadFlattened checks an ls -l listing whose lines a page joined
// with blanks: it is cut back into its command, ls's total and its rows,
// and read as the listing it was, HTML entities and all.
func TestReadFlattened(t *testing.T) {
	const flat = "$ ls -l /proc/4242/fd total 0 " +
		"lrwx------ 1 ann ann 64 Mar 11 10:05 0 -> /dev/pts/3 " +
		"l-wx------. 1 ann ann 64 Mar 11 10:05 1 -> /srv/contoso.log " +
		"lrwx------ 1 ann ann 64 Mar 11 10:05 2 -> socket:[7001]\n"
	whole := []proc{{PID: 4242, Count: 3, Parsed: 3, ByType: map[string]int64{"device": 1, "file": 1, "socket": 1}}}
	runCases(t, []readCase{
		{name: "a command, its total and rows on one line", text: flat, want: whole,
			codes: []string{facts.CodeRepaired}},
		{name: "with the arrows as HTML entities", text: strings.ReplaceAll(flat, "->", "-&gt;"), want: whole,
			codes: []string{facts.CodeRepaired}},
		{name: "rows alone, under their command", text: "$ ls -l /proc/4242/fd\n" + strings.TrimPrefix(flat, "$ ls -l /proc/4242/fd total 0 "),
			want: whole, codes: []string{facts.CodeRepaired}},
		{name: "prose with one arrow is not cut", text: "the mode lrwx------ means a link: 0 -> /dev/null, then lrwx------ again\n",
			unrecognized: 1},
	})
}
