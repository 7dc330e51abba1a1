package volatility

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// banners are how the frameworks' outputs begin.
var banners = []string{"Volatility 3 Framework", "Volatility Foundation Volatility Framework"}

func isBanner(line []byte) bool {
	for _, b := range banners {
		if scan.HasPrefix(line, b) {
			return true
		}
	}
	return false
}

// logLevels are the first words of the frameworks' log lines.
var logLevels = []string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "Level"}

// isLog recognizes what the frameworks print besides their tables:
// Volatility 3's progress ("Progress:  100.00  PDB scanning finished")
// and log lines ("DEBUG    volatility3.framework..."), Volatility 2's
// ("INFO    : volatility.debug    : ..."), Rekall's ("2018-10-13
// 11:13:00,197:DEBUG:rekall.1:...").
func isLog(line []byte) bool {
	if scan.HasPrefix(line, "Progress:") || string(line) == "Formatting..." {
		// Progress, and what -r pretty says before its table.
		return true
	}
	for _, l := range logLevels {
		if scan.HasPrefix(line, l) && len(line) > len(l) && (line[len(l)] == ' ' || line[len(l)] == ':') &&
			bytes.Contains(line, []byte("volatility")) {
			return true
		}
	}
	if len(line) > 24 && isDate(line[:10]) {
		for _, l := range []string{":DEBUG:", ":INFO:", ":WARNING:", ":ERROR:"} {
			if bytes.Contains(line, []byte(l)) && bytes.Contains(line, []byte("rekall")) {
				return true
			}
		}
	}
	return false
}

// imageInfo are the keys of Volatility 2's imageinfo and of the profile
// guess it prints before a plugin's output.
var imageInfo = []string{
	"Suggested Profile(s)", "AS Layer", "PAE type", "DTB", "KDBG", "Number of Processors",
	"Image Type (Service Pack)", "KPCR for CPU", "KUSER_SHARED_DATA", "Image date and time",
	"Image local date and time",
}

// isImageInfo recognizes a line of imageinfo ("Suggested Profile(s) :
// Win7SP1x64"); its value is returned.
func isImageInfo(line []byte) (key string, value []byte, ok bool) {
	i := bytes.Index(line, []byte(" : "))
	if i < 0 {
		return "", nil, false
	}
	k := string(scan.TrimSpace(line[:i]))
	for _, p := range imageInfo {
		if strings.HasPrefix(k, p) {
			return k, scan.TrimSpace(line[i+3:]), true
		}
	}
	return "", nil, false
}

// optionsWithValue are the options of the frameworks whose value is the
// next word: a file named pslist.raw is no plugin.
var optionsWithValue = map[string]bool{
	"-f": true, "--filename": true, "-l": true, "--location": true, "-o": true,
	"--output-dir": true, "-r": true, "--renderer": true, "-p": true, "--pid": true,
	"--profile": true, "-D": true, "--dump-dir": true, "--plugins": true, "-s": true,
	"--symbol-dirs": true, "-c": true, "--config": true, "--output-file": true,
	"-g": true, "--kdbg": true, "--offset": true, "-n": true, "--name": true,
}

// command recognizes a command line that runs a framework ("vol.py -f
// mem.raw --profile=Win7SP1x64 pslist", "vol -f mem.raw
// windows.pslist.PsList", "volatility-2.5.standalone.exe ... psscan",
// Rekall's "----------------> pslist()"), with a prompt before it or
// not, and returns the plugin it runs.
func command(line []byte) (plugin, bool) {
	if len(line) > 4096 {
		return 0, false
	}
	if line[0] == '-' {
		// Rekall's interactive session echoes each plugin it runs.
		i := bytes.Index(line, []byte("> "))
		if i < 0 || len(bytes.Trim(line[:i], "-")) != 0 {
			return 0, false
		}
		name := line[i+2:]
		if j := bytes.IndexByte(name, '('); j > 0 {
			return pluginNamed(string(name[:j])), true
		}
		return 0, false
	}
	if line[0] == '[' {
		// Rekall's interactive prompt: "[1] image.aff4 14:02:11> pslist()";
		// another in brackets ("[user@host ~]$ vol.py ...") is a shell's.
		i := bytes.Index(line, []byte("> "))
		if j := bytes.IndexByte(line, ']'); j >= 2 && j <= 8 && i > j && isDec(line[1:j]) {
			name := scan.TrimSpace(line[i+2:])
			if j := bytes.IndexAny(name, "( "); j >= 0 {
				name = name[:j]
			}
			return pluginNamed(string(name)), true
		}
	}
	if !scan.ContainsFold(line, "vol") && !scan.ContainsFold(line, "rekal") {
		return 0, false // no program isTool knows: nothing to split
	}
	words := strings.Fields(string(line))
	for i, w := range words {
		if i > 3 {
			return 0, false
		}
		if isTool(w) && hasOption(words[i+1:]) {
			return pluginAfter(words[i+1:]), true
		}
	}
	return 0, false
}

// isTool recognizes the name of a framework's program, after a path or
// a cmd prompt ("C:\vol>volatility-2.5.standalone.exe").
func isTool(w string) bool {
	if i := strings.LastIndexAny(w, `/\>`); i >= 0 {
		w = w[i+1:]
	}
	w = strings.ToLower(strings.Trim(w, `"'`))
	switch w {
	case "vol", "vol.py", "vol3", "vol3.py", "vol.exe", "vol3.exe", "vol2", "vol2.py", "volatility3", "volatility":
		return true
	}
	return strings.HasPrefix(w, "volatility") && (strings.HasSuffix(w, ".exe") || strings.HasSuffix(w, ".py")) ||
		strings.HasPrefix(w, "rekal")
}

// pluginAfter finds the plugin among the words after the program.
func pluginAfter(words []string) plugin {
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "-") {
			if optionsWithValue[w] {
				i++
			}
			continue
		}
		if p := pluginNamed(w); p != pluginOther || !strings.Contains(w, ".") {
			return p
		}
	}
	return pluginOther
}

// pluginNamed maps a plugin's name to what its tables mean: pslist,
// pstree, psscan, handles in Volatility 2 and Rekall;
// windows.pslist(.PsList) and the like in Volatility 3.
func pluginNamed(w string) plugin {
	w = strings.ToLower(w)
	w = strings.TrimPrefix(w, "windows.")
	if i := strings.IndexByte(w, '.'); i >= 0 {
		w = w[:i]
	}
	switch w {
	case "pslist", "pstree":
		return pluginList
	case "psscan":
		return pluginScan
	case "handles":
		return pluginHandles
	}
	return pluginOther
}

// hasOption says an option follows the program (the image's -f, -l or
// --profile at least): prose that names the framework has none.
func hasOption(words []string) bool {
	for _, w := range words {
		if len(w) > 1 && w[0] == '-' {
			return true
		}
	}
	return false
}

// isPythonWarning recognizes the warning Python prints when a module the
// framework loads is deprecated: "/usr/lib/python2.7/.../ssh_agent_key.py:12:
// CryptographyDeprecationWarning: Python 2 is no longer supported...". The
// source line it quotes follows, indented.
func isPythonWarning(line []byte) bool {
	i := bytes.Index(line, []byte(".py:"))
	if i < 0 || i > 300 {
		return false
	}
	rest := line[i+len(".py:"):]
	n := 0
	for n < len(rest) && scan.IsDigit(rest[n]) {
		n++
	}
	if n == 0 || !bytes.HasPrefix(rest[n:], []byte(": ")) {
		return false
	}
	rest = rest[n+2:]
	end := bytes.IndexByte(rest, ':')
	return end > 0 && bytes.HasSuffix(rest[:end], []byte("Warning")) && bytes.IndexByte(rest[:end], ' ') < 0
}

// isTreeDetail recognizes the lines Volatility 2's pstree -v prints
// under each process.
func isTreeDetail(line []byte) bool {
	return scan.HasPrefix(line, "audit: ") || scan.HasPrefix(line, "cmd: ") || scan.HasPrefix(line, "path: ")
}
