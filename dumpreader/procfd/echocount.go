package procfd

import (
	"bytes"
	"slices"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// In a container without ls (distroless images, a sidecar's), people
// count a process's descriptors with the shell's glob and echo:
//
//	$ kubectl exec pod -c proxy -- sh -c 'echo /proc/27/fd/*' | wc -w
//	2124
//	$ ... 'echo /proc/27/fd/*' | sed 's/ /\n/g' | sort -rn | wc -l
//	2124
//
// The glob expands to one path per descriptor, which echo prints on one
// line: `wc -w` counts them, and `wc -l` does once sed or tr put each on
// its own line (without them it prints 1). sort and the other commands
// that pass every line on may stand between; a grep or head counts some.

// echoCount reads `echo /proc/PID/fd/* | wc -w` (or `| sed 's/ /\n/g' |
// wc -l`), whose next line is the count; toks are the line's fields.
func (z *reader) echoCount(line []byte, toks [][]byte) (scan.LineKind, bool) {
	echo := -1
	for i, t := range toks {
		if t = bytes.Trim(t, "\"'`("); string(t) == "echo" {
			echo = i
			break
		}
	}
	if echo < 0 {
		return 0, false
	}
	cmd := line[offset(line, toks[echo]):]
	pipe := bytes.IndexByte(cmd, '|')
	if pipe < 0 || !bytes.Contains(cmd[:pipe], []byte("/fd/*")) {
		return 0, false
	}
	w, single, found := procPath(cmd[:pipe])
	if !found || single || w.all || !echoCounts(cmd[pipe:]) {
		return 0, false
	}
	z.ev.commands++
	z.start(w, false)
	if z.cur != nil {
		z.wantCount, z.wcAdjust = z.cur, 0
	}
	return scan.Parsed, true
}

// echoCounts reports whether pipeline, what follows echo's glob, counts
// the paths echo printed: into `wc -w`, or into `wc -l` after sed or tr
// put a line break in place of the blanks, through nothing but commands
// that pass every line on.
func echoCounts(pipeline []byte) bool {
	split := false
	for _, part := range bytes.Split(pipeline, []byte("|"))[1:] {
		f := bytes.Fields(part)
		if len(f) == 0 {
			return false
		}
		switch name := string(bytes.Trim(f[0], "\"'`()")); {
		case name == "wc":
			return len(f) == 2 && (string(f[1]) == "-w" || string(f[1]) == "--words" ||
				split && (string(f[1]) == "-l" || string(f[1]) == "--lines"))
		case name == "sed" || name == "tr":
			// sed 's/ /\n/g', tr ' ' '\n': a path to a line.
			if !bytes.Contains(part, []byte(`\n`)) {
				return false
			}
			split = true
		case !slices.Contains(fdcount.PassThrough, name):
			return false
		}
	}
	return false
}
