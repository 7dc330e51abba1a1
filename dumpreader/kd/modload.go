package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A user-mode debugger that attaches to a program or starts it prints a
// ModLoad line for each module mapped, the program's own first:
//
//	ModLoad: 00f20000 00f48000   C:\tools\contoso.exe
//	ModLoad: 77150000 772ea000   C:\Windows\SYSTEM32\ntdll.dll
//
// A capture that shows no `|` output, no thread list and no command line
// names its debuggee there only; before, an !htrace -diff that found the
// debuggee's leak named the suspect "(unknown image)". The program is
// taken from the first ModLoad line read before any command with a prompt
// (a list of commands the author typed may come before), when it is
// an .exe, and given to the debuggee of a capture with a user-mode
// prompt, if nothing else named it, with a diagnostic that says so.

// modLoad reads a ModLoad line (see the file comment).
func (k *kdReader) modLoad(line []byte) {
	if k.modLoadSeen || k.prompted {
		return
	}
	k.modLoadSeen = true
	toks := scan.Fields(line, nil)
	if len(toks) < 4 {
		return
	}
	// The path, which may hold blanks, follows the two addresses.
	at := bytes.Index(line, toks[2]) + len(toks[2])
	path := scan.TrimSpace(line[at:])
	if i := bytes.LastIndexAny(path, `\/`); i >= 0 {
		path = path[i+1:]
	}
	if len(path) <= len(".exe") || len(path) > 260 || !bytes.EqualFold(path[len(path)-len(".exe"):], []byte(".exe")) {
		return
	}
	k.modLoadExe, k.modLoadLine = string(path), k.lineNo
}

// endModLoad gives the debuggee the program of the session's first
// ModLoad line when nothing else named it.
func (k *kdReader) endModLoad() {
	if k.modLoadExe == "" || !k.userPrompt {
		return
	}
	p := k.b.Debuggee(k.pos())
	if p.P.Image != "" {
		return
	}
	p.P.Image = k.modLoadExe
	k.log.Diag(k.modLoadLine, facts.SevInfo, facts.CodeMissing,
		"the debuggee's image is taken to be %s from the first module the debugger loaded: no `|` output names it", k.modLoadExe)
}
