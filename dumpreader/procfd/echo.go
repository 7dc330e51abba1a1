package procfd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Tutorials show the shell's own descriptors: `echo $$` prints the
// shell's pid, then `ls -l /proc/$$/fd` (or `cd /proc/$$`) lists them.
// The pid echo printed names the process the later $$ stands for; without
// it $$ is the process of unknown pid. A later `echo $$` printing another
// pid (another shell) names the $$ after it.

// echoShellCommand reads `echo $$` (after its prompt): the line after it
// prints the shell's pid (shellPIDLine).
func (z *reader) echoShellCommand(toks [][]byte) bool {
	n := len(toks)
	if n < 2 || n > 5 || string(toks[n-2]) != "echo" || string(bytes.Trim(toks[n-1], "\"")) != "$$" {
		return false
	}
	z.wantShell = true
	return true
}

// shellPIDLine reads the line after `echo $$`: a pid alone.
func (z *reader) shellPIDLine(line []byte) bool {
	if !scan.AllDigits(line) {
		return false
	}
	pid, ok := scan.ParseDec(line)
	if !ok || pid <= 0 || pid >= 1<<32 {
		return false
	}
	z.shellPID = pid
	return true
}

// resolveShell gives w, where it stands for $$, the pid an `echo $$`
// before printed, and where it stands for a variable, the pid an
// assignment before gave it (vars.go).
func (z *reader) resolveShell(w who) who {
	if w.shell && z.shellPID > 0 {
		return who{pid: z.shellPID}
	}
	if pid := z.vars[w.variable]; w.variable != "" && pid > 0 {
		return who{pid: pid}
	}
	return w
}
