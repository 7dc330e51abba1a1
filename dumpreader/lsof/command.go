package lsof

import (
	"bytes"
	"github.com/leakdiag/leakdiag/dumpreader/internal/filetable"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// lsofCommand is what the latest lsof command line a capture shows says
// about the listing after it.
type lsofCommand struct {
	line int64
	// filter names the option, file name or pipe that makes lsof (or what
	// its output went through) list only some descriptors of a process
	// ("-i", "/var/log", "| grep"), "" when there is none.
	filter string
	// pidExpr is the command substitution -p selects the process by
	// ("$(pgrep -f app)"), "" if none (fdcount.go).
	pidExpr string
	// wideNames: the command sets how much of a command name lsof prints
	// (+c w), so a name of lsofNameWidth characters is not cut.
	wideNames bool
}

// messageLine reads what lsof prints on standard error, which captures
// made with 2>&1 hold amid the listing.
func (r *lsofReader) messageLine(line []byte) (scan.LineKind, bool) {
	switch {
	case scan.HasPrefix(line, "lsof: "):
		sev := facts.SevWarning
		if bytes.Contains(line, []byte("WARNING")) {
			// Warnings name a file system lsof could not stat (fuse,
			// tracefs): only files on it may be missing.
			sev = facts.SevInfo
		}
		r.log.Diag(r.lineNo, sev, CodeToolWarning, "lsof says: %s", scan.QuoteLine(line[len("lsof: "):]))
		return scan.Ignored, true
	case string(line) == "Output information may be incomplete.",
		scan.HasPrefix(line, "assuming \"dev="),
		scan.HasPrefix(line, "[sudo] password for "):
		// The second line of a warning, and sudo's prompt.
		return scan.Ignored, true
	}
	return 0, false
}

// commandLine reads a shell command line: after a prompt ("$ ", "# ",
// "user@host:~$ ", "[root@host ~]# "), or an lsof command without one.
// An lsof command tells how the listing after it was selected; the
// output of another command is not read.
func (r *lsofReader) commandLine(line []byte) (scan.LineKind, bool) {
	cmd, prompted := lsofPrompt(line)
	if _, _, fdList := fdListCommand(line); !prompted && fdList {
		cmd = line // ls -l /proc/PID/fd pasted without its prompt (fdlist.go)
	} else if !prompted {
		if !scan.HasPrefix(line, "lsof ") && string(line) != "lsof" && !scan.HasPrefix(line, "sudo lsof") && !isLsofPath(line) {
			return 0, false
		}
		if isOwnRow(line) {
			return 0, false
		}
		cmd = line
	}
	chain, chained := chainOf(cmd)
	if chained {
		cmd = chain.last // the rows after the line are its (chain.go)
	}
	sp := lsofSpans(cmd, nil)
	words := make([][]byte, len(sp))
	for i, s := range sp {
		words[i] = cmd[s.start:s.end]
	}
	words = skipCommandPrefix(words)
	if len(words) > 1 && string(words[0]) == "#" {
		// "# # ps -ef": a root prompt pasted as a shell comment; the
		// command is the one after it.
		words = skipCommandPrefix(words[1:])
	}
	if len(words) > 0 && len(words[0]) > 1 {
		if i := bytes.IndexByte(words[0][1:], '|') + 1; i > 0 {
			// "lsof|grep -c x": the pipe glued to the command's name
			// starts the words after it.
			words = append([][]byte{words[0][:i], words[0][i:]}, words[1:]...)
		}
	}
	if len(words) == 0 || !isCommandName(words[0]) {
		return 0, false
	}
	r.endSet()
	r.setHeader(lsofHeader{})
	r.psCommand(words)
	name := words[0]
	if i := bytes.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if string(name) != "lsof" {
		r.cmd = lsofCommand{}
		r.foreign = string(name)
		if k := filetable.Command(cmd); k != filetable.None {
			r.wantFileTable = k // its figures are the next line
			return scan.Parsed, true
		}
		if c, ok := fdcount.Command(cmd); ok {
			r.fdCount = &c // its count is the next line (fdcount.go)
			return scan.Parsed, true
		}
		if pid, filtered, ok := fdListCommand(cmd); ok {
			r.fdList = &fdList{pid: pid, line: r.lineNo, filtered: filtered} // fdlist.go
			return scan.Parsed, true
		}
		if r.ps.cols != nil {
			return scan.Parsed, true // its rows are read (ps.go)
		}
		if !r.foreignSeen[r.foreign] && len(r.foreignSeen) < 64 {
			// At most so many names are remembered: a capture of endless
			// prompts must not grow the reader's memory with its lines.
			r.foreignSeen[r.foreign] = true
			r.log.Diag(r.lineNo, facts.SevInfo, facts.CodeIgnoredCommand, filetable.IgnoredNote(r.foreign), r.foreign)
		}
		return scan.Parsed, true
	}
	r.foreign = ""
	r.ev.commands++
	r.cmd = lsofCommand{line: r.lineNo, filter: lsofFilter(words[1:]), pidExpr: pidSubstitution(cmd), wideNames: setsNameWidth(words[1:])}
	r.summary.Active = fdcount.Summarizes(cmd) // its lines count rows (summary.go)
	r.listing, r.listingRows = r.listing+1, 0
	if chained && (len(chain.counts) > 0 || chain.dates > 0) {
		// Its commands print counts and dates before any row.
		if len(chain.counts) > 0 {
			r.wcCount, r.wcThrough, r.chainCounts = true, chain.counts[0], chain.counts[1:]
			r.wcNoPID = chain.noPID
		}
		r.chainDates = chain.dates
		if wc, _ := pipesToWc(cmd); wc {
			return scan.Parsed, true
		}
	} else if wc, through := pipesToWc(cmd); wc {
		// It prints a count of lines, not rows (wccount.go).
		r.wcCount, r.wcThrough = true, through
		r.wcNoPID = !numericPID(words[1:])
		return scan.Parsed, true
	}
	if r.cmd.filter != "" && !r.summary.Active {
		r.log.Diag(r.lineNo, facts.SevInfo, scan.CodePartial,
			"this lsof command lists only some descriptors of a process (%s): the handle counts of the processes it lists are not set",
			r.cmd.filter)
	}
	return scan.Parsed, true
}

// isLsofPath reports whether line, pasted without a prompt, runs lsof by
// its path ("/usr/sbin/lsof -p 4242 | grep app.log", "sudo
// /usr/bin/lsof"): a host whose PATH lacks /usr/sbin shows it so. No row
// starts with a path: lsof's COMMAND is a name, at most 9 characters of
// it, without its directory.
func isLsofPath(line []byte) bool {
	line, _ = bytes.CutPrefix(line, []byte("sudo "))
	if len(line) == 0 || line[0] != '/' {
		return false
	}
	word := line
	if i := bytes.IndexAny(line, " \t|"); i >= 0 {
		word = line[:i]
	}
	return bytes.HasSuffix(word, []byte("/lsof"))
}

// isOwnRow reports whether line, which starts with "lsof", is a row lsof
// printed about itself ("lsof 12533 admin txt REG ..."): `lsof | grep`
// and a listing of every process show lsof's own rows, whose COMMAND is
// lsof and whose next word is its pid. No lsof command line has a bare
// number for its first argument (a pid goes after -p).
func isOwnRow(line []byte) bool {
	if !scan.HasPrefix(line, "lsof ") {
		return false
	}
	rest := scan.TrimSpace(line[len("lsof"):])
	end := bytes.IndexAny(rest, " \t")
	if end < 0 {
		return false // "lsof 123" alone has no columns after the pid
	}
	return scan.AllDigits(rest[:end])
}

// lsofPrompt returns the command after a shell prompt at the start of
// line. A prompt is "$ ", "# " or "% ", alone or after a user@host, a
// [user@host dir] or a bash-5.1 prefix: prose with a dollar sign in it
// has none of those.
func lsofPrompt(line []byte) ([]byte, bool) {
	if cmd, ok := scan.CutTwoLinePrompt(line); ok {
		return cmd, len(cmd) > 0 // Kali's └─$, oh-my-zsh's ╰─#
	}
	if rest, ok := bytes.CutPrefix(line, []byte(zshArrow)); ok {
		return zshPrompt(rest)
	}
	if cmd, ok := dirPrompt(line); ok {
		return cmd, true
	}
	end := promptEnd(line)
	if end < 0 {
		return bracketPrompt(line)
	}
	prefix := cutEnvPrefix(bytes.TrimRight(line[:end], " "))
	if len(prefix) > 0 && !isPromptPrefix(prefix) && !(line[end] == '%' && isZshPrefix(prefix)) && !isGentooPrefix(prefix, line[end]) {
		return nil, false
	}
	cmd := scan.TrimSpace(line[end+2:])
	return cmd, len(cmd) > 0
}

// zshArrow starts the prompt of oh-my-zsh's default theme, the one most
// macOS pastes show: "➜  dir git:(branch) ✗ command".
const zshArrow = "\u279c"

// zshPrompt returns the command after the arrow of oh-my-zsh's prompt:
// past the directory, and the repository's branch and dirty mark when
// the directory is a repository.
func zshPrompt(rest []byte) ([]byte, bool) {
	rest = scan.TrimSpace(rest)
	i := bytes.IndexByte(rest, ' ')
	if i < 0 {
		return nil, false // the prompt alone, or only a directory
	}
	rest = scan.TrimSpace(rest[i:])
	if scan.HasPrefix(rest, "git:(") || scan.HasPrefix(rest, "hg:(") || scan.HasPrefix(rest, "svn:(") {
		end := bytes.IndexByte(rest, ')')
		if end < 0 {
			return nil, false
		}
		rest = scan.TrimSpace(rest[end+1:])
	}
	if r, ok := bytes.CutPrefix(rest, []byte("\u2717")); ok {
		rest = scan.TrimSpace(r)
	}
	return rest, len(rest) > 0
}

// promptEnd returns where the first "$ ", "# " or "% " starts among the
// first 120 bytes of line, -1 if nowhere. Every row of a listing is
// looked at, and few hold any of the three: each is searched for on its
// own, a fast scan, rather than every byte tested for all three.
func promptEnd(line []byte) int {
	head := line[:max(0, min(len(line)-1, 120))] // a start, with a byte after it
	end := len(head)
	for _, c := range [...]byte{'$', '#', '%'} {
		for off := 0; off < end; {
			j := bytes.IndexByte(head[off:end], c)
			if j < 0 {
				break
			}
			if line[off+j+1] == ' ' {
				end = off + j
				break
			}
			off += j + 1
		}
	}
	if end == len(head) {
		return -1
	}
	return end
}

// isPromptPrefix reports whether p is what shells print before "$ ":
// user@host:~/dir, [user@host dir], [host] (a PS1 of '[\h]\$ '),
// bash-5.1, sh-4.2 (-bash-4.2 in a login shell), macOS's host:dir user,
// user@ :~ where whoever pasted it blanked the host name out, and the
// working directory alone, busybox ash's default ("/ # ", "~/src $ ").
func isPromptPrefix(p []byte) bool {
	if isMacPrompt(p) {
		return true
	}
	bracket := false
	for i, c := range p {
		switch {
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case c == ' ':
			if !bracket && !isBlankedHost(p, i) && !isBetweenBrackets(p, i) {
				return false
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', scan.IsDigit(c),
			c == '.', c == '_', c == '-', c == '@', c == ':', c == '~', c == '/':
		default:
			return false
		}
	}
	return bytes.IndexByte(p, '@') >= 0 || isShellVersion(p) || isHostDir(p) || isBracketHost(p) || isDirAlone(p)
}

// isShellVersion reports whether p is the prompt bash and sh print when
// PS1 is unset, "bash-5.1" or "sh-4.2", with the "-" of a login shell
// before it ("-bash-4.2", a Red Hat root shell's).
func isShellVersion(p []byte) bool {
	p = bytes.TrimPrefix(p, []byte("-"))
	return scan.HasPrefix(p, "bash-") || scan.HasPrefix(p, "sh-")
}

// isDirAlone reports whether p is a working directory alone, as busybox
// ash's default PS1 ('\w \$ ') prints it in most container images ("/",
// "/srv/app", "~"): a path from '/' or '~', which the loop of
// isPromptPrefix has checked holds no blank.
func isDirAlone(p []byte) bool {
	return len(p) > 0 && (p[0] == '/' || p[0] == '~') && bytes.IndexAny(p, "[]@:") < 0
}

// cutEnvPrefix returns p without the "(name) " a Python virtualenv or a
// conda environment puts before the prompt: "(base) root@db:~",
// "(venv) mac:src ann".
func cutEnvPrefix(p []byte) []byte {
	if len(p) < 4 || p[0] != '(' {
		return p
	}
	end := bytes.IndexByte(p, ')')
	if end < 2 || end+1 >= len(p) || p[end+1] != ' ' || bytes.IndexByte(p[1:end], ' ') >= 0 {
		return p
	}
	return bytes.TrimLeft(p[end+1:], " ")
}

// isMacPrompt reports whether p is the prompt macOS's bash printed by
// default, "host:dir user" (PS1 '\h:\W \u\$ '): "mbp:src ann".
func isMacPrompt(p []byte) bool {
	hostDir, user, ok := bytes.Cut(p, []byte(" "))
	if !ok || len(user) == 0 || !isName(user) {
		return false
	}
	host, dir, ok := bytes.Cut(hostDir, []byte(":"))
	return ok && len(host) > 0 && len(dir) > 0 && isName(host) && bytes.IndexByte(dir, ':') < 0
}

// bracketPrompt returns the command after a prompt in brackets whose "$"
// or "#" was lost on the way to the page ("[root@fuel ~] lsof", a "#"
// markdown took for a heading mark): the brackets hold user@host and the
// directory, as Red Hat's prompt does.
//
// Or the "$" or "#" is there with no blank after it, as a PS1 of
// '[\u@\h:\w]\$' prints it: "[root@db01:~]#lsof -p 1".
func bracketPrompt(line []byte) ([]byte, bool) {
	j := bytes.IndexByte(line, ']')
	if len(line) < 4 || line[0] != '[' || j < 0 || j > 120 || j+1 >= len(line) ||
		bytes.IndexByte(line[:j], '@') < 0 || !isPromptPrefix(line[:j+1]) {
		return nil, false
	}
	k := j + 1
	switch {
	case line[k] == ' ':
	case (line[k] == '$' || line[k] == '#') && k+1 < len(line) && line[k+1] != ' ':
	default:
		return nil, false
	}
	cmd := scan.TrimSpace(line[k+1:])
	return cmd, len(cmd) > 0
}

// isZshPrefix reports whether p is what zsh's default prompt prints
// before "% " (macOS's shell since Catalina): "user@host dir" (PROMPT
// '%n@%m %1~ %# ') or the directory alone ('%1~ %# '), which starts
// with "~" or "/" there, as no word of prose does before a "%".
func isZshPrefix(p []byte) bool {
	userHost, dir, two := bytes.Cut(p, []byte(" "))
	if !two {
		dir = p
	} else {
		user, host, ok := bytes.Cut(userHost, []byte("@"))
		if !ok || len(user) == 0 || len(host) == 0 || !isName(user) || !isName(host) {
			return false
		}
	}
	if len(dir) == 0 || bytes.IndexByte(dir, ' ') >= 0 || (!two && dir[0] != '~' && dir[0] != '/') {
		return false
	}
	for _, c := range dir {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || scan.IsDigit(c) || bytes.IndexByte([]byte("~/._-"), c) >= 0) {
			return false
		}
	}
	return true
}

// isGentooPrefix reports whether p is what Gentoo's bash prompt prints
// before "$ " or "# ": "user@host dir" (PS1 '\u@\h \w \$ ', a user's),
// the shape of zsh's default, or "host dir" before a "#" (root's, PS1
// '\h \w \$ '): "ann@dev03 ~ $ ", "dev03 /var/log # ". The directory
// starts with '~' or '/', which prose before a "#" ("see note # 3") does
// not.
func isGentooPrefix(p []byte, mark byte) bool {
	host, dir, ok := bytes.Cut(p, []byte(" "))
	if !ok || mark == '%' || len(dir) == 0 || (dir[0] != '~' && dir[0] != '/') {
		return false
	}
	if bytes.IndexByte(host, '@') >= 0 {
		return isZshPrefix(p)
	}
	return mark == '#' && len(host) > 0 && (host[0] >= 'a' && host[0] <= 'z' || host[0] >= 'A' && host[0] <= 'Z') &&
		isName(host) && isZshPrefix(dir)
}

// isName reports whether b is a host or user name: letters, digits, '-',
// '.' and '_'.
func isName(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || scan.IsDigit(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// isBracketHost reports whether p is a host name in brackets, "[web01]"
// or "[web01 ~]": the loop of isPromptPrefix has checked its characters.
// The name starts with a letter, as host names do and a footnote mark
// ("[1]$ 5") does not; prose puts no other bracketed word before "$ ".
func isBracketHost(p []byte) bool {
	if len(p) < 3 || p[0] != '[' || p[len(p)-1] != ']' || bytes.IndexByte(p[1:len(p)-1], '[') >= 0 {
		return false
	}
	c := p[1]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isHostDir reports whether p is "host:dir", the prompt of BusyBox,
// Alpine and many container images (PS1 '\h:\w\$ '): "web-1:/$ ",
// "box:~/src# ". The directory starts with '/' or '~', which prose
// before a dollar sign ("Price:$ 5") does not.
func isHostDir(p []byte) bool {
	host, dir, ok := bytes.Cut(p, []byte(":"))
	if !ok || len(host) == 0 || len(dir) == 0 || (dir[0] != '/' && dir[0] != '~') || bytes.IndexByte(dir, ':') >= 0 {
		return false
	}
	for _, c := range host {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || scan.IsDigit(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// isBetweenBrackets reports whether the blank at p[i] parts two
// bracketed groups, as a PS1 of '[\t] [\u@\h \W]\$ ' prints a time before
// the usual prompt: "[12:10:50] [root@db ~]".
func isBetweenBrackets(p []byte, i int) bool {
	j, k := blanksAround(p, i)
	return j > 0 && p[j-1] == ']' && k < len(p) && p[k] == '['
}

// isBlankedHost reports whether the blank at p[i] stands for a host name
// left out: it is among blanks between "user@" and ":dir".
func isBlankedHost(p []byte, i int) bool {
	j, k := blanksAround(p, i)
	return j > 1 && p[j-1] == '@' && k < len(p) && p[k] == ':'
}

// blanksAround returns where the run of blanks at or around p[i] starts
// (j) and ends (k, past its last blank).
func blanksAround(p []byte, i int) (j, k int) {
	j, k = i, i
	for j > 0 && p[j-1] == ' ' {
		j--
	}
	for k < len(p) && p[k] == ' ' {
		k++
	}
	return j, k
}

// skipCommandPrefix drops what runs a command without being it: sudo
// (and its options), time, env, VAR=value assignments.
func skipCommandPrefix(w [][]byte) [][]byte {
	for len(w) > 0 {
		switch {
		case string(w[0]) == "sudo", string(w[0]) == "time", string(w[0]) == "env", string(w[0]) == "command", string(w[0]) == "exec":
			w = w[1:]
			for len(w) > 0 && w[0][0] == '-' {
				// sudo -E; sudo -u app and the other options of sudo
				// whose value is the next word.
				valued := len(w[0]) == 2 && bytes.IndexByte([]byte("ugUChprtDRT"), w[0][1]) >= 0
				w = w[1:]
				if valued && len(w) > 0 {
					w = w[1:]
				}
			}
		case bytes.IndexByte(w[0], '=') > 0 && bytes.IndexByte(w[0], '/') < 0 && w[0][0] != '-':
			w = w[1:]
		default:
			return w
		}
	}
	return w
}

// lsofFilter returns what in lsof's arguments makes it list only some
// descriptors of the processes it lists, or "". Selecting processes (-p,
// -u, -c, -g) does not: lsof lists each of them whole.
func lsofFilter(args [][]byte) string {
	args = splitPipes(args)
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a[0] == '|':
			next := a[1:]
			if len(next) == 0 && i+1 < len(args) {
				next = args[i+1]
			}
			switch string(next) {
			case "cat", "less", "more", "tee", "expand", "col":
				return ""
			}
			return "| " + string(next)
		case a[0] == '>' || scan.HasPrefix(a, "2>") || scan.HasPrefix(a, "1>") || scan.HasPrefix(a, "&>"):
			if len(a) == 1 || string(a) == "2>" || string(a) == "1>" || string(a) == "&>" {
				i++ // the file redirected to
			}
		case string(a) == "--":
		case a[0] == '-' || a[0] == '+':
			f, skip := lsofOptionFilter(a, i+1 < len(args) && args[i+1][0] != '-' && bytes.IndexByte(args[i+1], ':') >= 0)
			if f != "" {
				return f
			}
			if skip {
				i++
			}
		case a[0] == '/' || a[0] == '.' || a[0] == '~':
			return string(a)
		}
	}
	return ""
}

// splitPipes returns args with each word that runs into a pipe ("-n|grep",
// "-p 1|wc") cut before its '|', so that the pipe reads as when blanks
// surround it.
func splitPipes(args [][]byte) [][]byte {
	var out [][]byte
	for _, a := range args {
		for len(a) > 1 {
			i := bytes.IndexByte(a[1:], '|') + 1
			if i == 0 {
				break
			}
			out = append(out, a[:i])
			a = a[i:]
		}
		out = append(out, a)
	}
	return out
}

// lsofOptionFilter reads one group of options ("-nP", "-iTCP:80",
// "+D"): the option that selects descriptors, if any, and whether its
// value is the next argument. nextIsState says the next argument reads
// as a -s protocol state (TCP:LISTEN).
func lsofOptionFilter(a []byte, nextIsState bool) (filter string, skipNext bool) {
	plus := a[0] == '+'
	for j := 1; j < len(a); j++ {
		attached := j+1 < len(a)
		switch c := a[j]; c {
		case 'i', 'U', 'N':
			return "-" + string(c), false
		case 'd', 'D':
			if plus || c == 'd' {
				return string(a[0]) + string(c), !attached
			}
			return "", !attached // -D: the device cache function
		case 's':
			if attached && bytes.IndexByte(a[j+1:], ':') >= 0 {
				return "-s" + string(a[j+1:]), false
			}
			if !attached && nextIsState {
				return "-s", true
			}
			return "", false
		case 'p', 'u', 'c', 'k', 'm', 'A', 'e':
			return "", !attached
		case 'F', 'T', 'r', 'S', 'o', 'x', 'L', 'f', 'K', 'g', 'z', 'Z':
			return "", false // an optional value, attached when given
		}
	}
	return "", false
}

// isCommandName reports whether the first word after a prompt can name
// a command: a bare number cannot (the row of another command's output
// pasted as a shell comment, "#     734 nginx root", whose "# " reads as
// a root prompt), nor a lone "#".
func isCommandName(w []byte) bool {
	return len(w) > 0 && w[0] != '#' && !scan.AllDigits(w)
}

// isPromptLine recognizes a prompt that holds no command: a shell's
// alone on its line ("[admin@db01 ops]$", "root@db01:~#", "$"), as an
// author's paste ends with it, or a line of a two-line prompt, its first
// ("┌──(kali㉿kali)-[~]") or its second alone.
func isPromptLine(line []byte) bool {
	if scan.IsBareShellPrompt(line) {
		return true
	}
	if _, ok := scan.TwoLinePromptHead(line); ok {
		return true
	}
	cmd, ok := scan.CutTwoLinePrompt(line)
	return ok && len(cmd) == 0
}

// setsNameWidth reports whether an lsof command's words set the width of
// the command names it prints: +c w (+c 0 for all of it, +c15).
func setsNameWidth(args [][]byte) bool {
	for _, a := range args {
		if bytes.HasPrefix(a, []byte("+c")) {
			return true
		}
	}
	return false
}
