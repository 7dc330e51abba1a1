package handleexe

import "fmt"

// summaryGrowth says how the last of several type summaries of one scope
// (a process, or the machine) differs from the first, for the diagnostic
// that says how they are read: a capture of `handle -s -p` before and
// after a test shows its leak in that difference (one type grown from 65
// to 5,418 while the others stay put). "" when no type grew.
func summaryGrowth(first, last *handleExeSummary, oneProcess bool) string {
	var top string
	var grew int64
	for _, t := range last.order {
		if d := last.counts[t] - first.counts[t]; d > grew {
			top, grew = t, d
		}
	}
	if grew <= 0 {
		return ""
	}
	tail := "if they count one process (`handle -s -p`), that is its growth"
	if oneProcess {
		tail = "the process's growth"
	}
	return fmt.Sprintf("; from the first (line %d) to it, %s grew most, from %d to %d (+%d), and all handles from %d to %d: %s",
		first.line, top, first.counts[top], last.counts[top], grew, first.sum, last.sum, tail)
}
