package procfd

import (
	"bytes"
	"path"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// People often list a process's descriptors from inside its directories:
// `cd /proc/1234` then `cd fd` (or `cd /proc/1234/fd`) then `ls -l` or
// `ll`, with the path in no ls command line; `cd /proc/$$` (or /proc/self)
// goes to the shell's own, of unknown pid. The reader follows the
// working directory as the cds and the prompts show it (a prompt's path,
// "root@host:/proc/1234/fd#", is where the shell is, with or without a
// command after it): in /proc/PID/fd a bare ls lists that process's
// descriptors, in /proc/PID a bare ls lists the process's directory,
// whose "exe -> /usr/sbin/nginx" row names its image. A cd anywhere else
// leaves /proc: a later bare ls lists nobody's descriptors. `pwd` and the
// path it prints say where the shell is as a prompt does, and so does the
// first line of a two-line prompt ("┌──(root㉿kali)-[/proc/1234/fd]").

// promptDir reads the working directory a prompt shows: /proc/PID or
// /proc/PID/fd, or another path ("root@host:/tmp#", "~$", busybox's "/
// #"), which leaves /proc. Prompts without a path leave it as it was
// (bash's default "[root@db fd]#" shows only its last part).
func (z *reader) promptDir(prompt []byte) {
	if path, ok := promptPath(prompt); ok {
		z.enterDir(path)
	}
}

// enterDir makes path, a directory the capture shows the shell in (a
// prompt's, pwd's output), the working directory: /proc/PID/fd, /proc/PID,
// or another, which leaves /proc.
func (z *reader) enterDir(path []byte) {
	if !z.enterProc(path) {
		z.cwd, z.procDir = nil, nil
	}
}

// enterProc makes path the working directory if it names /proc/PID/fd or
// /proc/PID, and reports whether it did.
func (z *reader) enterProc(path []byte) bool {
	if w, single, ok := procPath(path); ok && !single && !w.all {
		z.cwd, z.procDir = &w, nil
		return true
	}
	if d, ok := procDir(path); ok {
		z.cwd, z.procDir = nil, &d
		return true
	}
	return false
}

// promptPath finds the working directory in a prompt: after the colon of
// "user@host:PATH$" ("[user@host:PATH]#"), or the prompt itself where it
// starts with a path ("/proc/12/fd # ", busybox's). The path ends at the
// prompt's sign; it starts with '/' or '~'.
func promptPath(prompt []byte) ([]byte, bool) {
	p := scan.TrimSpace(prompt)
	if i := bytes.IndexByte(p, '@'); i >= 0 {
		j := bytes.IndexByte(p[i:], ':')
		if j < 0 {
			return nil, false
		}
		p = p[i+j+1:]
	}
	if end := bytes.IndexAny(p, "#$>] "); end >= 0 {
		p = p[:end]
	}
	if len(p) == 0 || (p[0] != '/' && p[0] != '~') {
		return nil, false
	}
	return p, true
}

// changeDir follows a cd: cmd is the command from "cd" to its end (or to
// the ls after it), args the tokens after "cd".
func (z *reader) changeDir(cmd []byte, args [][]byte) {
	var arg []byte
	if len(args) > 0 {
		arg = bytes.TrimRight(bytes.Trim(args[0], "\"'"), ";&")
	}
	if z.enterProc(cmd) {
		return
	}
	switch {
	case isFDDirName(arg) && z.procDir != nil:
		z.cwd, z.procDir = z.procDir, nil
	case (string(arg) == ".." || string(arg) == "../") && z.cwd != nil && z.cwd.pid >= 0:
		z.cwd, z.procDir = nil, z.cwd
	case string(arg) == "." || string(arg) == "./" || string(arg) == "-":
		// Stays (cd - goes back, to where the capture may not show).
	default:
		z.cwd, z.procDir = nil, nil
	}
}

// startProcDir begins a listing of d's directory /proc/PID: its rows
// are read by procDirRow.
func (z *reader) startProcDir(d who) {
	z.endCommand()
	z.pdir = &d
}

// procDirRow reads a row of ls -l /proc/PID: "exe -> /usr/sbin/nginx"
// (or "/proc/PID/exe -> ..." of ls -l /proc/PID/exe) names the process's
// image; the rest (cwd, root, cmdline, fd, ...) are
// accounted for as the directory's entries. It reads only rows under
// such a command.
func (z *reader) procDirRow(line []byte) (scan.LineKind, bool) {
	left, link, linked := bytes.Cut(line, []byte(" -> "))
	z.toks = scan.Fields(left, z.toks[:0])
	if len(z.toks) < 7 || !isEntryMode(z.toks[0]) {
		return 0, false
	}
	name := bytes.TrimRight(z.toks[len(z.toks)-1], "@") // ll's -F marks links
	if (string(name) != "exe" && !bytes.HasSuffix(name, []byte("/exe"))) || !linked {
		return scan.Ignored, true
	}
	target := string(unquote(bytes.TrimRight(scan.TrimSpace(link), "*")))
	target = strings.TrimSuffix(target, " (deleted)")
	if !strings.HasPrefix(target, "/") || len(target) > cmdlineLimit {
		return scan.Ignored, true
	}
	if z.exes == nil {
		z.exes = map[int64]psRow{}
	}
	if len(z.exes) < processLimit {
		z.exes[z.pdir.pid] = psRow{Image: path.Base(target), Line: z.lineNo}
	}
	return scan.Parsed, true
}

// isEntryMode recognizes the mode ls -l prints for an entry of /proc/PID:
// a type (-, d, l), then nine permission letters, with an optional '.',
// '+' or '@' after them.
func isEntryMode(m []byte) bool {
	if len(m) == 11 && (m[10] == '.' || m[10] == '+' || m[10] == '@') {
		m = m[:10]
	}
	if len(m) != 10 || (m[0] != '-' && m[0] != 'd' && m[0] != 'l') {
		return false
	}
	for _, c := range m[1:] {
		if !strings.ContainsRune("rwxsStT-", rune(c)) {
			return false
		}
	}
	return true
}

// exeFinish gives the processes the capture lists the images their exe
// links name; it runs before psFinish, so the link outranks a ps row.
func (z *reader) exeFinish() {
	for _, l := range z.order {
		if row, ok := z.exes[l.pid]; ok && l.pid >= 0 {
			l.pb.SetImage(row.Image, z.pos(row.Line))
		}
	}
}

// isBarePrompt recognizes a shell's prompt alone on its line: those
// scan.IsBareShellPrompt knows, and a host name then " $" or " #", as
// the playgrounds' "controlplane $" shows it.
func isBarePrompt(line []byte) bool {
	if scan.IsBareShellPrompt(line) {
		return true
	}
	host, ok := bytes.CutSuffix(line, []byte(" $"))
	if !ok {
		host, ok = bytes.CutSuffix(line, []byte(" #"))
	}
	if !ok || len(host) == 0 || len(host) > 64 {
		return false
	}
	for _, c := range host {
		if !scan.IsDigit(c) && (c|0x20 < 'a' || c|0x20 > 'z') && c != '-' && c != '.' && c != '_' {
			return false
		}
	}
	return true
}

// twoLinePrompt reads a line of a two-line prompt that holds no command:
// its first line, which shows the working directory
// ("┌──(root㉿kali)-[/proc/1234/fd]"), or its second alone. The second
// with a command after it is a command line as any other.
func (z *reader) twoLinePrompt(line []byte) bool {
	if dir, ok := scan.TwoLinePromptHead(line); ok {
		if len(dir) > 0 {
			z.enterDir(dir)
		}
		return true
	}
	cmd, ok := scan.CutTwoLinePrompt(line)
	return ok && len(cmd) == 0
}

// pwdCommand reads `pwd` (after its prompt): the line after it prints
// the working directory, which a later bare ls lists (pwdLine).
func (z *reader) pwdCommand(toks [][]byte) bool {
	if len(toks) == 0 || len(toks) > 4 || string(toks[len(toks)-1]) != "pwd" {
		return false
	}
	z.wantPwd = true
	return true
}

// pwdLine reads the line after `pwd`: an absolute path alone, the
// working directory.
func (z *reader) pwdLine(line []byte) bool {
	if len(line) == 0 || line[0] != '/' || bytes.IndexAny(line, " \t") >= 0 {
		return false
	}
	z.enterDir(line)
	return true
}

// inFDDir reports whether prompt is bash's default, "[user@host DIR]#"
// (or $), in a directory named fd: the prompt shows the last part of
// the path alone, so an ls there lists a process's descriptors, whose
// pid the capture does not give unless a cd or pwd before it did.
func inFDDir(prompt []byte) bool {
	p := scan.TrimSpace(prompt)
	if len(p) < 2 || (p[len(p)-1] != '#' && p[len(p)-1] != '$') || p[len(p)-2] != ']' {
		return false
	}
	open := bytes.LastIndexByte(p, '[')
	if open < 0 {
		return false
	}
	f := bytes.Fields(p[open+1 : len(p)-2])
	return len(f) == 2 && bytes.IndexByte(f[0], '@') > 0 && isFDDirName(f[1])
}
