package handleexe

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// handleExeEvidence counts the lines that tell Handle's output from other
// text, as the reader reads them.
type handleExeEvidence struct {
	version   int // "Handle v3.5", "Nthandle v4.22 - Handle viewer"
	viewer    int // a version line ending in "- Handle viewer"
	copyright int // "Copyright (C) 1997-2019 Mark Russinovich"
	search    int // "chrome.exe pid: 17000 type: File 7D8: C:\x"
	summary   int // "Handle type summary:"
	closed    int // "Handle closed.", or the confirmation `handle -c` asks for

	summaryRows int
	csvHeader   int
	csvRows     int
	header      int // "System pid: 4 ..."
	headerOwner int // a header that names an owner "DOMAIN\user"
	separator   int
	// typical counts listing lines with a known type and an object name
	// as Handle prints them; typicalInSection those under a header.
	typical          int
	typicalInSection int
}

// decisive reports whether the evidence so far makes text Handle's
// output. Each rule needs a line no other tool prints, or two lines that
// fit together: a version line alone may be a changelog's heading, a
// "pid:" line a log's, a dashed line a table's.
func (e *handleExeEvidence) decisive() bool {
	switch {
	case e.viewer > 0, e.version > 0 && e.copyright > 0:
		return true
	case e.search > 0:
		return true
	case e.summary > 0 && e.summaryRows > 0:
		return true
	case e.csvHeader > 0 && e.csvRows > 0, e.csvRows >= 2:
		return true
	case e.header > 0 && (e.typicalInSection > 0 || (e.separator > 0 && e.headerOwner > 0)):
		return true
	case e.typical >= 2, e.typical > 0 && e.closed > 0:
		return true
	}
	return false
}

// Sniff reports whether text, the first bytes of a capture
// decoded to UTF-8 (up to 64 KiB is enough), is the output of Sysinternals
// Handle: its banner, a listing under "image pid: N" headers, search
// results, a type summary or CSV rows, alone or pasted among other text.
// When text fills the 64 KiB, its last line may be cut and is not read.
func Sniff(text []byte) bool {
	h := newHandleExeReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		h.lineNo++
		h.readLine(line)
		return h.ev.decisive()
	})
}
