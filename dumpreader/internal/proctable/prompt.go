package proctable

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// Prompt is a shell prompt line, with the command typed after it.
type Prompt struct {
	// Command is what follows the prompt, trimmed; empty for a bare
	// prompt.
	Command []byte
	// Remote names the remote session of a prompt of one
	// ("[HYPVCON]: PS C:\>", Enter-PSSession's), "" otherwise.
	Remote string
}

// promptGlyphs are the signs prompts end with that are no cmd or
// PowerShell prompt: a Unix shell's "$" (Git Bash, MSYS, Cygwin, or a
// note's), cmder's "λ" (under a line of its directory), the "❯" of
// starship and oh-my-posh themes, oh-my-zsh's "➜".
var promptGlyphs = []string{"$ ", "λ ", "❯ ", "➜ "}

// glyphPrompt returns the command after one of the promptGlyphs at the
// start of line. What follows is a command only if the tool knows it:
// prose with a dollar sign before a blank names none.
func glyphPrompt(line []byte) ([]byte, bool) {
	for _, g := range promptGlyphs {
		if cmd, ok := bytes.CutPrefix(line, []byte(g)); ok {
			cmd = scan.TrimSpace(cmd)
			return cmd, len(cmd) > 0
		}
	}
	return nil, false
}

// isWorkingDirectory recognizes a line that holds only a Windows
// directory, as cmder prints its working directory on a line of its own
// above its "λ" prompt: "C:\Users\me\Tools\SysInternals". No row of a
// table is a path alone; a program's path with arguments after it
// ("C:\Windows\system32\svchost.exe -k netsvcs 1420 svchost.exe 868", a
// row of a command line column whose blanks a page collapsed) is none.
func isWorkingDirectory(line []byte) bool {
	if len(line) < 3 || len(line) > 260 || !scan.IsAlnum(line[0]) || line[1] != ':' || line[2] != '\\' {
		return false
	}
	if first, rest, ok := bytes.Cut(line, []byte(" ")); ok && len(rest) > 0 && isProgram(first) {
		return false
	}
	return bytes.IndexAny(line, "<>|\"*?\t") < 0 && !bytes.Contains(line, []byte("  "))
}

// isProgram reports whether path names a program Windows runs by its
// extension.
func isProgram(path []byte) bool {
	for _, ext := range []string{".exe", ".com", ".bat", ".cmd"} {
		if len(path) > len(ext) && bytes.EqualFold(path[len(path)-len(ext):], []byte(ext)) {
			return true
		}
	}
	return false
}

// isBatchComment recognizes a comment of a batch file or of notes written
// as one: ":: show the processes", "REM list handles".
func isBatchComment(line []byte) bool {
	return scan.HasPrefix(line, "::") || scan.HasPrefixFold(line, "rem ") || len(line) == 3 && scan.HasPrefixFold(line, "rem")
}

// isBlockCommentStart recognizes the line that opens a PowerShell block
// comment, which notes wrap a pasted output in ("<#", "<#EX:", "<# Then
// run it again"); the "#>" that closes it is a comment's '#' already.
func isBlockCommentStart(line []byte) bool {
	return scan.HasPrefix(line, "<#")
}

// isMarkdownHeading recognizes a markdown heading of notes around a
// pasted table: "## Running processes" (one to six '#', then a blank).
// "# heading" is a comment's shape already (positional blanks its '#').
func isMarkdownHeading(line []byte) bool {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && n < len(line) && line[n] == ' '
}

// ParsePrompt recognizes the prompts pasted captures carry before their
// commands: PowerShell's "PS C:\path> ", with the "[host]: " of a remote
// session or Evil-WinRM's "*Evil-WinRM* " before it, and cmd's
// "C:\path>". line is cleaned (trimmed).
func ParsePrompt(line []byte) (Prompt, bool) {
	var p Prompt
	rest := line
	if scan.HasPrefix(rest, "*Evil-WinRM*") {
		rest = scan.TrimSpace(rest[len("*Evil-WinRM*"):])
	}
	if len(rest) > 0 && rest[0] == '[' {
		end := bytes.Index(rest, []byte("]:"))
		if end < 1 || end > 64 {
			return p, false
		}
		p.Remote = string(rest[1:end])
		rest = scan.TrimSpace(rest[end+2:])
	}
	switch {
	case scan.HasPrefix(rest, "PS ") || scan.HasPrefix(rest, "PS>"):
		rest = rest[2:]
	case len(rest) >= 3 && scan.IsAlnum(rest[0]) && rest[1] == ':' && rest[2] == '\\':
		// cmd: "C:\Users\me>"
	default:
		return p, false
	}
	gt := bytes.IndexByte(rest, '>')
	if gt < 0 || gt > 260 {
		return p, false
	}
	path := scan.TrimSpace(rest[:gt])
	if len(path) > 0 && !(len(path) >= 2 && path[1] == ':') && !bytes.Contains(path, []byte("::")) && !bytes.HasPrefix(path, []byte("\\\\")) && !barePath(path) {
		// PowerShell prompts show a drive path ("C:\"), a provider path
		// ("Microsoft.PowerShell.Core\FileSystem::\\srv"), a share, or
		// a path of one word (PowerShell on Linux, "PS /home/me>", or a
		// prompt its user shortened, "PS temp>").
		return p, false
	}
	p.Command = scan.TrimSpace(rest[gt+1:])
	return p, true
}

// barePath reports whether path, what a "PS ...>" prompt shows, is one
// word a path could be: "/home/me", "~/src", "temp". Words of prose have
// spaces between them ("PS are welcome > here").
func barePath(path []byte) bool {
	if len(path) > 128 || bytes.IndexAny(path, " \t") >= 0 {
		return false
	}
	c := path[0]
	return c == '/' || c == '~' || c == '.' || scan.IsAlnum(c)
}

// promptNotRow reports whether line is a cmd or PowerShell prompt with a
// command typed after it, which no table's row is: "C:\Users>pskill -t
// 10480" under PsList's table would otherwise read as a process named
// "C:\Users>pskill -t" with pid 10480. A row whose first cell is a path
// looks like a prompt only where a later cell holds a '>' (a command
// line's redirection); its cells are set apart by tabs, commas, quotes or
// runs of blanks, which the directory of a prompt has not.
func promptNotRow(line []byte) bool {
	p, ok := ParsePrompt(line)
	if !ok || len(p.Command) == 0 {
		return false
	}
	dir := line[:bytes.IndexByte(line, '>')]
	return bytes.IndexAny(dir, "\t,\"") < 0 && !bytes.Contains(dir, []byte("  "))
}

// codeComment is the length of the comment marker of source code that
// line starts with, 0 if none: a run of two or more slashes (a line
// comment, commented out again: "////"), or the three quotes that open
// or close a Python docstring when no other quote follows them on the
// line (a CSV row's first cell may start with doubled quotes, and then
// has more), or the opening of a Python bytes literal glued to a
// header's first name ("b'HandleCount  Name": a script printed the repr
// of a command's output), with no other quote after it.
func codeComment(line []byte) int {
	n := 0
	for n < len(line) && line[n] == '/' {
		n++
	}
	if n >= 2 {
		return n
	}
	for _, q := range []string{`"""`, "'''"} {
		if scan.HasPrefix(line, q) && !bytes.ContainsAny(line[3:], `"'`) {
			return 3
		}
	}
	for _, q := range []string{"b'", `b"`} {
		if scan.HasPrefix(line, q) && len(line) > 2 && line[2] >= 'A' && line[2] <= 'Z' && !bytes.ContainsAny(line[2:], `"'`) {
			return 2
		}
	}
	return 0
}
