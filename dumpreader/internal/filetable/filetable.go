// Package filetable reads the lines of a Linux capture that show the
// kernel's table of open files, machine-wide: the figures of
// /proc/sys/fs/file-nr and fs.file-max (cat's, after its command line;
// sysctl's, "fs.file-nr = 64320 0 65536", anywhere) and the kernel's
// "VFS: file-max limit 65536 reached" (dmesg's, the journal's), for the
// readers of Linux captures (lsof, procfd) to record (facts.FileTable).
package filetable

import (
	"bytes"
	"math"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Kind is what a command line shows of the file table.
type Kind uint8

const (
	// None: no figure of the file table.
	None Kind = iota
	// FileNr: /proc/sys/fs/file-nr, "allocated free max".
	FileNr
	// FileMax: fs.file-max, the maximum alone.
	FileMax
)

// Command returns what a command line shows of the file table: `cat
// /proc/sys/fs/file-nr`, `sysctl fs.file-nr` (or -n), the same of
// file-max; None for any other command. Its figures are on the next
// line (Figures), or on sysctl's own line (Line).
func Command(cmd []byte) Kind {
	switch {
	case bytes.Contains(cmd, []byte("/proc/sys/fs/file-nr")), bytes.Contains(cmd, []byte("sysctl")) && bytes.Contains(cmd, []byte("fs.file-nr")):
		return FileNr
	case bytes.Contains(cmd, []byte("/proc/sys/fs/file-max")), bytes.Contains(cmd, []byte("sysctl")) && bytes.Contains(cmd, []byte("fs.file-max")):
		return FileMax
	}
	return None
}

// Figures reads the line after a command of kind k: file-nr's three
// figures, "64320	0	65536", or file-max's one; false for another line.
func Figures(line []byte, k Kind, b *facts.Builder, pos facts.Position) bool {
	f := scan.Fields(scan.TrimSpace(line), nil)
	switch {
	case k == FileNr && len(f) == 3:
		allocated, ok1 := scan.ParseDec(f[0])
		_, ok2 := scan.ParseDec(f[1])
		max, ok3 := maxFigure(f[2])
		if !ok1 || !ok2 || !ok3 {
			return false
		}
		b.ReportFileNr(allocated, max, pos)
		return true
	case k == FileMax && len(f) == 1:
		max, ok := maxFigure(f[0])
		if !ok {
			return false
		}
		b.ReportFileMax(max, pos)
		return true
	}
	return false
}

// Line reads a line that shows the file table wherever it stands:
// sysctl's "fs.file-nr = 64320	0	65536" and "fs.file-max = 65536",
// grep's "/proc/sys/fs/file-nr:64320	0	65536", and the kernel's "VFS:
// file-max limit 65536 reached" after what logs put before a kernel
// message (dmesg's time, -x's facility and level, -r's priority, a
// syslog or journal line's head ending in "kernel:"). Parsed for those;
// Ignored for sysctl's other fs.* settings (sysctl -a | grep file); false
// for any other line.
func Line(line []byte, b *facts.Builder, pos facts.Position) (scan.LineKind, bool) {
	line = scan.TrimSpace(unquote(line))
	for _, s := range []struct {
		key  string
		kind Kind
	}{{"fs.file-nr", FileNr}, {"fs.file-max", FileMax}, {"/proc/sys/fs/file-nr:", FileNr}, {"/proc/sys/fs/file-max:", FileMax}} {
		if rest, ok := bytes.CutPrefix(line, []byte(s.key)); ok {
			rest = scan.TrimSpace(rest)
			if v, ok := bytes.CutPrefix(rest, []byte("=")); ok || strings.HasSuffix(s.key, ":") {
				if !ok {
					v = rest
				}
				if Figures(v, s.kind, b, pos) {
					return scan.Parsed, true
				}
			}
			return 0, false
		}
	}
	if isSysctlSetting(line) {
		return scan.Ignored, true
	}
	i := bytes.Index(line, []byte("VFS: file-max limit "))
	if i < 0 || !kernelPrefix(line[:i]) {
		return 0, false
	}
	rest := line[i+len("VFS: file-max limit "):]
	n, ok := bytes.CutSuffix(scan.TrimSpace(rest), []byte(" reached"))
	if !ok {
		return 0, false
	}
	limit, ok := scan.ParseDec(n)
	if !ok {
		return 0, false
	}
	b.ReportFileMaxReached(limit, pos)
	return scan.Parsed, true
}

// unquote drops a markdown quote's "> " markers.
func unquote(line []byte) []byte {
	for {
		t := scan.TrimSpace(line)
		if len(t) == 0 || t[0] != '>' {
			return line
		}
		line = t[1:]
	}
}

// isSysctlSetting reports whether line is one of sysctl's fs.* settings
// as it prints them, "fs.inotify.max_user_watches = 8192".
func isSysctlSetting(line []byte) bool {
	key, value, ok := bytes.Cut(line, []byte(" = "))
	if !ok || !bytes.HasPrefix(key, []byte("fs.")) || bytes.IndexAny(key, " \t") >= 0 || len(value) == 0 {
		return false
	}
	return true
}

// maxFigure reads a maximum: a figure of up to 19 digits, as kernels
// since 5.x print 2^63-1 for no limit (taken as the largest int64, which
// the facts keep as no machine's table reaches it).
func maxFigure(b []byte) (int64, bool) {
	if n, ok := scan.ParseDec(b); ok {
		return n, true
	}
	if len(b) != 19 {
		return 0, false
	}
	for _, c := range b {
		if !scan.IsDigit(c) {
			return 0, false
		}
	}
	return math.MaxInt64, true
}

// kernelPrefix reports whether what stands before a kernel message is a
// log's: nothing; dmesg's "[ 1234.567890] " (or -T's "[Mon Dec  7 ...]"),
// perhaps after -x's "kern  :info  : " or -r's "<6>"; or a syslog or
// journal line's head ending in "kernel:", perhaps with dmesg's time
// after it.
func kernelPrefix(p []byte) bool {
	p = scan.TrimSpace(p)
	if len(p) > 0 && p[len(p)-1] == ']' {
		i := bytes.LastIndexByte(p, '[')
		if i < 0 {
			return false
		}
		p = scan.TrimSpace(p[:i])
	}
	switch {
	case len(p) == 0:
		return true
	case len(p) == 3 && p[0] == '<' && p[2] == '>' && p[1] >= '0' && p[1] <= '7':
		return true // dmesg -r's priority
	case bytes.HasPrefix(p, []byte("kern")) && bytes.Count(p, []byte(":")) == 2 && bytes.HasSuffix(p, []byte(":")) && len(p) <= 24:
		return true // dmesg -x's "kern  :info  :"
	}
	return bytes.HasSuffix(p, []byte("kernel:")) && len(p) <= 128
}

// IgnoredNote is what a reader says of a command whose output it passes
// over, name the program: the kernel's logs (dmesg, journalctl) are read
// for their file-max messages (Line) all the same.
func IgnoredNote(name string) string {
	switch name {
	case "dmesg", "journalctl":
		return "output of %q is read only for the kernel's messages that its file table was full (VFS: file-max limit reached); its other lines are counted as ignored"
	}
	return "output of %q is not read by leakdiag; its lines are counted as ignored"
}

// Sniff reports whether text shows the kernel's file table: a line of
// its figures after their command, sysctl's line, or the kernel's
// file-max message. A capture that shows it and nothing any format reads
// otherwise is read as a /proc capture of no process.
func Sniff(text []byte) bool {
	b := facts.NewBuilder()
	pos := facts.Position{}
	want := None
	found := false
	scan.Sniff(text, func(line []byte) bool {
		line = scan.TrimSpace(line)
		if kind, ok := Line(line, b, pos); want != None && Figures(line, want, b, pos) || ok && kind == scan.Parsed {
			found = true
			return true
		}
		if !bytes.HasPrefix(line, []byte("```")) {
			// A markdown fence between the command and its figures
			// keeps the command's.
			want = Command(line)
		}
		return false
	})
	return found
}
