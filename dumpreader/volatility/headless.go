package volatility

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// v2Tree is the layout of Volatility 2's pstree.
var v2Tree = findLayout("name pid ppid thds hnds time")

// headlessTree reads a row of Volatility 2's pstree whose heading the
// paste left out ("PSTree" typed over it, the heading cut with the
// command), after another table of the capture: its first cell, the
// dots of its level and "0x81e87020:csrss.exe", is no other table's, so
// the row starts a pstree table of its own and the rows after it follow
// under it. Without it the rows went unread, and those of the third
// level and deeper ("... 0x...") were taken for elisions. Only in a
// capture already read as the framework's: a row alone proves nothing.
func (v *reader) headlessTree(line []byte) bool {
	if v.table == v2Tree || !v.ev.decisive() || !treeCellStart(line) {
		return false
	}
	v.m.words(line)
	if !v.m.match(v2Tree.cols, 0, 0) {
		return false
	}
	v.startTable(v2Tree)
	v.rend, v.dashes = rText, false
	return v.row(line)
}

// treeCellStart recognizes the start of pstree's first cell: its level
// in dots, if any, then the process's address and image.
func treeCellStart(line []byte) bool {
	line = scan.TrimSpace(bytes.TrimLeft(line, "."))
	end := bytes.IndexAny(line, " \t")
	if end < 0 {
		end = len(line)
	}
	return isAddrName(line[:end])
}
