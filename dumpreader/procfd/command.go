package procfd

import (
	"bytes"
	"slices"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// commandLine reads a command line that lists a process's descriptors,
// with whatever prompt precedes it: `ls -l /proc/1234/fd`, `sudo ls -la
// /proc/$(pidof agent)/fd | grep socket`, `ls /proc/1234/fd | wc -l`,
// busybox's `/proc/1234/fd # ls -al` (the prompt shows the directory),
// and `cd /proc/1234/fd`, which makes a later bare `ls` list it.
func (z *reader) commandLine(line []byte) (scan.LineKind, bool) {
	z.toks = scan.Fields(line, z.toks[:0])
	ls, cd := -1, -1
	for i, t := range z.toks {
		t = bytes.Trim(t, "\"'`(") // sudo su -c "ls -l ...", $(ls ...)
		switch {
		case string(t) == "ls" || string(t) == "ll" || bytes.HasSuffix(t, []byte("/ls")):
			if ls < 0 {
				ls = i
			}
		case string(t) == "cd":
			if cd < 0 {
				cd = i
			}
		}
	}
	if ls < 0 && cd < 0 {
		ls = lsAlias(line, z.toks)
	}
	if ls < 0 && cd < 0 {
		if z.pwdCommand(z.toks) || z.echoShellCommand(z.toks) || z.assignCommand(z.toks) {
			return scan.Parsed, true
		}
		if kind, ok := z.lsofCount(line, z.toks); ok {
			return kind, true
		}
		if kind, ok := z.echoCount(line, z.toks); ok {
			return kind, true
		}
		if kind, ok := z.findCount(line, z.toks); ok {
			return kind, true
		}
		return z.findLsCommand(line, z.toks)
	}
	first := ls
	if first < 0 || (cd >= 0 && cd < first) {
		first = cd
	}
	// The prompt before the command shows the working directory
	// ("root@host:/proc/1234/fd# ls -l", busybox's "/proc/12/fd # ls").
	z.promptDir(line[:offset(line, z.toks[first])])
	if cd >= 0 && (ls < 0 || cd < ls) {
		end := len(line)
		if ls >= 0 {
			end = offset(line, z.toks[ls])
		}
		z.changeDir(line[offset(line, z.toks[cd]):end], z.toks[cd+1:])
	}
	if ls < 0 {
		return scan.Parsed, true
	}
	z.pdir, z.bareLs = nil, false
	lsName := string(bytes.Trim(z.toks[ls], "\"'`("))
	args := z.toks[ls+1:]
	cmd := line[offset(line, z.toks[ls]):]
	w, single, found := procPath(cmd)
	if found && z.perProcess(line[:offset(line, z.toks[ls])], w) {
		return scan.Parsed, true
	}
	if found && !single && isSelfFD(cmd) {
		w = who{pid: -1, self: true, image: listerImage(lsName)}
	}
	if !found {
		w, found = relativeFD(args, z.procDir)
	}
	if !found && z.procDir == nil {
		w, found = pidRelativeFD(args)
	}
	if !found {
		d, ok := procDir(cmd)
		if !ok {
			d, ok = procExe(cmd)
		}
		switch {
		case ok:
			z.startProcDir(d) // ls -l /proc/1234: its exe names the image
			return scan.Parsed, true
		case z.cwd != nil && !hasPathArg(args):
			w, found = *z.cwd, true
		case z.procDir != nil && !hasPathArg(args):
			z.startProcDir(*z.procDir)
			return scan.Parsed, true
		case !hasPathArg(args) && inFDDir(line[:offset(line, z.toks[ls])]):
			w, found = who{pid: -1}, true // [root@db fd]# ls -l
		default:
			// An ls of something else: the rows after it are not
			// the listing's before it.
			z.endCommand()
			return 0, false
		}
	}
	z.ev.commands++
	if w.key() == "?" && w.all {
		// ls -l /proc/*/fd: the headings name each process.
		z.endCommand()
		return scan.Parsed, true
	}
	z.start(w, !single && !hasFilter(line))
	if z.cur == nil || single {
		return scan.Parsed, true
	}
	opts := args
	if lsName == "ll" {
		opts = append([][]byte{[]byte("-alF")}, opts...) // the alias most distributions define
	}
	if fdcount.CountsLines(line) {
		if extra, ok := fdcount.LsExtra(opts, bytes.Contains(line, []byte("/fd/*"))); ok {
			z.wantCount, z.wcAdjust = z.cur, extra
		}
	} else if some, keepsExtra := fdcount.CountsSomeLines(line); some {
		if extra, ok := fdcount.LsExtra(opts, bytes.Contains(line, []byte("/fd/*"))); ok {
			if !keepsExtra {
				extra = 0
			}
			z.wantHeld, z.wcAdjust = z.cur, extra
		}
	} else if !moreThanNames(opts) {
		// ls /proc/1234/fd: the numbers alone (numbers.go).
		z.bareLs, z.numbersOpen = true, true
	}
	return scan.Parsed, true
}

// An author may list /proc/PID/fd with an alias of ls of their own,
// "lsa /proc/$$/fd" (la, l, lt, or exa, eza, lsd, which print ls -l's
// rows too): the path names the process whose rows follow, as ls's does.
// Read as output of an unknown command, two such listings were one
// process's. The alias is the command's first word, a name that starts
// with "l" (or exa, eza) and is no other command of the kind; a count of
// its lines is not read (what options the alias adds is unknown).

// lsAlias returns the index among toks, the words of line, of an alias
// of ls that lists a /proc/X/fd, -1 if none.
func lsAlias(line []byte, toks [][]byte) int {
	if fdcount.CountsLines(line) {
		return -1
	}
	if some, _ := fdcount.CountsSomeLines(line); some {
		return -1
	}
	cmd := 0 // the command's first word: after the prompt, if any
	for i := 0; i < len(toks) && i < 3; i++ {
		if endsPrompt(toks[i]) {
			cmd = i + 1
			break
		}
	}
	if cmd+1 >= len(toks) || !isLsAliasName(toks[cmd]) {
		return -1
	}
	args := line[offset(line, toks[cmd+1]):]
	if end := bytes.IndexAny(args, "|;&"); end >= 0 {
		args = args[:end]
	}
	if _, _, found := procPath(args); found {
		return cmd
	}
	return -1
}

// endsPrompt reports whether tok ends a shell prompt: "$", "#", "%",
// "❯", or a word that ends in "$" or "#" ("root@db01:~#", "~]$").
func endsPrompt(tok []byte) bool {
	switch string(tok) {
	case "$", "#", "%", "\u276f", ">":
		return true
	}
	n := len(tok)
	return n > 1 && (tok[n-1] == '$' || tok[n-1] == '#')
}

// isLsAliasName reports whether t names an alias of ls, or a program that
// prints ls -l's rows: up to five lowercase letters that start with "l",
// or exa or eza; no command that reads /proc/PID/fd otherwise.
func isLsAliasName(t []byte) bool {
	switch string(t) {
	case "exa", "eza":
		return true
	case "lsof", "less", "ln", "lsfd", "lsns", "lsblk", "lscpu", "lspci", "lsusb", "locate", "look", "lsattr":
		return false
	}
	if len(t) == 0 || len(t) > 5 || t[0] != 'l' {
		return false
	}
	for _, c := range t {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// offset is where tok, a slice of line, starts in line.
func offset(line, tok []byte) int {
	return cap(line) - cap(tok)
}

// relativeFD finds the process of `ls -l fd` run in /proc/PID, the
// directory a cd went to or the prompt shows (dir).
func relativeFD(args [][]byte, dir *who) (who, bool) {
	if dir == nil {
		return who{}, false
	}
	for _, a := range args {
		if isFDDirName(a) {
			return *dir, true
		}
	}
	return who{}, false
}

// pidRelativeFD finds the process of `ls -l 4242/fd` run in /proc, a
// path relative to it (which the prompt need not show): a pid, then fd.
// No other directory has a number's fd beside the /proc it names.
func pidRelativeFD(args [][]byte) (who, bool) {
	for _, a := range args {
		a = bytes.TrimPrefix(a, []byte("./"))
		num, rest, ok := bytes.Cut(a, []byte{'/'})
		if !ok || len(num) == 0 || len(num) > 10 || !scan.AllDigits(num) || !isFDDirName(rest) {
			continue
		}
		if pid, valid := scan.ParseDec(num); valid && pid > 0 {
			return who{pid: pid}, true
		}
	}
	return who{}, false
}

// isFDDirName recognizes "fd" as a path relative to /proc/PID.
func isFDDirName(a []byte) bool {
	switch string(a) {
	case "fd", "fd/", "./fd", "./fd/":
		return true
	}
	return false
}

// procDir finds /proc/PID, a process's directory, in a line: a prompt's
// working directory or cd's argument.
func procDir(line []byte) (who, bool) {
	i := bytes.Index(line, []byte("/proc/"))
	if i < 0 {
		return who{}, false
	}
	rest := line[i+len("/proc/"):]
	j := 0
	for j < len(rest) && scan.IsDigit(rest[j]) {
		j++
	}
	if j == 0 {
		return shellProcDir(rest)
	}
	if j < len(rest) && rest[j] != '$' && rest[j] != '#' && rest[j] != ' ' && rest[j] != ']' && rest[j] != '/' {
		return who{}, false
	}
	if !dirEnds(rest[j:]) {
		return who{}, false // /proc/PID/something: not the directory itself
	}
	pid, ok := scan.ParseDec(rest[:j])
	return who{pid: pid}, ok && pid < 1<<32
}

// dirEnds reports whether what follows /proc/X ends the directory's
// path: nothing, a blank or a prompt's sign, or a '/' with nothing of a
// path after it.
func dirEnds(after []byte) bool {
	return len(after) < 2 || after[0] != '/' || after[1] == ' ' || after[1] == '$' || after[1] == '#'
}

// shellProcDir reads /proc/X where X stands for a process without its
// pid (rest is what follows /proc/): the shell's own ($$, and self,
// which cd resolves to the shell's directory), a variable or a
// placeholder (the process of unknown pid), or $(pidof NAME), which
// names it by image. `cd /proc/$$` then `ls -l fd` lists the shell's
// descriptors. Other names under /proc (sys, net, meminfo) are no
// process's directory.
func shellProcDir(rest []byte) (who, bool) {
	var end int
	switch {
	case bytes.HasPrefix(rest, []byte("$(")):
		end = bytes.IndexByte(rest, ')') + 1
	case len(rest) > 0 && rest[0] == '`':
		end = bytes.IndexByte(rest[1:], '`') + 2
	default:
		end = bytes.IndexAny(rest, " /]")
		if end < 0 {
			end = len(rest)
		}
	}
	if end <= 0 || end > 200 || !dirEnds(rest[end:]) {
		return who{}, false
	}
	name := rest[:end]
	if !bytes.HasPrefix(name, []byte("$")) && name[0] != '`' && name[0] != '<' &&
		string(name) != "self" && string(name) != "thread-self" {
		return who{}, false
	}
	w, ok := procName(name)
	if !ok || w.all {
		return who{}, false
	}
	return w, true
}

// procExe finds /proc/PID/exe, a process's executable's link, in a
// command line.
func procExe(cmd []byte) (who, bool) {
	i := bytes.Index(cmd, []byte("/proc/"))
	if i < 0 {
		return who{}, false
	}
	rest := cmd[i+len("/proc/"):]
	num, after, ok := bytes.Cut(rest, []byte("/exe"))
	if !ok || !scan.AllDigits(num) || len(after) > 0 && after[0] != ' ' && after[0] != '|' && after[0] != ';' {
		return who{}, false
	}
	pid, ok := scan.ParseDec(num)
	return who{pid: pid}, ok && pid < 1<<32
}

// procPath finds /proc/X/fd in a command line and the process X names;
// single says the path goes on to one descriptor (/proc/X/fd/5).
func procPath(line []byte) (w who, single, found bool) {
	i := bytes.Index(line, []byte("/proc/"))
	if i < 0 {
		return who{}, false, false
	}
	rest := line[i+len("/proc/"):]
	j := bytes.Index(rest, []byte("/fd"))
	if j < 0 {
		return who{}, false, false
	}
	after := rest[j+len("/fd"):]
	if len(after) > 0 {
		switch c := after[0]; {
		case c == '/':
			single = len(after) > 1 && scan.IsDigit(after[1])
		case c == ' ', c == '|', c == ';', c == ')', c == '"', c == '\'', c == '`', c == ':',
			c == '#', c == '$', c == ']', c == '>', c == '&':
			// The end of a word, of a command or of a prompt
			// ("root@host:/proc/1234/fd# ").
		default:
			return who{}, false, false // /proc/X/fdinfo
		}
	}
	w, ok := procName(rest[:j])
	return w, single, ok
}

// procName reads what stands for a process in /proc/X/fd: a pid;
// $(pidof NAME) or $(pgrep NAME), which name it by image; self, $$, a
// variable or a placeholder, which leave it unknown; a glob (*,
// [0-9]*) for several processes.
func procName(b []byte) (who, bool) {
	unknown := who{pid: -1}
	if i := bytes.Index(b, []byte("/task/")); i > 0 {
		b = b[:i] // /proc/PID/task/TID/fd: a thread's, which are its process's
	}
	switch {
	case len(b) == 0 || len(b) > 200:
		return who{}, false
	case scan.AllDigits(b):
		pid, ok := scan.ParseDec(b)
		return who{pid: pid}, ok && pid < 1<<32
	case bytes.ContainsAny(b, "*?[") && !bytes.ContainsAny(b, "$`"):
		// /proc/*/fd, /proc/[0-9]*/fd: several processes, each under
		// its heading.
		unknown.all = true
		return unknown, true
	}
	inner := b
	switch {
	case bytes.HasPrefix(inner, []byte("$(")) && bytes.HasSuffix(inner, []byte(")")):
		inner = inner[2 : len(inner)-1]
	case len(inner) > 1 && inner[0] == '`' && inner[len(inner)-1] == '`':
		inner = inner[1 : len(inner)-1]
	default:
		unknown.shell = string(b) == "$$"
		unknown.variable = variableOf(b)
		return unknown, true // self, $$, $PID, <pid>
	}
	f := bytes.Fields(inner)
	if len(f) < 2 || (string(f[0]) != "pidof" && string(f[0]) != "pgrep") {
		return unknown, true
	}
	name := f[len(f)-1]
	if name[0] == '-' {
		return unknown, true
	}
	unknown.image = string(name)
	return unknown, true
}

// hasPathArg reports whether ls is given a path to list (not its
// options alone), after which the prompt's directory is not what it
// lists.
func hasPathArg(args [][]byte) bool {
	for _, a := range args {
		end := false
		if i := bytes.IndexAny(a, "|;&>"); i >= 0 {
			a, end = a[:i], true // the end of the ls command: "-l|grep"
		}
		if len(a) > 0 && a[0] != '-' {
			return true
		}
		if end {
			return false
		}
	}
	return false
}

// hasFilter reports whether the command pipes the listing through a
// command that may leave rows out: any but those that pass every row on.
func hasFilter(line []byte) bool {
	for _, part := range bytes.Split(line, []byte("|"))[1:] {
		part = scan.TrimSpace(part)
		name := part
		if i := bytes.IndexByte(part, ' '); i >= 0 {
			name = part[:i]
		}
		if len(name) == 0 || !slices.Contains(fdcount.PassThrough, string(name)) {
			return true
		}
	}
	return false
}
