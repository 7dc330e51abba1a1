package sysinformer

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// evidence counts the lines that tell System Informer's copies from other
// text, as the reader reads them.
type evidence struct {
	distinctive int // Statistics rows no other tool prints so
	groups      int
	title       int // "NAME (PID) Properties"
	banner      int // "Process Hacker 2.39.124", "System Informer 3.0.7000"
	header      int // a tab-separated heading with a column only System Informer names so
	rows        int
	bareRows    int // Handles rows copied without their heading
}

// decisive reports whether the evidence so far makes text System
// Informer's copies: two Statistics rows no other tool prints (Peak
// handles, GDI handles, Hang count...), a heading of its own with a row
// under it, the program's banner with a row, or a properties window's
// title with Handles rows.
func (e *evidence) decisive() bool {
	return e.distinctive >= 2 || ((e.header > 0 || e.banner > 0) && e.rows > 0) || (e.title > 0 && e.bareRows > 0)
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// copied from System Informer or Process Hacker.
func Sniff(text []byte) bool {
	s := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		s.lineNo++
		s.readLine(line)
		return s.ev.decisive()
	})
}
