package proctable

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// foreignCommands are commands whose output notes and tickets paste
// beside process lists, typed without a prompt: what follows them up to
// the next command is theirs, not a process list's.
var foreignCommands = []string{
	"tasklist", "netstat", "ipconfig", "systeminfo", "whoami", "hostname", "sc", "net",
	"reg", "schtasks", "get-service", "get-netTCPConnection", "get-childitem", "dir",
}

// foreignStart reports whether line starts the output of another
// command: the command typed alone (tasklist /v, or any PowerShell
// cmdlet the tool does not run: Invoke-CimMethod, Stop-Process), or the
// header of tasklist's table ("Image Name   PID Session Name ..."),
// which lists processes without a handle count.
func foreignStart(line []byte) bool {
	if len(line) > 200 {
		return false
	}
	if scan.HasPrefix(line, "Image Name") && bytes.Contains(line, []byte("PID")) {
		return true
	}
	word := line
	if i := bytes.IndexAny(word, " \t"); i >= 0 {
		word = word[:i]
	}
	if len(word) > 4 && bytes.EqualFold(word[len(word)-4:], []byte(".exe")) {
		word = word[:len(word)-4]
	}
	for _, c := range foreignCommands {
		if len(word) == len(c) && bytes.EqualFold(word, []byte(c)) {
			return true
		}
	}
	return isCmdlet(word)
}
