package procfd

import (
	"bytes"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A report of "Too many open files" often pastes the process's limits
// beside its descriptors, `cat /proc/PID/limits`:
//
//	Limit                     Soft Limit           Hard Limit           Units
//	Max open files            1024                 4096                 files
//
// The soft limit of "Max open files" is the process's fd limit (what
// leakdiag collect reads from the same file), which LD0016 weighs the
// descriptors against. The process is the one the command names
// (/proc/1234/limits; /proc/self and $$ the process of unknown pid, as
// in /proc/self/fd; $(pidof NAME) by image); limits shown without their
// command are the one process's the capture lists, and nobody's when it
// lists several.

// CodeLimitsUnassigned: limits the reader gave no process: the capture
// does not say whose they are and lists several processes (or none).
const CodeLimitsUnassigned = "limits-unassigned"

// limitsBlock is the limits of one process, as shown under way.
type limitsBlock struct {
	w     who
	named bool // the command named the process
}

// limit is the fd limit a capture gives, until its process is known.
type limit struct {
	w     who
	named bool
	to    *listing // the process a pid or image names, known at once
	soft  *int64   // nil: unlimited
	line  int64
	// glob says the row is one of several files grep showed (globRow):
	// it is given to its process only if the capture lists that.
	glob bool
}

// limitsLimit bounds the limits rows a capture may give.
const limitsLimit = 1 << 16

// limitsCommand reads a command that shows a process's limits: `cat
// /proc/1234/limits`, `grep 'open files' /proc/$(pidof x)/limits`.
func (z *reader) limitsCommand(line []byte) (scan.LineKind, bool) {
	i := bytes.Index(line, []byte("/proc/"))
	if i < 0 {
		return 0, false
	}
	rest := line[i+len("/proc/"):]
	j := bytes.Index(rest, []byte("/limits"))
	if j < 0 {
		return 0, false
	}
	if after := rest[j+len("/limits"):]; len(after) > 0 && strings.IndexByte(" |;)\"'`", after[0]) < 0 {
		return 0, false
	}
	w, ok := procName(rest[:j])
	if !ok {
		return 0, false
	}
	w = z.resolveShell(w)
	if name := string(rest[:j]); name == "self" || name == "thread-self" {
		w.self = true // cat's, which the shell gave ls as well (self.go)
	}
	z.endCommand()
	if w.all {
		// grep 'open files' /proc/*/limits: grep names each row's file,
		// which names its process (globRow).
		z.limits = nil
		return scan.Parsed, true
	}
	z.limits = &limitsBlock{w: w, named: true}
	return scan.Parsed, true
}

// globRow reads a row that grep prints for one of several files, the
// file's name before it: "/proc/27/limits:Max open files  1024  4096
// files", as `grep 'open files' /proc/*/limits` shows every process's.
// It returns the process the name gives and the row; ok is false for a
// line of no such file. A row of /proc/self or /proc/thread-self is
// grep's own: it names no process of the capture (pid -1).
func globRow(line []byte) (w who, row []byte, ok bool) {
	if !bytes.HasPrefix(line, []byte("/proc/")) {
		return who{}, nil, false
	}
	name, row, found := bytes.Cut(line[len("/proc/"):], []byte("/limits:"))
	if !found {
		return who{}, nil, false
	}
	switch {
	case scan.AllDigits(name):
		pid, okPID := scan.ParseDec(name)
		if !okPID || pid >= 1<<32 {
			return who{}, nil, false
		}
		return who{pid: pid}, row, true
	case string(name) == "self" || string(name) == "thread-self":
		return who{pid: -1}, row, true
	}
	return who{}, nil, false
}

// limitsLine reads a row of /proc/PID/limits: its header, which begins
// the limits of a process the capture does not name unless a command
// did, the "Max open files" row, wherever it stands (grep shows it
// alone), and the other rows under the header or command.
func (z *reader) limitsLine(line []byte) (scan.LineKind, bool) {
	glob, fromGlob := who{}, false
	if w, row, ok := globRow(line); ok {
		glob, fromGlob, line = w, true, row
	}
	z.toks = scan.Fields(line, z.toks[:0])
	t := z.toks
	if len(t) == 6 && string(t[0]) == "Limit" && string(t[1]) == "Soft" && string(t[3]) == "Hard" && string(t[5]) == "Units" {
		if z.limits == nil {
			z.endCommand()
			z.limits = &limitsBlock{w: who{pid: -1}}
		}
		return scan.Ignored, true
	}
	if len(t) < 4 || string(t[0]) != "Max" {
		return 0, false
	}
	// The name runs to the first value: "Max open files", "Max nice
	// priority"; the units may be missing.
	k := 1
	for k < len(t) && !isLimitValue(t[k]) {
		k++
	}
	if k+1 >= len(t) || !isLimitValue(t[k+1]) || len(t) > k+3 {
		return 0, false
	}
	switch {
	case fromGlob && glob.pid < 0:
		return scan.Ignored, true // grep's own limits
	case fromGlob && k == 3 && string(t[1]) == "open" && string(t[2]) == "files":
		return z.globOpenFiles(glob, t[k]), true
	case fromGlob:
		return scan.Ignored, true
	case k == 3 && string(t[1]) == "open" && string(t[2]) == "files":
		return z.openFiles(t[k]), true
	}
	if z.limits == nil {
		return 0, false
	}
	return scan.Ignored, true
}

// openFiles reads the soft limit of "Max open files".
func (z *reader) openFiles(soft []byte) scan.LineKind {
	l := limit{w: who{pid: -1}, line: z.lineNo}
	if z.limits != nil {
		l.w, l.named = z.limits.w, z.limits.named
	}
	if string(soft) != "unlimited" {
		n, ok := scan.ParseDec(soft)
		if !ok {
			return scan.Unrecognized
		}
		l.soft = &n
	}
	if len(z.fdLimits) >= limitsLimit {
		return scan.Ignored
	}
	if l.named && (l.w.pid >= 0 || l.w.image != "") {
		// The process the command names, listed or not: it counts among
		// the capture's processes for limits shown without a command.
		l.to = z.listingFor(l.w)
	}
	z.fdLimits = append(z.fdLimits, l)
	return scan.Parsed
}

// globOpenFiles reads the soft limit of "Max open files" from a row grep
// named the file of: process w's, which gets it if the capture lists
// it. A glob over /proc shows every process on the machine, most of which
// the capture says nothing else of: they are not made processes of it.
func (z *reader) globOpenFiles(w who, soft []byte) scan.LineKind {
	l := limit{w: w, named: true, glob: true, line: z.lineNo}
	if string(soft) != "unlimited" {
		n, ok := scan.ParseDec(soft)
		if !ok {
			return scan.Unrecognized
		}
		l.soft = &n
	}
	if len(z.fdLimits) < limitsLimit {
		z.fdLimits = append(z.fdLimits, l)
	}
	return scan.Parsed
}

// isLimitValue recognizes a limit's value: a number or "unlimited".
func isLimitValue(b []byte) bool {
	return scan.AllDigits(b) || string(b) == "unlimited"
}

// limitsFinish gives each limit its process, now that the capture has
// named them all: the one its command named, else the capture's one
// process; the latest limit of a process stands.
func (z *reader) limitsFinish() {
	for _, l := range z.fdLimits {
		to := l.to
		switch {
		case l.glob:
			if to = z.all[l.w.key()]; to == nil {
				continue
			}
		case to != nil:
		case l.named && (l.w.pid >= 0 || l.w.image != ""):
			continue // more processes than processLimit
		case l.named:
			to = z.all[l.w.key()] // self, $$: listed as such, or not at all
		case len(z.order) == 1:
			to = z.order[0]
		}
		switch {
		case to != nil:
		case l.named:
			z.log.Diag(l.line, facts.SevInfo, CodeLimitsUnassigned,
				"these limits are of a process the capture names by no pid and lists no descriptors of (self, $$): the fd limit is given to none")
			continue
		default:
			z.log.Diag(l.line, facts.SevInfo, CodeLimitsUnassigned,
				"the capture does not say whose limits these are (no cat /proc/PID/limits, and %d processes listed): the fd limit is given to none", len(z.order))
			continue
		}
		to.pb.P.FDLimit = l.soft
	}
}
