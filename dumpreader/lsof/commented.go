package lsof

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A write-up sometimes pastes lsof's output inside a shell code block as
// comments, so that the block can be run as it stands:
//
//	lsof -p 4339
//	# COMMAND    PID USER   FD   TYPE DEVICE SIZE/OFF  NODE NAME
//	# server    4339 rbct  cwd    DIR    8,1     4096  6052 /home/rbct
//
// Every line of the listing then starts with "# ". A header so commented
// starts such a listing, and the prefix is taken off its lines until one
// comes without it; every line loses the same two columns, so the rows
// still line up under the header. A root prompt ("# lsof -p 1") is no
// header, and is read as before.

// uncomment returns line without the "#" (and one blank after it) that
// comments it out, and whether it had them.
func uncomment(line []byte) ([]byte, bool) {
	if len(line) < 2 || line[0] != '#' {
		return line, false
	}
	rest := line[1:]
	if rest[0] == ' ' || rest[0] == '\t' {
		rest = rest[1:]
	}
	return rest, true
}

// commentedLine reads line as part of a listing pasted as comments: the
// header that starts one, or a line of it. It returns the line to read
// on (the prefix taken off) and, when the line was the header, its kind.
func (r *lsofReader) commentedLine(line []byte) (rest []byte, kind scan.LineKind, done bool) {
	rest, ok := uncomment(line)
	switch {
	case !ok:
		r.commented = false
		return line, 0, false
	case r.commented:
		return rest, 0, false
	case scan.HasPrefix(rest, "COMMAND") && r.headerLine(rest):
		r.commented = true
		r.log.Diag(r.lineNo, facts.SevInfo, facts.CodeRepaired,
			"the listing is pasted as shell comments (\"# \" before each line): read without them")
		return rest, scan.Parsed, true
	}
	return line, 0, false
}
