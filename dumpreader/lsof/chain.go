package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// A command line may run several commands, one after the other, and the
// lines after it hold each one's output in turn:
//
//	# lsof | grep contoso | wc -l; kill -HUP 4242; sleep 2; lsof | grep contoso | wc -l
//	361
//	368
//	$ date && sudo lsof -i -a -p 4242 | wc -l && sudo lsof -i -a -p 4242 | tail -n 1
//	Thu Apr  5 16:03:39 AEST 2018
//	727
//	contoso 4242 app  729u  IPv4  73013  0t0  TCP localhost:40698->localhost:6379 (ESTABLISHED)
//
// Such a line is an lsof command line when one of its commands runs lsof:
// the last of those says how the rows after it were selected, each one
// piped into a count prints a count (wccount.go), and a date alone prints
// one line, the time the author took the counts at. Other commands (kill,
// sleep) print nothing the capture shows.

// maxChain bounds the commands of one line that are looked at: a line a
// capture controls must not make the reader keep an endless list.
const maxChain = 16

// lsofChain is what the commands of a chained line print, in order.
type lsofChain struct {
	// last is the last command of the line that runs lsof.
	last []byte
	// counts holds, for each lsof command piped into a count, the filter
	// between lsof and the count ("" for none; pipesToWc).
	counts []string
	// noPID: some counted lsof command selects no process by its pid.
	noPID bool
	// dates counts the date commands, each of which prints one line.
	dates int
}

// chainOf returns what the commands chained on cmd (by ";", "&&" or
// "||") print; ok is false for a line of one command, or of none that
// runs lsof.
func chainOf(cmd []byte) (c lsofChain, ok bool) {
	var segs [maxChain][]byte
	n := 0
	depth, quote := 0, byte(0)
	start := 0
	for i := 0; i < len(cmd) && n < maxChain-1; i++ {
		b := cmd[i]
		switch {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '\'' || b == '"' || b == '`':
			quote = b
		case b == '(':
			depth++
		case b == ')':
			depth = max(0, depth-1)
		case depth > 0:
		case b == ';', (b == '&' || b == '|') && i+1 < len(cmd) && cmd[i+1] == b:
			segs[n], n = cmd[start:i], n+1
			if b != ';' {
				i++
			}
			start = i + 1
		}
	}
	if n == 0 {
		return c, false
	}
	segs[n], n = cmd[start:], n+1
	for _, s := range segs[:n] {
		words := skipCommandPrefix(bytes.Fields(s))
		if len(words) == 0 {
			continue
		}
		name := words[0]
		if i := bytes.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		switch {
		case string(name) == "lsof", bytes.HasPrefix(name, []byte("lsof|")):
			c.last = scan.TrimSpace(s)
			if wc, through := pipesToWc(s); wc {
				c.counts = append(c.counts, through)
				c.noPID = c.noPID || !numericPID(words[1:])
			}
		case string(name) == "date" && len(words) == 1:
			c.dates++
		}
	}
	return c, c.last != nil
}

// isDateLine reports whether line is what date prints by default, a
// time of day among a few words ("Thu Aug 25 08:53:01 EDT 2016",
// "Thursday 5 April  16:03:39 AEST 2018"), and nothing of lsof's.
func isDateLine(line []byte) bool {
	f := bytes.Fields(line)
	if len(f) < 4 || len(f) > 8 {
		return false
	}
	clock := false
	for _, w := range f {
		if len(w) == 8 && w[2] == ':' && w[5] == ':' && scan.AllDigits(w[:2]) && scan.AllDigits(w[3:5]) && scan.AllDigits(w[6:]) {
			clock = true
		}
	}
	return clock
}

// chainedLine reads a line of a chained command's output other than the
// rows: the time a date printed. It keeps what is still to come.
func (r *lsofReader) chainedLine(line []byte, wcCount bool, pending []string, dates int) (scan.LineKind, bool) {
	if dates == 0 || !isDateLine(line) {
		return 0, false
	}
	r.wcCount, r.chainCounts, r.chainDates = wcCount, pending, dates-1
	return scan.Ignored, true
}
