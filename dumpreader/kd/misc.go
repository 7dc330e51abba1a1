package kd

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// miscLine reads the lines around the blocks: the headers kd prints
// before a dump, context switches, the debugger's banner.
func (k *kdReader) miscLine(line []byte) (scan.LineKind, bool) {
	switch {
	case scan.HasPrefix(line, "processor number"):
		// "processor number 0, process 817cc830": a `!handle` starts,
		// once per process under !for_each_process. The address echoes
		// the command's argument, which may be a Cid; the PROCESS block
		// that follows says which process it is.
		k.endBlock()
		k.owner = nil
		k.orphaned = false
		k.typeFilter = k.cmd.typeFilter
		return scan.Parsed, true
	case scan.HasPrefix(line, "Checking handle table for process "):
		// !devhandles starts each process so; its table line and PROCESS
		// block follow, in that order.
		k.endBlock()
		k.owner = nil
		k.orphaned = false
		return scan.Parsed, true
	case scan.HasPrefix(line, "Searching for handles of type "):
		k.endEntry()
		k.typeFilter = k.types.Get(scan.TrimSpace(line[len("Searching for handles of type "):]))
		return scan.Parsed, true
	case scan.HasPrefix(line, "Searching for Process with Cid"):
		return scan.Parsed, true
	case scan.HasPrefix(line, "Implicit process is now "):
		if a, ok := scan.AddrString(scan.TrimSpace(line[len("Implicit process is now "):])); ok {
			k.context = a
		}
		return scan.Parsed, true
	case bytes.Contains(line, []byte("NT ACTIVE PROCESS DUMP")) || bytes.Contains(line, []byte("NT ACTIVE PROCESS HANDLE DUMP")):
		// The banners of !process 0 and of !handle 0 across processes.
		k.endBlock()
		return scan.Parsed, true
	case scan.HasPrefix(line, "CommandLine: ") && k.cmdLine == 0:
		// The banner of a debugger that started the program names it,
		// before any prompt (!peb's "CommandLine:  '...'" comes after
		// one): the debuggee's image, unless `|` output names it.
		cmd := scan.TrimSpace(line[len("CommandLine: "):])
		if image := commandImage(cmd); image != "" {
			p := k.b.Debuggee(k.pos())
			if p.P.Image == "" {
				p.P.Image = image
			}
			if p.P.Cmdline == "" && len(cmd) <= maxCommandLine {
				p.P.Cmdline = string(cmd)
			}
		}
		return scan.Parsed, true
	case scan.HasPrefix(line, "Windows") && (bytes.Contains(line, []byte("Kernel Version")) || isUserDumpOS(line)):
		k.b.SetHost("", string(line), "")
		return scan.Parsed, true
	case scan.HasPrefix(line, "Debug session time:"):
		k.b.SetHost("", "", string(scan.TrimSpace(line[len("Debug session time:"):])))
		return scan.Parsed, true
	case scan.HasPrefix(line, "Machine Name:"):
		k.b.SetHost(string(scan.TrimSpace(line[len("Machine Name:"):])), "", "")
		return scan.Parsed, true
	}
	if len(line) >= 10 && bytes.Count(line, []byte("=")) == len(line) {
		// The frame of an Application Verifier stop (verifier.go reads
		// the stop itself): the debugger's chatter up to the next prompt.
		k.noise = true
		return scan.Ignored, true
	}
	if pid, image, ok := launchLine(line); ok {
		k.launch(pid, image)
		return scan.Parsed, true
	}
	if pid, image, ok := pipeLine(line); ok {
		p := k.b.Debuggee(k.pos())
		p.P.PID = pid
		p.P.Image = image
		return scan.Parsed, true
	}
	for _, n := range debuggerNoise {
		if scan.HasPrefix(line, n) {
			k.endEntry()
			k.symbolLoad = isSymbolLoad(n)
			return scan.Ignored, true
		}
	}
	return 0, false
}

// commandImage is the image a debugger's command line starts: the base
// name of its program, quoted or up to ".exe" (a path may hold blanks),
// "" when the line names none.
func commandImage(cmd []byte) string {
	prog := cmd
	switch {
	case len(prog) > 0 && prog[0] == '"':
		prog = prog[1:]
		if i := bytes.IndexByte(prog, '"'); i >= 0 {
			prog = prog[:i]
		}
	default:
		if i := bytes.Index(bytes.ToLower(prog), []byte(".exe")); i >= 0 {
			prog = prog[:i+len(".exe")]
		} else if i := bytes.IndexByte(prog, ' '); i >= 0 {
			prog = prog[:i]
		}
	}
	if i := bytes.LastIndexAny(prog, `\/`); i >= 0 {
		prog = prog[i+1:]
	}
	if len(prog) == 0 || len(prog) > 260 {
		return ""
	}
	return string(prog)
}

// pipeLine reads the current process's line of the user-mode `|` command:
// ".  0	id: 1a2c	attach	name: C:\Program Files\Agent\agent.exe".
func pipeLine(line []byte) (uint64, string, bool) {
	if line[0] != '.' {
		return 0, "", false
	}
	idAt := bytes.Index(line, []byte("id: "))
	nameAt := bytes.Index(line, []byte("name: "))
	if idAt < 0 || nameAt < idAt {
		return 0, "", false
	}
	toks := bytes.Fields(line[idAt+len("id: "):])
	if len(toks) == 0 {
		return 0, "", false
	}
	pid, ok := scan.ParseHex(toks[0])
	if !ok {
		return 0, "", false
	}
	image := scan.TrimSpace(line[nameAt+len("name: "):])
	if i := bytes.LastIndexAny(image, `\/`); i >= 0 {
		image = image[i+1:]
	}
	return pid, string(image), true
}

// isUserDumpOS recognizes the line a user-mode dump's banner names its
// system on, where a kernel dump's says "Kernel Version": "Windows 10
// Version 22000 MP (12 procs) Free x64", "Windows 7 Version 7601 (Service
// Pack 1) MP (4 procs) Free x86 compatible".
func isUserDumpOS(line []byte) bool {
	return bytes.Contains(line, []byte(" Version ")) && bytes.Contains(line, []byte(" procs) "))
}
