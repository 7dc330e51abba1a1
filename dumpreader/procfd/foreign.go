package procfd

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/filetable"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// foreignLimit bounds the program names remembered for their diagnostic:
// a capture of endless prompts must not grow the reader with its lines.
const foreignLimit = 64

// foreignCommand reads a shell command line, after a prompt, that runs a
// program this reader does not read (`ulimit -n`, `uptime`, `cat
// app.log`): the line, and the output after it up to the next line the
// reader knows, are counted as ignored, and a diagnostic names the
// program once. Without it a paste's other commands and their output
// were each an unrecognized line.
func (z *reader) foreignCommand(line []byte) (scan.LineKind, bool) {
	cmd, ok := promptedCommand(line)
	if !ok {
		return 0, false
	}
	words := scan.Fields(cmd, nil)
	for len(words) > 0 && (string(words[0]) == "sudo" || string(words[0]) == "time" || bytes.IndexByte(words[0], '=') > 0) {
		words = words[1:] // sudo, time and VAR=value run the command after them
	}
	if len(words) == 0 {
		return 0, false
	}
	name := words[0]
	if i := bytes.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if !isProgramName(name) || ownCommand(string(name)) {
		return 0, false
	}
	z.foreign = string(name)
	if !z.foreignSeen[z.foreign] && len(z.foreignSeen) < foreignLimit {
		if z.foreignSeen == nil {
			z.foreignSeen = map[string]bool{}
		}
		z.foreignSeen[z.foreign] = true
		z.log.Diag(z.lineNo, facts.SevInfo, facts.CodeIgnoredCommand, filetable.IgnoredNote(z.foreign), z.foreign)
	}
	return scan.Ignored, true
}

// ownCommand reports whether name is a program whose output this reader
// reads where it lists descriptors: an ls, lsof or find it did not take
// for such a listing stays unrecognized, since rows after it may still be
// read.
func ownCommand(name string) bool {
	switch name {
	case "ls", "ll", "cd", "lsof", "find":
		return true
	}
	return false
}

// promptedCommand returns the command after a shell prompt that names
// its user and host ("user@host:~$ ", "[root@db ~]# ") or is a bare "$ ":
// a sign alone with a word before it is prose as often as a prompt.
func promptedCommand(line []byte) ([]byte, bool) {
	head := line[:min(len(line), 120)]
	end := -1
	for i := 0; i+1 < len(head); i++ {
		if (head[i] == '$' || head[i] == '#') && head[i+1] == ' ' {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, false
	}
	prefix := scan.TrimSpace(line[:end])
	if !(len(prefix) == 0 && line[end] == '$') && !isUserHostPrompt(prefix) {
		return nil, false
	}
	cmd := scan.TrimSpace(line[end+2:])
	return cmd, len(cmd) > 0
}

// isUserHostPrompt recognizes what precedes a prompt's sign: user@host,
// with ":dir" after it, or "[user@host dir]".
func isUserHostPrompt(p []byte) bool {
	if len(p) > 2 && p[0] == '[' && p[len(p)-1] == ']' {
		userHost, dir, _ := bytes.Cut(p[1:len(p)-1], []byte(" "))
		return isUserHost(userHost) && bytes.IndexByte(dir, ' ') < 0
	}
	userHost, dir, _ := bytes.Cut(p, []byte(":"))
	return isUserHost(userHost) && bytes.IndexByte(dir, ' ') < 0
}

// isUserHost recognizes "user@host": two names joined by one @.
func isUserHost(b []byte) bool {
	user, host, ok := bytes.Cut(b, []byte("@"))
	return ok && isProgramName(user) && isProgramName(host)
}

// isProgramName recognizes a word that can name a program, a user or a
// host: letters, digits, and . _ - after the first.
func isProgramName(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for i, c := range b {
		letter := c|0x20 >= 'a' && c|0x20 <= 'z'
		if !letter && !scan.IsDigit(c) && (i == 0 || (c != '.' && c != '_' && c != '-')) {
			return false
		}
	}
	return true
}
