package osquery

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
)

// A capture often keeps the shell command that ran the query rather than
// osqueryi's own prompt: `osqueryi --line "select * from processes"`,
// after "$ ", "# ", "user@host:~$ ", "PS C:\> " or "C:\>", with sudo
// or a path before the program. It starts the output after it, as the
// osquery> prompt does.

// maxCommandLine bounds the length of a line read as a command: a
// shell command with its query, not a paragraph.
const maxCommandLine = 4096

// isOsqueryCommand reports whether line is a shell command that runs
// osqueryi, after a prompt or none.
func isOsqueryCommand(line []byte) bool {
	if len(line) > maxCommandLine || !bytes.Contains(line, []byte("osqueryi")) {
		return false
	}
	if p, ok := proctable.ParsePrompt(line); ok {
		line = p.Command
	}
	words := bytes.Fields(line)
	for len(words) > 0 && isPromptWord(words[0]) {
		words = words[1:]
	}
	for len(words) > 0 && (string(words[0]) == "sudo" || string(words[0]) == "env" ||
		bytes.IndexByte(words[0], '=') > 0 && words[0][0] != '-') {
		words = words[1:]
	}
	if len(words) == 0 {
		return false
	}
	prog := words[0]
	if i := bytes.LastIndexAny(prog, `/\`); i >= 0 {
		prog = prog[i+1:]
	}
	prog = bytes.Trim(prog, `"'&`)
	return bytes.EqualFold(prog, []byte("osqueryi")) || bytes.EqualFold(prog, []byte("osqueryi.exe"))
}

// isPromptWord reports whether w is (the end of) a Unix shell prompt:
// "$", "#", "%", "user@host:~$", "[root@host", "~]#". Windows prompts
// are proctable.ParsePrompt's.
func isPromptWord(w []byte) bool {
	switch last := w[len(w)-1]; {
	case last == '$' || last == '#' || last == '%':
		return true
	case w[0] == '[' && bytes.IndexByte(w, '@') > 0:
		return true
	}
	return false
}
