package lsof

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// People count lsof's rows with uniq, whose -c puts before each line the
// number of times it came in a row (right-aligned in seven columns):
//
//	# lsof -p 4321 | sort | uniq -c
//	      1 contoso 4321 root   41u  DIR  0,286   6  96471305 /run
//	      2 contoso 4321 root   42u  REG  0,286  12  43046086 /etc/hosts
//
// Such a line is the row after its count. The row is a descriptor read
// once, however many times it came: a count over 1 is the same row
// printed again (a thread's, a repeated listing), which the count folded.
// A line is read so only where it is no row as it stands and the rest is
// one.

// CodeUniqCount marks rows read after the count uniq -c put before them.
const CodeUniqCount = "uniq-count"

// uniqRowLine reads line as a row of lsof's after uniq -c's count.
func (r *lsofReader) uniqRowLine(line []byte) (scan.LineKind, bool) {
	i := 0
	for i < len(line) && i < 20 && scan.IsDigit(line[i]) {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ' ' {
		return 0, false
	}
	n, ok := scan.ParseDec(line[:i])
	if !ok || n <= 0 {
		return 0, false
	}
	kind, ok := r.rowLine(scan.TrimSpace(line[i:]))
	if !ok {
		return 0, false
	}
	if r.uniqRows == 0 {
		r.uniqLine = r.lineNo
	}
	r.uniqRows++
	if n > 1 {
		r.uniqFolded += n - 1
	}
	return kind, true
}

// uniqFinish says rows were read after uniq -c's counts.
func (r *lsofReader) uniqFinish() {
	if r.uniqRows == 0 {
		return
	}
	r.log.Diag(r.uniqLine, facts.SevInfo, CodeUniqCount,
		"%d rows are read after the count uniq -c put before them (each a descriptor read once; %d repetitions the counts folded were not counted again)",
		r.uniqRows, r.uniqFolded)
}
