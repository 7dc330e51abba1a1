package volatility

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
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

// Heading-less handle rows: a paste keeps the command line that ran the
// handles plugin and the rows it wanted, without the heading and its
// dashes (the output redirected to a file, then one row of it quoted,
// or grep's rows):
//
//	C:\ctf>volatility -f image.bin --profile=Win7SP1x86 handles -p 2760 > handles
//	Volatility Foundation Volatility Framework 2.6
//
//	0x85d665b8   2760      0x174   0x12019f File             \Device\...\report.docx
//
// Such a row, after a command line that runs handles and before any
// heading, is read under the heading the plugin prints: Volatility 2's,
// or Volatility 3's where its cells are tab-separated. Before, the rows
// went unread and the capture was refused. Only after that command line:
// a row alone proves nothing.
var (
	v2Handles = findLayout("offset(v) pid handle access type details")
	v3Handles = findLayout("pid process offset handlevalue type grantedaccess name")
)

// headlessHandles reads such a row, false when line is none.
func (v *reader) headlessHandles(line []byte) bool {
	if v.table != nil || v.cmd != pluginHandles {
		return false
	}
	l, rend := v2Handles, rText
	if containsTab(line) {
		l = v3Handles
	} else if !isHex(firstWord(line)) {
		return false
	}
	v.startTable(l)
	v.rend, v.dashes = rend, false
	if !v.row(line) {
		v.table = nil
		return false
	}
	v.log.Diag(v.lineNo, facts.SevInfo, facts.CodeRepaired,
		"the rows after the command line that runs handles are read without a heading, as the columns the plugin prints: %s", l.heading)
	return true
}

// firstWord is line's first blank-separated word.
func firstWord(line []byte) []byte {
	line = scan.TrimSpace(line)
	if i := bytes.IndexAny(line, " \t"); i >= 0 {
		return line[:i]
	}
	return line
}
