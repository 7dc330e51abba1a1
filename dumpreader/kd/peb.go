package kd

import (
	"bytes"
	"path"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// maxCommandLine bounds a command line read: Windows' own limit is
// 32,767 characters.
const maxCommandLine = 32 << 10

// pebLine reads a line of !peb's output that names the process it is of,
// in a user-mode capture (the debuggee): its image file
// ("ImageFile:    'C:\Program Files\Contoso\agent.exe'", its path, and
// its image where nothing named it before) and its command line
// ("CommandLine:  '"C:\...\agent.exe" --service'"), which the engine
// reads for what a host process runs. Other lines, and !peb in kernel
// mode (the process of .process's context), are left to the ignoring of
// the command's output.
func (k *kdReader) pebLine(line []byte) bool {
	if !strings.EqualFold(k.cmd.name, "!peb") || k.cmdKind == promptKernel {
		return false
	}
	t := scan.TrimSpace(line)
	key := ""
	for _, name := range []string{"ImageFile:", "CommandLine:"} {
		if scan.HasPrefix(t, name) {
			key = name
		}
	}
	if key == "" {
		return false
	}
	v := scan.TrimSpace(t[len(key):])
	if len(v) < 3 || v[0] != '\'' || v[len(v)-1] != '\'' || len(v) > maxCommandLine {
		return false // "< Name not readable >" is quoted too: its '<' is no path's
	}
	v = scan.TrimSpace(v[1 : len(v)-1])
	if len(v) == 0 || v[0] == '<' {
		return false
	}
	p := k.b.Debuggee(k.pos())
	switch key {
	case "ImageFile:":
		if p.P.Path == "" {
			p.P.Path = string(v)
		}
		if p.P.Image == "" {
			p.P.Image = path.Base(strings.ReplaceAll(string(v), `\`, "/"))
		}
	default:
		if p.P.Cmdline == "" {
			p.P.Cmdline = string(bytes.TrimSpace(v))
		}
	}
	return true
}
