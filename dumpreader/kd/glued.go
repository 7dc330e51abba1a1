package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/facts"
)

// A page that dropped the runs of blanks between the fields of a PROCESS
// block's header lines (a forum that collapsed them to nothing) glues
// each label to the value before it:
//
//	PROCESS ffffc10a2b3c4080
//	    SessionId: 1Cid: 0a1c    Peb: 7ffd3000ParentCid: 02f4
//	    DirBase: 3b21c000ObjectTable: ffffa0012345c7c0HandleCount: 257.
//
// Read by its words, the line had no Cid, ParentCid or HandleCount, and
// the process lost its pid and count without a word but "no HandleCount
// on the DirBase line". The debugger prints a blank before each of these
// labels, so one glued to the text before it is cut off from it again.

// gluedLabels are the labels of the header lines that follow a value.
// "Cid:" is also the end of "ParentCid:", and is not cut there.
var gluedLabels = []string{"Cid:", "Peb:", "ParentCid:", "ObjectTable:", "HandleCount:", "TableSize:"}

// unglue returns line with a blank put back before each label of
// gluedLabels glued to the text before it, built in buf; line itself
// when none was.
func unglue(line, buf []byte) []byte {
	if !hasGluedLabel(line) {
		return line
	}
	buf = buf[:0]
	for i := 0; i < len(line); i++ {
		if i > 0 && line[i-1] != ' ' && gluedAt(line, i) {
			buf = append(buf, ' ')
		}
		buf = append(buf, line[i])
	}
	return buf
}

// hasGluedLabel reports whether a label of gluedLabels in line follows
// something other than a blank.
func hasGluedLabel(line []byte) bool {
	for _, label := range gluedLabels {
		for from := 0; ; {
			i := bytes.Index(line[from:], []byte(label))
			if i < 0 {
				break
			}
			i += from
			if i > 0 && line[i-1] != ' ' && gluedAt(line, i) {
				return true
			}
			from = i + 1
		}
	}
	return false
}

// gluedAt reports whether a label of gluedLabels starts at line[i], not
// as the "Cid:" that ends "ParentCid:".
func gluedAt(line []byte, i int) bool {
	rest := line[i:]
	for _, label := range gluedLabels {
		if bytes.HasPrefix(rest, []byte(label)) {
			return label != "Cid:" || !bytes.HasSuffix(line[:i], []byte("Parent"))
		}
	}
	return false
}

// ungluedHeader returns the header line to read: line, or line with its
// glued labels cut off (see the file comment), reported once.
func (k *kdReader) ungluedHeader(line []byte) []byte {
	out := unglue(line, k.glueBuf)
	if len(out) == len(line) {
		return line
	}
	k.glueBuf = out
	if !k.glueNoted {
		k.glueNoted = true
		k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired,
			"PROCESS header fields glued to the values before them (a page that dropped the blanks between them, %q): cut apart at their labels and read", line)
	}
	return out
}
