package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// SessionStart returns the offset in text of the first line that is a
// debugger prompt with a command after it ("0:000> !handle", "kd> !process
// 0 0", quoted or not), or -1 if none is. Detection asks it of a head that
// another tool's format claims too: a capture that starts as a debugger
// session is the debugger's log, whatever was pasted into it after. A
// prompt whose command is .shell (another program run from the debugger,
// its output after it) is no such start.
func SessionStart(text []byte) int {
	off := 0
	for len(text) > 0 {
		line, rest, _ := bytes.Cut(text, []byte{'\n'})
		if len(line) <= scan.MaxLineLen {
			l := scan.TrimSpace(scan.Unquote(scan.TrimSpace(line)))
			// .shell runs another program, whose output follows: such a
			// prompt starts that program's output, not the debugger's.
			if cmd, _, ok := stripPrompt(l); ok && len(cmd) > 0 && !scan.HasPrefixFold(cmd, ".shell") {
				return off
			}
		}
		off += len(line) + 1
		text = rest
	}
	return -1
}
