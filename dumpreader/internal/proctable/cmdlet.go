package proctable

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// cmdletVerbs are PowerShell's approved verbs (Get-Verb) that notes and
// scripts most often start a line with. A cmdlet's name is one of them,
// a dash and a noun: Invoke-CimMethod, Stop-Process, Format-List.
var cmdletVerbs = map[string]bool{
	"add": true, "clear": true, "close": true, "compare": true, "connect": true, "convertfrom": true,
	"convertto": true, "copy": true, "debug": true, "disable": true, "disconnect": true, "enable": true,
	"enter": true, "exit": true, "export": true, "find": true, "foreach": true, "format": true,
	"get": true, "group": true, "import": true, "install": true, "invoke": true, "join": true,
	"measure": true, "move": true, "new": true, "out": true, "read": true, "receive": true,
	"register": true, "remove": true, "rename": true, "reset": true, "resolve": true, "restart": true,
	"resume": true, "save": true, "select": true, "send": true, "set": true, "show": true,
	"sort": true, "split": true, "start": true, "stop": true, "suspend": true, "test": true,
	"trace": true, "uninstall": true, "unregister": true, "update": true, "wait": true,
	"where": true, "write": true,
}

// isCmdlet reports whether word names a PowerShell cmdlet: an approved
// verb, one dash, a noun of letters and digits that starts with a
// letter. A process list's row starts with a number or an image name,
// and an image name with a dash ("vmware-authd") has no verb before it.
func isCmdlet(word []byte) bool {
	verb, noun, ok := bytes.Cut(word, []byte("-"))
	if !ok || len(verb) == 0 || len(verb) > 12 || len(noun) == 0 || len(noun) > 64 {
		return false
	}
	if c := noun[0] | 0x20; c < 'a' || c > 'z' {
		return false
	}
	for _, c := range noun {
		if !scan.IsAlnum(c) {
			return false
		}
	}
	return cmdletVerbs[string(bytes.ToLower(verb))]
}
