package handleexe

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// handleExeCmd is what a Handle command line shown in the capture says.
type handleExeCmd struct {
	line    int64
	pid     uint64
	hasPID  bool   // -p with a pid
	process string // -p with a name
	all     bool   // -a
	close   bool   // -c
	help    bool   // -h, -?, /?: the usage text asked for
}

// command notes a Handle command line shown in the capture, or the
// command of another program whose output follows.
func (h *handleExeReader) command(text []byte) {
	h.newRun()
	h.foreign = ""
	h.cmdRun = false
	args := strings.Fields(strings.ReplaceAll(string(text), `"`, ""))
	if len(args) == 0 {
		h.cmd = handleExeCmd{line: h.lineNo}
		return
	}
	prog := handleExeProgram(args[0])
	if prog == "" {
		name := args[0]
		h.foreign = name
		h.cmd = handleExeCmd{}
		if !h.foreignSeen[name] {
			h.foreignSeen[name] = true
			h.log.Diag(h.lineNo, facts.SevInfo, facts.CodeIgnoredCommand,
				"%q is not Handle: lines of its output that are not Handle's are counted as ignored", name)
		}
		return
	}
	c := handleExeCmd{line: h.lineNo}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || (a[0] != '-' && a[0] != '/') {
			continue // the name searched for
		}
		switch strings.ToLower(a[1:]) {
		case "a":
			c.all = true
		case "p":
			if i+1 < len(args) {
				i++
				if pid, ok := parsePID([]byte(args[i])); ok {
					c.pid, c.hasPID = pid, true
				} else {
					c.process = args[i]
				}
			}
		case "c":
			c.close = true
			i++ // the handle to close
		case "h", "?", "help", "-help":
			c.help = true
		}
	}
	if c.all {
		h.allTypes = true
	}
	h.cmd = c
}

// handleExeProgram returns the name of Handle's executable if arg runs it
// (`handle64`, `C:\Tools\handle.exe`, `nthandle`), else "".
func handleExeProgram(arg string) string {
	if i := strings.LastIndexAny(arg, `\/`); i >= 0 {
		arg = arg[i+1:]
	}
	if n := len(arg) - len(".exe"); n > 0 && strings.EqualFold(arg[n:], ".exe") {
		arg = arg[:n]
	}
	for _, name := range []string{"handle", "handle64", "handle64a", "nthandle"} {
		if strings.EqualFold(arg, name) {
			return name
		}
	}
	return ""
}

// handleExePrompt recognizes a Windows command prompt and returns the
// command after it: "C:\bin>handle64 lockfile", "PS C:\Users\me> handle -s",
// and prompts with a date and time before the path ("02/04  9.54.28
// C:\Windows\system32>handle64 -u x").
func handleExePrompt(line []byte) ([]byte, bool) {
	gt := bytes.IndexByte(line, '>')
	if gt < 0 {
		return nil, false
	}
	pre := line[:gt]
	i := bytes.Index(pre, []byte(`:\`))
	if i < 0 && len(pre) >= 2 && pre[len(pre)-1] == ':' {
		i = len(pre) - 1 // "C:>", the "C:\>" of a drive's root with its '\' taken for a markdown escape
	}
	if i < 1 || !isASCIILetter(pre[i-1]) || (i >= 2 && !scan.IsSpace(pre[i-2])) {
		return nil, false
	}
	if bytes.ContainsAny(pre[i:], `<|"*?`) {
		return nil, false
	}
	lead := pre[:i-1]
	if scan.HasPrefix(lead, "PS ") {
		lead = lead[len("PS "):]
	}
	for _, c := range lead {
		if !scan.IsDigit(c) && !scan.IsSpace(c) && !strings.ContainsRune("/.:-,", rune(c)) {
			return nil, false
		}
	}
	return scan.TrimSpace(line[gt+1:]), true
}

// placeholderPrompts are the prompts documentation writes before a command
// in place of a real one: "cmd> handle -p 1265", "PS> handle -s", "$
// handle64 -a", "> handle lockfile"; and those of themed consoles that end
// in a sign of their own, cmder's "λ", starship's "❯", oh-my-zsh's "➜".
var placeholderPrompts = []string{"cmd>", "PS>", ">", "$", "#", "λ", "❯", "➜"}

// placeholderPromptCommand returns the Handle command after a placeholder
// prompt, with a blank after it or glued to the command ("$handle -s -p
// Mserver", as a Unix shell's prompt is written by those who run Handle
// from one); a line whose command is not Handle's (a quoted line of
// output, "> explorer.exe pid: 6248 ...") is not taken.
func placeholderPromptCommand(line []byte) ([]byte, bool) {
	line = scan.TrimSpace(line)
	if word, rest, ok := bytes.Cut(line, []byte(" ")); ok {
		for _, p := range placeholderPrompts {
			if strings.EqualFold(string(word), p) {
				rest = scan.TrimSpace(rest)
				return rest, isHandleExeCommandEcho(rest)
			}
		}
	}
	for _, p := range placeholderPrompts {
		if len(line) > len(p) && strings.EqualFold(string(line[:len(p)]), p) && !scan.IsSpace(line[len(p)]) {
			rest := line[len(p):]
			return rest, isHandleExeCommandEcho(rest)
		}
	}
	return nil, false
}

// isHandleExeCommandEcho recognizes a Handle command line shown without
// its prompt: "handle64.exe -accepteula -v -u C:\Windows", or a search
// for a name ("handle.exe .\WebCacheV01.dat", a "> " prompt a page took
// for a quote and removed). A name search is taken only after a program
// name prose does not use ("handle.exe", "handle64"): "handle this case"
// is a sentence.
func isHandleExeCommandEcho(line []byte) bool {
	first := line
	if i := bytes.IndexAny(line, " \t"); i >= 0 {
		first = line[:i]
	}
	program := strings.ReplaceAll(string(first), `"`, "")
	name := handleExeProgram(program)
	if !scan.ContainsFold(first, "handle") || name == "" {
		return false
	}
	rest := scan.TrimSpace(line[len(first):])
	if len(rest) == 0 || rest[0] == '-' || rest[0] == '/' {
		return true
	}
	return name != "handle" || !strings.EqualFold(program, name)
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// parsePID reads a pid: decimal digits only.
func parsePID(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if !scan.IsDigit(c) {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
