package procfd

import (
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A report of a leak often counts only the kind of descriptor it is
// about, from the process's directory or with its path:
//
//	$ pwd
//	/proc/22169/fd
//	$ ls -l | grep socket | wc -l
//	616
//
// The number counts the rows a filter (grep, head) kept of one listing:
// so many descriptors the process held at once, though not all it held.
// It gives no descriptor count; it is a lower bound of the process's
// peak, which from 10,000 on is taken as one (fdlink.Held), as a
// descriptor numbered so high is.

// CodeFilteredCount: a count of the descriptors a filter kept, not taken
// as the process's descriptor count.
const CodeFilteredCount = "filtered-count"

// heldLine reads the count a filtered `| wc -l` printed for l's listing.
func (z *reader) heldLine(l *listing, line []byte) scan.LineKind {
	n, ok := scan.ParseDec(line)
	if !ok || n < z.wcAdjust || n-z.wcAdjust >= fdLimit {
		return scan.Unrecognized
	}
	n -= z.wcAdjust // what head or grep -v kept of ls's "total" and dots
	l.held = max(l.held, n)
	z.ev.counts++
	who := "the process of unknown pid"
	if l.pid >= 0 {
		who = "pid " + strconv.FormatInt(l.pid, 10)
	}
	z.log.Diag(z.lineNo, facts.SevInfo, CodeFilteredCount,
		"%d descriptors of %s that a filter kept, counted (wc -l, grep -c): it held at least %d at once, but this is not its descriptor count (ls /proc/PID/fd | wc -l counts them all)",
		n, who, n)
	return scan.Parsed
}
