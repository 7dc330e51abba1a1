package lsof

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A report of "Too many open files" often counts lsof's lines before it
// lists them:
//
//	$ sudo lsof -c bindfs | wc -l
//	1033
//	$ sudo lsof -c bindfs | tail
//
// The number is the output of the command, not a line leakdiag failed to
// read; nor is it a count of descriptors: it counts lsof's header and the
// rows that are none (cwd, rtd, txt, a mem row per mapped file), of every
// process the command selects. It is accounted for and said so (as
// package procfd says of `lsof -p PID | wc -l`).

// CodeLsofCount: the line count `lsof ... | wc -l` printed, not taken as
// a descriptor count.
const CodeLsofCount = "lsof-count"

// pipesToWc reports whether the command line cmd ends in a `wc` that
// prints the count of lines: -l, or no option at all; or in a `grep -c`,
// which prints the count of the lines it kept ("| grep -c CLOSE_WAIT").
// through names the command between lsof and the count ("| grep", the
// grep -c itself), "" when lsof pipes into wc directly.
func pipesToWc(cmd []byte) (wc bool, through string) {
	parts := bytes.Split(cmd, []byte{'|'})
	if len(parts) < 2 {
		return false, ""
	}
	f := bytes.Fields(parts[len(parts)-1])
	if len(f) > 0 && (string(f[0]) == "grep" || string(f[0]) == "egrep" || string(f[0]) == "fgrep") && fdcount.GrepCounts(f[1:]) {
		return true, "| " + string(f[0])
	}
	if len(f) == 0 || string(f[0]) != "wc" {
		return false, ""
	}
	for _, a := range f[1:] {
		if len(a) > 1 && a[0] == '-' && string(a) != "--lines" && bytes.IndexByte(a[1:], 'l') < 0 {
			return false, "" // -c, -w: bytes or words, not lines
		}
	}
	if len(parts) > 2 {
		if g := bytes.Fields(parts[1]); len(g) > 0 {
			through = "| " + string(g[0])
		}
	}
	return true, through
}

// wcCountLine reads the count an lsof command piped into wc printed, the
// line after the command.
func (r *lsofReader) wcCountLine(line []byte) (scan.LineKind, bool) {
	f := bytes.Fields(line)
	if len(f) == 0 || len(f) > 3 || !scan.AllDigits(f[0]) {
		return 0, false
	}
	for _, n := range f[1:] {
		if !scan.AllDigits(n) {
			return 0, false
		}
	}
	if r.wcNoPID {
		r.ev.counts++
	}
	if filter := r.wcThrough; filter != "" {
		r.log.Diag(r.lineNo, facts.SevInfo, CodeLsofCount,
			"%s lines of lsof, through %s, counted (wc -l, grep -c): the rows the command selected, not a descriptor count of a process; ls /proc/PID/fd | wc -l counts a process's descriptors",
			f[0], filter)
		return scan.Ignored, true
	}
	r.log.Diag(r.lineNo, facts.SevInfo, CodeLsofCount,
		"%s lines of lsof counted by wc: they count its header and the rows that are no descriptors (cwd, rtd, txt, mem) of every process it lists, so this is not taken as a descriptor count; ls /proc/PID/fd | wc -l counts a process's descriptors",
		f[0])
	return scan.Ignored, true
}

// dirPromptCommands are the commands read after a prompt that shows only
// the working directory ("~ lsof -p 1978", the prompt of fish and of some
// zsh themes): with no "$" or "#" to tell a prompt, the command must be
// one a capture of descriptors runs.
var dirPromptCommands = []string{"lsof", "sudo", "ls", "find", "cat", "ps", "pgrep", "pidof", "ss", "netstat", "ulimit", "wc", "grep"}

// dirPrompt returns the command after a prompt of the working directory
// alone, "~" or "~/dir", at the start of line.
func dirPrompt(line []byte) ([]byte, bool) {
	if len(line) < 3 || line[0] != '~' || (line[1] != ' ' && line[1] != '/') {
		return nil, false
	}
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return nil, false
	}
	cmd := scan.TrimSpace(line[sp:])
	name := cmd
	if i := bytes.IndexAny(cmd, " |"); i >= 0 {
		name = cmd[:i]
	}
	for _, c := range dirPromptCommands {
		if string(name) == c {
			return cmd, true
		}
	}
	return nil, false
}

// numericPID reports whether lsof's arguments select a process by its pid
// (-p 1234, -p1234): package procfd reads such a command's count with the
// process it names, where the capture holds nothing else.
func numericPID(args [][]byte) bool {
	for i, a := range args {
		switch {
		case string(a) == "-p" && i+1 < len(args):
			if scan.AllDigits(bytes.Split(args[i+1], []byte{','})[0]) {
				return true
			}
		case len(a) > 2 && string(a[:2]) == "-p" && scan.AllDigits(bytes.Split(a[2:], []byte{','})[0]):
			return true
		}
	}
	return false
}
