package engine

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/leakdiag/leakdiag/facts"
)

// A host is a program that runs what its command line names: svchost.exe
// a Windows service, w3wp.exe an IIS application pool, dllhost.exe a COM
// server, rundll32.exe a DLL, java, python, node and the other runtimes a
// program or script. When such a process leaks, its image says little
// (every service of a machine may run in a svchost.exe); its command line,
// where the capture gives it (wmic and Get-CimInstance's CommandLine,
// Process Explorer, /proc/PID/cmdline, ps), names what leaks.

// Bounds of what is read of a command line: a capture's, so untrusted.
// Windows' own limit is 32,767 characters.
const (
	maxCommandLine = 32 << 10
	maxArgs        = 256
)

// hostComponent names what a host process runs, from its command line;
// false for a process that is no host or whose command line does not say.
func hostComponent(p *facts.Process) (Component, bool) {
	host := hostOf(p.Image)
	if host == "" {
		return Component{}, false
	}
	args := programArgs(splitCommandLine(p.Cmdline), host)
	if host == "svchost" {
		return serviceComponent(p, args)
	}
	if len(args) == 0 {
		return Component{}, false
	}
	switch host {
	case "w3wp":
		if pool := optionValue(args, "-ap"); pool != "" {
			return Component{Name: "IIS application pool " + pool, InferredFrom: InferredCommandLine,
				Reason: fmt.Sprintf("%s is an IIS worker process, and its command line names its application pool (-ap %q): the applications of that pool are the suspects (appcmd list app /apppool.name:%q lists them)", p.Image, pool, pool)}, true
		}
	case "dllhost":
		for _, a := range args {
			if id, ok := cutPrefixFold(a, "/processid:"); ok && id != "" {
				return Component{Name: "COM server " + id, InferredFrom: InferredCommandLine,
					Reason: fmt.Sprintf("%s hosts a COM server, which its command line names by its AppID %s: the registry key HKCR\\AppID\\%s (and the CLSID that refers to it) names the server's DLL", p.Image, id, id)}, true
			}
		}
	case "rundll32":
		// The DLL's path may hold blanks, unquoted: up to the comma
		// before its function.
		dll, _, ok := strings.Cut(strings.Join(args, " "), ",")
		if ext := strings.ToLower(dll); ok && (strings.HasSuffix(ext, ".dll") || strings.HasSuffix(ext, ".cpl") || strings.HasSuffix(ext, ".ocx")) {
			return ranComponent(p, dll, "a function of a DLL", "the DLL")
		}
	default:
		if ran, what := hostedProgram(host, args); ran != "" {
			c, ok := ranComponent(p, ran, "a program", what)
			if cp := classPath(host, args); ok && c.Vendor == "" && cp != "" {
				if o, ok := originOf(cp); ok {
					_, c.Vendor = o.component()
					c.Reason += fmt.Sprintf(", from a class path (%s) %s", cp, o.under())
				}
			}
			return c, ok
		}
	}
	return Component{}, false
}

// maxProgramAt bounds where the program may stand in a command line: an
// unquoted path with blanks in it ("C:\\Program Files\\Java\\bin\\java.exe")
// is split into a few words before it.
const maxProgramAt = 8

// programArgs returns the arguments after the program in a command line
// split into args, the program the first word (among the first few) that
// names an image of host's family (/usr/bin/python3 for python3.11); nil
// when none does: a process that rewrote its command line into a title
// ("puma 5.6.4 (tcp://0.0.0.0:3000)", "gunicorn: worker") says nothing of
// what it runs.
func programArgs(args []string, host string) []string {
	for i, a := range args[:min(len(args), maxProgramAt)] {
		if family(hostOf(a)) == family(host) {
			return args[i+1:]
		}
	}
	return nil
}

// serviceComponent names the Windows service a svchost.exe runs: the one
// its command line names (-s NAME, as Windows 10 runs most services, one
// to a svchost.exe), else those the capture lists (tasklist /svc), else
// the group of services its command line names (-k GROUP).
func serviceComponent(p *facts.Process, args []string) (Component, bool) {
	group := optionValue(args, "-k")
	if service := optionValue(args, "-s"); service != "" {
		in := ""
		if group != "" {
			in = " of group " + group
		}
		return Component{Name: "service " + service, InferredFrom: InferredCommandLine,
			Reason: fmt.Sprintf("%s hosts Windows services, and its command line names the one it runs, alone: %s%s (-s %s); %s", p.Image, service, in, service, serviceDLL(service))}, true
	}
	switch n := len(p.Services); {
	case n == 1:
		return Component{Name: "service " + p.Services[0], InferredFrom: InferredServices,
			Reason: fmt.Sprintf("%s hosts Windows services, and the capture lists the one it runs: %s; %s", p.Image, p.Services[0], serviceDLL(p.Services[0]))}, true
	case n > 1:
		return Component{Name: "services " + listSome(p.Services, maxServicesNamed), InferredFrom: InferredServices,
			Reason: fmt.Sprintf("%s hosts %d Windows services, as the capture lists them (%s), and one of them leaks: `sc config NAME type= own` and a restart of the service give one a process of its own, to tell them apart", p.Image, n, listSome(p.Services, maxServicesListed))}, true
	}
	if group != "" {
		return Component{Name: "service group " + group, InferredFrom: InferredCommandLine,
			Reason: fmt.Sprintf("%s hosts Windows services, and its command line names their group (-k %s), not which of them leaks: `tasklist /svc /fi \"PID eq %d\"` lists them, and `sc config NAME type= own` gives one a process of its own, to tell them apart", p.Image, group, p.PID)}, true
	}
	return Component{}, false
}

// maxServicesNamed and maxServicesListed are how many of a svchost.exe's
// services its component's name and its reason give.
const (
	maxServicesNamed  = 4
	maxServicesListed = 64
)

// listSome joins the first max of names with commas, saying how many
// more there are.
func listSome(names []string, max int) string {
	s := strings.Join(names[:min(len(names), max)], ", ")
	if len(names) > max {
		s += fmt.Sprintf(" and %d more", len(names)-max)
	}
	return s
}

// serviceDLL says where the DLL that implements a service is named.
func serviceDLL(service string) string {
	return fmt.Sprintf("the ServiceDll value under HKLM\\SYSTEM\\CurrentControlSet\\Services\\%s\\Parameters names the DLL that implements it", service)
}

// ranComponent names the file a host runs (path as the command line gives
// it), with the vendor or package of the folder it is in.
func ranComponent(p *facts.Process, path, runs, what string) (Component, bool) {
	name := baseName(path)
	if name == "" {
		return Component{}, false
	}
	c := Component{Name: name, InferredFrom: InferredCommandLine,
		Reason: fmt.Sprintf("%s runs %s, and its command line names %s: %s", p.Image, runs, what, path)}
	if o, ok := originOf(path); ok {
		_, c.Vendor = o.component()
		c.Reason += ", " + o.under()
	}
	return c, true
}

// hostOf returns the kind of host image is ("svchost", "java", "python"
// ...), "" for an image that is no host.
func hostOf(image string) string {
	name := strings.ToLower(baseName(image))
	name = strings.TrimSuffix(name, ".exe")
	switch name {
	case "svchost", "w3wp", "dllhost", "rundll32", "java", "javaw", "node", "nodejs", "dotnet",
		"powershell", "pwsh", "wscript", "cscript", "mmc", "ruby", "perl", "php":
		return name
	}
	// python, python3, python3.12, pythonw, pypy3 ...
	for _, runtime := range []string{"python", "pypy"} {
		if rest, ok := strings.CutPrefix(name, runtime); ok && strings.Trim(rest, "0123456789.w") == "" {
			return "python"
		}
	}
	// A runtime's versioned binary, as /proc/PID/exe names it on Debian
	// and Ubuntu: ruby3.0, php8.1, perl5.36.0, node18.
	for _, runtime := range []string{"ruby", "php", "perl", "node"} {
		if rest, ok := strings.CutPrefix(name, runtime); ok && rest != "" && strings.Trim(rest, "0123456789.") == "" {
			return runtime
		}
	}
	return ""
}

// runtimeArgs says how a runtime's command line names what it runs: the
// options whose value is it (-jar app.jar, -m module), those that take
// the next argument as their value (so that value is not taken for it),
// and those that give code on the command line instead (python -c, and
// its letter among combined flags, -uc). Failing those, its first
// operand that looks like what it runs (valid) is it: a main class, a
// script's path. A word that does not (the rest of an option's value
// that had blanks, "-XX:OnOutOfMemoryError=kill -9 %p") is passed over.
type runtimeArgs struct {
	target    map[string]string // option -> what its value is
	withValue []string
	code      []string
	// codeFlags are the letters that, among combined one-dash flags
	// (-uc, -lne), give code on the command line.
	codeFlags string
	operand   string // what the first operand is; "" when it is not what runs
	valid     func(string) bool
	fold      bool // options compared without case (PowerShell)
}

var hostRuntimes = map[string]runtimeArgs{
	"java": {
		target:    map[string]string{"-jar": "the jar", "-m": "the module", "--module": "the module"},
		withValue: []string{"-cp", "-classpath", "--class-path", "-p", "--module-path", "--add-modules", "--add-opens", "--add-exports", "--add-reads", "--patch-module", "--upgrade-module-path", "--limit-modules", "--source"},
		operand:   "the main class",
		valid:     isMainClass,
	},
	"python": {
		target:    map[string]string{"-m": "the module"},
		withValue: []string{"-W", "-X", "--check-hash-based-pycs"},
		code:      []string{"-c"},
		codeFlags: "c",
		operand:   "the script",
		valid:     scriptWith(".py", ".pyw", ".pyz"),
	},
	"node": {
		withValue: []string{"-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "--conditions", "-C", "--title", "--inspect-port", "--max-http-header-size", "--stack-trace-limit", "--max-old-space-size"},
		code:      []string{"-e", "--eval", "-p", "--print"},
		codeFlags: "ep",
		operand:   "the script",
		valid:     scriptWith(".js", ".mjs", ".cjs", ".ts"),
	},
	"ruby": {withValue: []string{"-I", "-r", "-C", "-E", "--encoding"}, code: []string{"-e"}, codeFlags: "e", operand: "the script", valid: scriptWith(".rb")},
	"perl": {withValue: []string{"-I", "-M", "-m"}, code: []string{"-e", "-E"}, codeFlags: "eE", operand: "the script", valid: scriptWith(".pl", ".pm")},
	"php":  {withValue: []string{"-c", "-d", "-z", "-S", "-t"}, code: []string{"-r"}, codeFlags: "r", operand: "the script", valid: scriptWith(".php")},
	"powershell": {
		target:    map[string]string{"-file": "the script", "-f": "the script"},
		withValue: []string{"-executionpolicy", "-ep", "-windowstyle", "-w", "-configurationname", "-workingdirectory", "-wd", "-psconsolefile", "-version", "-v", "-inputformat", "-outputformat", "-settingsfile"},
		code:      []string{"-command", "-c", "-encodedcommand", "-enc", "-e", "-ec"},
		fold:      true,
	},
}

// family is the runtime a host's image belongs to: javaw is java's,
// nodejs node's, pwsh PowerShell's.
func family(host string) string {
	switch host {
	case "javaw":
		return "java"
	case "nodejs":
		return "node"
	case "pwsh":
		return "powershell"
	}
	return host
}

// hostedProgram returns what a host's command line (args, the program
// dropped) runs and what that is: a jar, a main class, a module, a script
// or an assembly. "" when it runs code given on the command line, or the
// command line names nothing.
func hostedProgram(host string, args []string) (ran, what string) {
	host = family(host)
	switch host {
	case "dotnet":
		return firstWithSuffix(args, ".dll"), "the assembly"
	case "mmc":
		return firstWithSuffix(args, ".msc"), "the console"
	case "wscript", "cscript":
		for _, a := range args {
			if !strings.HasPrefix(a, "/") && !strings.HasPrefix(a, "-") {
				return a, "the script"
			}
		}
		return "", ""
	}
	rt, ok := hostRuntimes[host]
	if !ok {
		return "", ""
	}
	is := func(list []string, a string) bool {
		for _, x := range list {
			if x == a || (rt.fold && strings.EqualFold(x, a)) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		key := a
		if rt.fold {
			key = strings.ToLower(a)
		}
		if what, ok := rt.target[key]; ok {
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				return args[i+1], what
			}
			return "", ""
		}
		if name, value, ok := strings.Cut(key, "="); ok && strings.HasPrefix(name, "--") {
			if what, ok := rt.target[name]; ok && value != "" {
				return a[len(name)+1:], what // --module=com.acme/Main
			}
		}
		switch {
		case a == "--":
			if i+1 < len(args) && rt.operand != "" {
				return args[i+1], rt.operand
			}
			return "", ""
		case is(rt.code, a):
			return "", ""
		case is(rt.withValue, a):
			i++ // its value
		case len(a) > 2 && a[0] == '-' && a[1] != '-':
			// One-dash letters: -mcelery (python's -m and its value), or
			// combined flags (-uc, -lne), of which one may give code.
			if what, ok := rt.target[a[:2]]; ok && host == "python" {
				return a[2:], what
			}
			if onlyLetters(a[1:]) && strings.ContainsAny(a[1:], rt.codeFlags) && rt.codeFlags != "" {
				return "", ""
			}
		case strings.HasPrefix(a, "-") || a == "..." || strings.HasPrefix(a, "@"):
			// An option, the "..." of a command line cut short, a java
			// @argfile: none names what runs.
		case rt.operand != "" && rt.valid != nil && rt.valid(a):
			return a, rt.operand
		}
	}
	return "", ""
}

// isMainClass reports whether s is a Java main class as a command line
// names it: a package-qualified name (com.fabrikam.sync.Main), or a
// source file run as a program (Tool.java). A bare word is rather the
// rest of an option's value.
func isMainClass(s string) bool {
	if strings.HasSuffix(s, ".java") {
		return true
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || !isJavaIdentifier(p) {
			return false
		}
	}
	return true
}

func isJavaIdentifier(s string) bool {
	for i, r := range s {
		switch {
		case r == '_' || r == '$' || unicode.IsLetter(r):
		case i > 0 && unicode.IsDigit(r):
		default:
			return false
		}
	}
	return true
}

// scriptWith returns a test of a script's path: a file with one of the
// extensions, or a path (/usr/bin/gunicorn, an entry point without one).
func scriptWith(exts ...string) func(string) bool {
	return func(s string) bool {
		if strings.ContainsAny(s, `/\`) {
			return true
		}
		lower := strings.ToLower(s)
		for _, e := range exts {
			if strings.HasSuffix(lower, e) && len(lower) > len(e) {
				return true
			}
		}
		return false
	}
}

func onlyLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// firstWithSuffix returns the first argument ending in suffix (without
// case), "" if none does.
func firstWithSuffix(args []string, suffix string) string {
	for _, a := range args {
		if strings.HasSuffix(strings.ToLower(a), suffix) {
			return a
		}
	}
	return ""
}

// optionValue returns the value of option name in args (-s NAME, -s:NAME
// or -s=NAME; /s as well as -s), compared without case as Windows does;
// "" if absent.
func optionValue(args []string, name string) string {
	bare := strings.TrimLeft(name, "-")
	for i, a := range args {
		if len(a) < 2 || (a[0] != '-' && a[0] != '/') {
			continue
		}
		opt := strings.TrimLeft(a, "-/")
		if strings.EqualFold(opt, bare) && i+1 < len(args) {
			return args[i+1]
		}
		for _, sep := range []string{":", "="} {
			if v, ok := cutPrefixFold(opt, bare+sep); ok && v != "" {
				return v
			}
		}
	}
	return ""
}

// splitCommandLine splits a command line into its arguments as Windows
// programs do (blanks separate them but between double quotes, which are
// dropped; a backslash escapes a quote) and as a shell shows a Linux one
// (its arguments joined by blanks). At most maxArgs arguments of the
// first maxCommandLine bytes are read; a last argument whose quote never
// closes is dropped.
func splitCommandLine(s string) []string {
	if len(s) > maxCommandLine {
		s = s[:maxCommandLine]
	}
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(s) && len(args) < maxArgs; i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			inArg = true
			i++
		case c == '"':
			quoted = !quoted
			inArg = true
		case (c == ' ' || c == '\t') && !quoted:
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inArg && len(args) < maxArgs && !quoted {
		// An argument whose quote never closes was cut (a paste, a
		// column's width): not kept, lest a piece of a path be taken for
		// what runs.
		args = append(args, cur.String())
	}
	return args
}

// baseName returns the last element of a Windows or Unix path.
func baseName(path string) string {
	if i := strings.LastIndexAny(path, `\/`); i >= 0 {
		return path[i+1:]
	}
	return path
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// classPath returns the first entry of a Java command line's class path
// (-cp, -classpath, --class-path), "" for none or another host: the
// folder of a main class's jars.
func classPath(host string, args []string) string {
	if family(host) != "java" {
		return ""
	}
	for i, a := range args[:max(len(args)-1, 0)] {
		if a == "-cp" || a == "-classpath" || a == "--class-path" {
			first, _, _ := strings.Cut(args[i+1], ";")
			if strings.HasPrefix(first, "/") {
				first, _, _ = strings.Cut(first, ":") // a Unix class path
			}
			return first
		}
	}
	return ""
}
