package fdcount

import (
	"bytes"
	"fmt"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// People summarize lsof's rows before they paste them: they cut one
// column out of each row (awk, cut) and count the rows per value of it
// with uniq -c, or with an awk program that counts and prints at its END:
//
//	$ lsof | awk '{print $2}' | sort | uniq -c | sort -rn | head
//	  22116 4242
//	   3146 4343
//	$ sudo lsof | cut -d ' ' -f1 | sort | uniq -c | sort -n | tail
//	    339 contoso
//	  73615 fabrikam
//
// Each line counts rows, and rows are no descriptors: a listing of every
// process repeats each descriptor on the row of every thread of the
// process (22,116 rows may be a few hundred descriptors of a process of
// fifty threads) and has rows that are none (cwd, txt, a mem row per
// mapped file). So the lines are the command's output, accounted for and
// taken as no count of anything; one diagnostic says what the largest of
// them counts.

// CodeSummary: lines of a summary of lsof's rows (uniq -c of a column),
// not read as descriptors.
const CodeSummary = "lsof-summary"

// Summarizes reports whether the command line cmd pipes lsof's rows
// through a stage that cuts a column out of them (awk, cut) and then
// counts them (uniq -c), or through an awk program that counts them
// itself and prints the counts at its END.
func Summarizes(cmd []byte) bool {
	cut := false
	for _, stage := range bytes.Split(cmd, []byte{'|'})[1:] {
		f := bytes.Fields(stage)
		if len(f) == 0 {
			continue
		}
		switch string(f[0]) {
		case "awk", "gawk", "mawk":
			if bytes.Contains(stage, []byte("END")) {
				return true
			}
			cut = true
		case "cut":
			cut = true
		case "uniq":
			for _, a := range f[1:] {
				if string(a) == "--count" || len(a) > 1 && a[0] == '-' && a[1] != '-' && bytes.IndexByte(a, 'c') > 0 {
					return cut
				}
			}
		}
	}
	return false
}

// Summary is what the summaries of lsof's rows a capture holds say.
type Summary struct {
	// Active says the lines after the latest command are its summary.
	Active bool
	// lines counts the summary lines read, first is the first one's line
	// number; max is the largest count, maxKey what it counts, maxLine
	// where.
	lines, first, max, maxLine int64
	maxKey                     string
}

// Line reads line, numbered lineNo, as a line of a summary of lsof's
// rows: a count, then what it counts (nothing, where the column cut out
// was empty), or sudo's "Password:" before the output. ok is false, and
// the summary is over, for any other line.
func (s *Summary) Line(line []byte, lineNo int64) (ok bool) {
	if !s.Active {
		return false
	}
	if string(line) == "Password:" {
		return true // sudo's prompt on macOS, before the output
	}
	f := bytes.Fields(line)
	if len(f) == 0 || len(f[0]) > 12 || !scan.AllDigits(f[0]) {
		s.Active = false
		return false
	}
	n, valid := scan.ParseDec(f[0])
	if !valid {
		s.Active = false
		return false
	}
	if s.lines == 0 {
		s.first = lineNo
	}
	s.lines++
	if n > s.max {
		key := scan.TrimSpace(line[bytes.Index(line, f[0])+len(f[0]):])
		s.max, s.maxLine, s.maxKey = n, lineNo, string(key[:min(len(key), 80)])
	}
	return true
}

// Finish returns the line and the message of the diagnostic that says
// what the summaries held; ok is false when there were none.
func (s *Summary) Finish() (line int64, msg string, ok bool) {
	if s.lines == 0 {
		return 0, "", false
	}
	return s.first, fmt.Sprintf(
		"%d lines summarize lsof's rows (counts per value of a column, uniq -c or awk): rows of threads and rows that are no descriptors (cwd, txt, mem) among them, so no count is taken as a descriptor count; the largest, %d %q at line %d, is where to look with lsof -p PID or ls /proc/PID/fd | wc -l",
		s.lines, s.max, s.maxKey, s.maxLine), true
}
