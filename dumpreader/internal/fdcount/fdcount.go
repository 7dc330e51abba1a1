// Package fdcount reads the shell commands that count a Linux process's
// descriptors: `ls /proc/PID/fd | wc -l`, `find /proc/PID/fd | wc -l`, and
// what the lines they count hold besides descriptors (ls's "total" row and
// dots, the directory find prints first). Package procfd reads them in
// listings of /proc, package lsof where they are pasted beside lsof's rows.
package fdcount

import (
	"bytes"
	"slices"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// PassThrough are the commands that, after a pipe, show every row of a
// listing: any other (grep, head, a count) leaves rows out or prints
// something else.
var PassThrough = []string{"sort", "less", "more", "cat", "tee", "column"}

// CountsLines reports whether the command pipes the listing into `wc -l`
// (or elvish's `count`) through nothing but commands that pass every row
// on: then the number it prints counts the listing's lines. A grep before the count counts
// some of them.
func CountsLines(line []byte) bool {
	for _, part := range bytes.Split(line, []byte("|"))[1:] {
		f := bytes.Fields(part)
		if len(f) == 0 {
			return false
		}
		name := string(bytes.Trim(f[0], "\"'`()"))
		if name == "wc" {
			return wcCountsLines(f[1:])
		}
		if name == "count" && len(f) == 1 {
			return true // elvish's count: the lines a command printed
		}
		if !slices.Contains(PassThrough, name) {
			return false
		}
	}
	return false
}

// Filters are the commands that, after a pipe, pass on some of a
// listing's rows as they are: the number `| wc -l` prints after one
// counts rows the listing has.
var Filters = []string{"grep", "egrep", "fgrep", "head", "tail"}

// CountsSomeLines reports whether the command pipes the listing into `wc
// -l` through a filter (grep socket, head), or into a `grep -c`, and
// nothing that prints other lines: the number it prints counts some of
// the listing's rows, so many
// descriptors the process held at once, though not all of them. extra
// says a filter may keep the lines ls prints besides the descriptors
// (head, tail, grep -v keep "total"; a grep for a pattern, socket or
// pipe, keeps only rows of descriptors).
func CountsSomeLines(line []byte) (ok, extra bool) {
	filtered := false
	parts := bytes.Split(line, []byte("|"))[1:]
	for i, part := range parts {
		f := bytes.Fields(part)
		if len(f) == 0 {
			return false, false
		}
		name := string(bytes.Trim(f[0], "\"'`()"))
		switch {
		case name == "wc":
			return filtered && wcCountsLines(f[1:]), extra
		case slices.Contains(Filters, name):
			filtered = true
			grep := strings.HasSuffix(name, "grep")
			extra = extra || !grep || invertsMatch(f[1:])
			if grep && GrepCounts(f[1:]) {
				// grep -c prints the count of the lines it keeps, as
				// `| grep | wc -l` does: the command's last.
				return i == len(parts)-1, extra
			}
		case !slices.Contains(PassThrough, name):
			return false, false
		}
	}
	return false, false
}

// GrepCounts reports whether grep's arguments args ask it to print the
// count of the lines it keeps rather than the lines: -c among its short
// options ("-c", "-ic", "-vc") or --count, before the pattern (after
// "--" every word is one).
func GrepCounts(args [][]byte) bool {
	for _, a := range args {
		switch {
		case string(a) == "--":
			return false
		case string(a) == "--count":
			return true
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && bytes.IndexByte(a[1:], 'c') >= 0:
			return true
		}
	}
	return false
}

// invertsMatch reports whether grep's arguments args hold -v (alone or
// among other letters) or --invert-match.
func invertsMatch(args [][]byte) bool {
	for _, a := range args {
		switch {
		case string(a) == "--invert-match":
			return true
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && bytes.IndexByte(a, 'v') > 0:
			return true
		}
	}
	return false
}

// wcCountsLines reports whether wc given args prints the count of lines
// it reads: with -l (alone or among other counts: wc prints lines first),
// or with no option at all (lines, words and bytes).
func wcCountsLines(args [][]byte) bool {
	option := false
	for _, a := range args {
		a = bytes.Trim(a, "\"'`()")
		switch {
		case string(a) == "--lines":
			return true
		case scan.HasPrefix(a, "--"):
			option = true
		case len(a) > 1 && a[0] == '-':
			if bytes.IndexByte(a, 'l') > 0 {
				return true
			}
			option = true
		}
	}
	return !option
}

// LsExtra is how many lines ls with options args prints besides the
// descriptors, for `| wc -l`: the "total" row of a long listing (-l, and
// -g, -n, -o, which imply it; -s prints it too), the "." and ".." rows
// of -a and of -f, which implies -a. Options act in order, as GNU ls
// reads them: -A after -a drops the dots again, and -f turns off -l and
// -s given before it (ls -lf prints neither the total nor long rows).
// files says ls is given the descriptors themselves (/proc/PID/fd/*),
// not their directory: no total, no dots. ok is false when ls prints
// something else than a line per descriptor: columns (-C, -x, -m) or the
// directory itself (-d).
func LsExtra(args [][]byte, files bool) (n int64, ok bool) {
	var long, size, dots, cols, dir, end bool
	var sub substitution
	for _, a := range args {
		if end {
			break
		}
		if sub.inside(a) {
			// A word of the command that names the process:
			// /proc/$(pgrep -f app)/fd, whose -f is pgrep's, not ls's.
			continue
		}
		if i := bytes.IndexAny(a, "|;&>"); i >= 0 {
			a, end = a[:i], true // the end of the ls command: "-l|wc"
		}
		a = bytes.Trim(a, "\"'`")
		switch {
		case len(a) < 2 || a[0] != '-':
		case a[1] == '-':
			switch opt, val, _ := strings.Cut(string(a[2:]), "="); opt {
			case "all":
				dots = true
			case "almost-all":
				dots = false
			case "size":
				size = true
			case "directory":
				dir = true
			case "format":
				long = val == "long" || val == "verbose"
				cols = !long && val != "single-column"
			}
		default:
			for _, c := range a[1:] {
				switch c {
				case 'l', 'g', 'n', 'o':
					long, cols = true, false
				case 's':
					size = true
				case 'a':
					dots = true
				case 'A':
					dots = false
				case 'f':
					dots, long, size = true, false, false
				case 'C', 'x', 'm':
					long, cols = false, true
				case '1':
					cols = false
				case 'd':
					dir = true
				}
			}
		}
	}
	switch {
	case cols || dir:
		return 0, false
	case files:
		return 0, true
	}
	if long || size {
		n++
	}
	if dots {
		n += 2
	}
	return n, true
}

// substitution follows the command substitutions, $(...) and `...`, a
// command line's words open and close: the words inside one belong to the
// command that finds the process (pgrep -f, pidof -s), not to ls.
type substitution struct {
	depth int  // $( and ( not yet closed
	tick  bool // inside `...`
}

// inside reports whether word a starts inside a substitution, and notes
// the ones it opens and closes.
func (s *substitution) inside(a []byte) bool {
	in := s.depth > 0 || s.tick
	for _, c := range a {
		switch c {
		case '(':
			s.depth++
		case ')':
			if s.depth > 0 {
				s.depth--
			}
		case '`':
			s.tick = !s.tick
		}
	}
	return in
}

// FindExtra is how many lines find with args prints besides the
// descriptors: 1, the directory, unless -type l, -mindepth 1 (or more)
// or entries given as paths leave it out. ok is false for an option
// that makes the lines something else than one per descriptor: -L and
// -follow descend through the links, tests such as -name pick some.
func FindExtra(args [][]byte, entries bool) (n int64, ok bool) {
	n = 1
	if entries {
		n = 0
	}
	var sub substitution
	for i := 0; i < len(args); i++ {
		if sub.inside(args[i]) {
			continue // /proc/$(pgrep -f app)/fd: pgrep's -f, not a test of find
		}
		a, end := args[i], false
		if j := bytes.IndexAny(a, "|;&>"); j >= 0 {
			a, end = a[:j], true // the end of the find command: "fd|wc"
		}
		a = bytes.Trim(a, "\"'`")
		next := func() []byte {
			if i+1 >= len(args) {
				return nil
			}
			v := args[i+1]
			if j := bytes.IndexAny(v, "|;&>"); j >= 0 {
				v, end = v[:j], true // "-type l|wc"
			}
			return bytes.Trim(v, "\"'`")
		}
		switch {
		case len(a) == 0 || a[0] != '-':
		case end:
			return 0, false // "-type|wc": an option cut from its value
		case string(a) == "-type":
			if string(next()) != "l" {
				return 0, false
			}
			n, i = 0, i+1
		case string(a) == "-mindepth":
			if v := next(); len(v) == 0 || v[0] == '0' || !scan.AllDigits(v) {
				return 0, false
			}
			n, i = 0, i+1
		case string(a) == "-maxdepth":
			if v := next(); string(v) == "0" || !scan.AllDigits(v) {
				return 0, false
			}
			i++
		case string(a) == "-P", string(a) == "-H", string(a) == "-print", string(a) == "-ls", string(a) == "-xdev":
		default:
			return 0, false // -L, -follow, -name, -lname, -newer...
		}
		if end {
			break
		}
	}
	return n, true
}
