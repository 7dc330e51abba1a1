package fdcount

import (
	"bytes"
)

// Count is a command line that counts one process's descriptors.
type Count struct {
	// Target is what stands for the process in /proc/X/fd: its pid, or
	// the command substitution that finds it ("$(pgrep -f app)").
	Target string
	// Extra is the lines the command prints besides the descriptors.
	Extra int64
}

// Command reads cmd, a command line without its prompt, that counts one
// process's descriptors: ls or find of /proc/X/fd piped into wc -l
// through nothing that leaves lines out. ok is false for any other
// command, for several processes (/proc/*/fd) and for options that make
// the lines other than one per descriptor.
func Command(cmd []byte) (c Count, ok bool) {
	if !CountsLines(cmd) {
		return Count{}, false
	}
	toks := bytes.Fields(cmd)
	at, find := -1, false
	for i, t := range toks {
		if t[0] == '|' {
			break
		}
		switch t = bytes.Trim(t, "\"'`("); {
		case string(t) == "ls" || string(t) == "ll" || bytes.HasSuffix(t, []byte("/ls")):
		case string(t) == "find" || bytes.HasSuffix(t, []byte("/find")):
			find = true
		default:
			continue
		}
		at = i
		break
	}
	if at < 0 {
		return Count{}, false
	}
	target, files, ok := Target(cmd)
	if !ok {
		return Count{}, false
	}
	args := toks[at+1:]
	var extra int64
	switch {
	case find:
		extra, ok = FindExtra(args, files)
	case string(bytes.Trim(toks[at], "\"'`(")) == "ll":
		extra, ok = LsExtra(append([][]byte{[]byte("-alF")}, args...), files)
	default:
		extra, ok = LsExtra(args, files)
	}
	if !ok {
		return Count{}, false
	}
	return Count{Target: string(target), Extra: extra}, true
}

// Target finds /proc/X/fd in cmd and returns X when it names one process:
// a pid, a command substitution ($(pgrep -f app), `pidof app`), or a
// shell variable ($pid, ${PID}: as "$pid"). files says the path is the
// descriptors themselves (/proc/X/fd/*).
func Target(cmd []byte) (target []byte, files, ok bool) {
	i := bytes.Index(cmd, []byte("/proc/"))
	if i < 0 {
		return nil, false, false
	}
	rest := cmd[i+len("/proc/"):]
	end := -1
	switch {
	case bytes.HasPrefix(rest, []byte("$(")):
		end = SubstitutionEnd(rest)
	case bytes.HasPrefix(rest, []byte("`")):
		if j := bytes.IndexByte(rest[1:], '`'); j >= 0 {
			end = j + 2
		}
	case bytes.HasPrefix(rest, []byte("$")):
		name, n := Variable(rest)
		if n == 0 || !bytes.HasPrefix(rest[n:], []byte("/fd")) {
			return nil, false, false
		}
		after := rest[n+len("/fd"):]
		if len(after) > 0 && after[0] != ' ' && after[0] != '/' && after[0] != '|' && after[0] != '"' && after[0] != '\'' {
			return nil, false, false
		}
		return name, bytes.HasPrefix(after, []byte("/*")), true
	default:
		for end = 0; end < len(rest) && rest[end] >= '0' && rest[end] <= '9'; end++ {
		}
		if end == 0 {
			end = -1
		}
	}
	if end < 0 || end > 200 {
		return nil, false, false
	}
	after := rest[end:]
	if !bytes.HasPrefix(after, []byte("/fd")) {
		return nil, false, false
	}
	after = after[len("/fd"):]
	if len(after) > 0 && after[0] != ' ' && after[0] != '/' && after[0] != '|' && after[0] != '"' && after[0] != '\'' {
		return nil, false, false // /proc/1/fdinfo
	}
	return rest[:end], bytes.HasPrefix(after, []byte("/*")), true
}

// SubstitutionEnd returns the end of the $(...) that b starts with, past
// its closing parenthesis, -1 if it does not close.
func SubstitutionEnd(b []byte) int {
	depth := 0
	for i, c := range b {
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// Variable reads the shell variable b starts with, $name or ${name}, and
// returns it as "$name" with the length it takes in b; n is 0 when b
// starts with none ($$, $1, $(...) are no variable that names a process
// the same way in two commands).
func Variable(b []byte) (name []byte, n int) {
	if len(b) < 2 || b[0] != '$' {
		return nil, 0
	}
	i, braced := 1, b[1] == '{'
	if braced {
		i = 2
	}
	start := i
	for i < len(b) && i-start < 64 && (b[i] == '_' || b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || i > start && b[i] >= '0' && b[i] <= '9') {
		i++
	}
	if i == start {
		return nil, 0
	}
	name = append([]byte{'$'}, b[start:i]...)
	if braced {
		if i >= len(b) || b[i] != '}' {
			return nil, 0
		}
		i++
	}
	return name, i
}
