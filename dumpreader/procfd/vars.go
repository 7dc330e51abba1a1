package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Guides and incident notes set a shell variable to the pid first and
// name the process by it after: `pid=12345`, then `ls /proc/$pid/fd |
// wc -l` and `cat /proc/$pid/limits`. The pid an assignment gave names
// the process the variable stands for in the commands after it; a
// variable never given a pid (pid=$(pgrep java)) leaves it unknown, as
// before.

// varLimit bounds the variables remembered.
const varLimit = 64

// assignCommand reads an assignment of a pid to a shell variable after
// its prompt (toks are the line's words): NAME=PID, export NAME=PID.
// Another value forgets what the variable held.
func (z *reader) assignCommand(toks [][]byte) bool {
	for i, t := range toks {
		if i >= 4 {
			return false
		}
		name, value, ok := bytes.Cut(t, []byte("="))
		if !ok || !isVarName(name) || (i > 0 && !endsPrompt(toks[i-1]) && string(toks[i-1]) != "export") {
			continue
		}
		key := "$" + string(name)
		value = bytes.Trim(value, `"'`)
		pid, ok := scan.ParseDec(value)
		if i+1 < len(toks) || !scan.AllDigits(value) || !ok || pid <= 0 || pid >= 1<<32 {
			delete(z.vars, key) // pid=$(pgrep -f app): a pid the capture does not show
			return true
		}
		if z.vars == nil {
			z.vars = map[string]int64{}
		}
		if _, seen := z.vars[key]; seen || len(z.vars) < varLimit {
			z.vars[key] = pid
		}
		return true
	}
	return false
}

// isVarName reports whether b is a shell variable's name.
func isVarName(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for i, c := range b {
		if c != '_' && (c|0x20 < 'a' || c|0x20 > 'z') && (i == 0 || !scan.IsDigit(c)) {
			return false
		}
	}
	return true
}

// variableOf returns the variable b (what stands for a process in
// /proc/X) is, "$name", or "" when it is none.
func variableOf(b []byte) string {
	name, n := fdcount.Variable(b)
	if n == 0 || n != len(b) {
		return ""
	}
	return string(name)
}
