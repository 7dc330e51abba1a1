package kd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// debuggerPrograms are the debuggers whose command line a capture may show
// before their output, as typed at a shell: `C:\>cdb -p 708 -pvr`.
var debuggerPrograms = map[string]bool{
	"cdb": true, "ntsd": true, "windbg": true, "windbgx": true, "kd": true, "livekd": true, "livekd64": true,
}

// launchLine reads the command line that started the debugger, at a
// Windows shell's prompt or bare ("C:\>cdb -p 708 -pvr -y ...", "PS
// C:\dbg> .\cdb.exe -pn lsass.exe"): the process it attaches to by pid
// (-p) or by image (-pn) is the debuggee. A bare line must give an option,
// so that a word of prose is not taken for one.
func launchLine(line []byte) (pid uint64, image string, ok bool) {
	rest, prompted := cutShellPrompt(line)
	f := bytes.Fields(rest)
	if len(f) == 0 {
		return 0, "", false
	}
	prog := string(f[0])
	if i := strings.LastIndexAny(prog, `\/`); i >= 0 {
		prog = prog[i+1:]
	}
	prog = strings.TrimSuffix(strings.ToLower(prog), ".exe")
	if !debuggerPrograms[prog] {
		return 0, "", false
	}
	if !prompted && (len(f) < 2 || f[1][0] != '-') {
		return 0, "", false
	}
	for i := 1; i+1 < len(f); i++ {
		switch strings.ToLower(string(f[i])) {
		case "-p":
			if n, ok := scan.ParseDec(f[i+1]); ok && n > 0 {
				pid = uint64(n)
			}
		case "-pn":
			image = string(f[i+1])
		}
	}
	return pid, image, true
}

// cutShellPrompt removes a cmd or PowerShell prompt ("C:\>", "C:\Program
// Files\Debuggers>", "PS C:\dbg> ") from the start of line, reporting
// whether there was one.
func cutShellPrompt(line []byte) ([]byte, bool) {
	b := line
	if bytes.HasPrefix(b, []byte("PS ")) {
		b = b[3:]
	}
	if len(b) < 4 || !(b[0]|0x20 >= 'a' && b[0]|0x20 <= 'z') || b[1] != ':' || b[2] != '\\' {
		return line, false
	}
	gt := bytes.IndexByte(b, '>')
	if gt < 0 {
		return line, false
	}
	return b[gt+1:], true
}

// launch gives the debuggee the pid or image the debugger's command line
// names, where nothing read before gave them.
func (k *kdReader) launch(pid uint64, image string) {
	if pid == 0 && image == "" {
		return
	}
	p := k.b.Debuggee(k.pos())
	if p.P.PID == 0 {
		p.P.PID = pid
	}
	if p.P.Image == "" && image != "" {
		p.P.Image = image
	}
}

// initialCommand returns the commands a debugger started with -c runs,
// as it echoes them at its first prompt ("0:000> cdb: Reading initial
// command '.symfix; .reload; !analyze -v; q'"): the text between the
// quotes. Any other command text is returned as it is.
func initialCommand(text []byte) []byte {
	const echo = ": Reading initial command '"
	i := bytes.Index(text, []byte(echo))
	if i <= 0 || i > len("windbgx") || text[len(text)-1] != '\'' {
		return text
	}
	if !debuggerPrograms[strings.ToLower(string(text[:i]))] {
		return text
	}
	inner := text[i+len(echo) : len(text)-1]
	if len(scan.TrimSpace(inner)) == 0 {
		return text
	}
	return inner
}
