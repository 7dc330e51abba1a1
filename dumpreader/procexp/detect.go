package procexp

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// evidence counts the lines that tell Process Explorer's saved text from
// other text, as the reader reads them.
type evidence struct {
	processHeader int // a tab-separated heading whose first column is "Process", with a PID column
	processRows   int
	heading       int // "Process: NAME Pid: N"
	handleHeader  int // a tab-separated "Type  Name" heading
	handleRows    int
}

// decisive reports whether the evidence so far makes text Process
// Explorer's: its process list heading with a row under it, or the
// handle pane's heading with its table. Task Manager's and System
// Informer's tables name their first column "Name", Get-Process's
// "ProcessName".
func (e *evidence) decisive() bool {
	return (e.processHeader > 0 && e.processRows > 0) ||
		(e.heading > 0 && e.handleHeader > 0 && e.handleRows > 0)
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// Process Explorer's saved text.
func Sniff(text []byte) bool {
	p := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		p.lineNo++
		p.readLine(line)
		return p.ev.decisive()
	})
}
