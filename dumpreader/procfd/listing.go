package procfd

import (
	"strconv"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdlink"
	"github.com/leakdiag/leakdiag/facts"
)

// listing is the descriptors a capture lists for one process.
type listing struct {
	pb   *facts.ProcessBuilder
	pid  int64 // -1 when the capture does not give it
	line int64 // where the process is first named or listed
	// fds counts the distinct descriptors listed, dups those listed again.
	fds, dups int64
	// again says a later command lists the process again, whose rows
	// repeat the first listing's.
	again bool
	// run is the listing under way, from its command to the next.
	run run
	// count is the process's descriptor count as the latest whole
	// listing or `| wc -l` count gives it, -1 if none; countLine is its
	// line and counted says a wc count gave it.
	count, countLine int64
	counted          bool
	// top is the highest descriptor number the capture shows of the
	// process, -1 if none (older busybox lsof's rows number none); from
	// 10,000 on it gives the process's peak (fdlink.Peak).
	top int64
	// held is the most descriptors a filtered count showed the process
	// held at once (`ls -l /proc/PID/fd | grep socket | wc -l`), 0 if
	// none: from 10,000 on it gives its peak too (fdlink.Held).
	held int64
	// bbRun says the run under way is busybox lsof's rows (bblsof.go),
	// which number no descriptor: bbNext is the next one's.
	bbRun  bool
	bbNext int64
}

// run is one command's listing of a process's descriptors: a process
// listed twice has a run each time, and the latest whole run (or count)
// gives its count, the state it was last seen in.
type run struct {
	active bool
	// whole says the command lists the whole directory (no filter, no
	// single descriptor); cut that an author's elision or the end of the
	// capture cut it short.
	whole, cut bool
	// fds holds the descriptors the run lists, each once; last is the
	// line of its latest row.
	fds  map[int64]struct{}
	last int64
}

// who names a process as a command line or a row does.
type who struct {
	pid   int64  // -1 if not given
	image string // from $(pidof NAME), "" if not given
	all   bool   // /proc/*/fd: every process, each under its heading
	// shell says the capture names the process $$, the shell's own,
	// whose pid an `echo $$` before may have printed (echo.go).
	shell bool
	// self says the capture names the process /proc/self: the command
	// that reads it (ls -l /proc/self/fd lists ls's own descriptors),
	// another process than the shell's $$; image is the command's name
	// where the listing's command gives it (self.go).
	self bool
	// variable is the shell variable ("$pid") the capture names the
	// process by, "" if none; an assignment before may give its pid
	// (vars.go).
	variable string
}

// key is the listing's key in reader.all: by pid, else by image, else
// the one process of unknown pid.
func (w who) key() string {
	switch {
	case w.pid >= 0:
		return "p:" + strconv.FormatInt(w.pid, 10)
	case w.self:
		return "s:"
	case w.image != "":
		return "i:" + w.image
	}
	return "?"
}

// listingFor returns the listing of w, creating it at the current line;
// nil once the capture names more processes than processLimit.
func (z *reader) listingFor(w who) *listing {
	w = z.resolveShell(w)
	k := w.key()
	if l := z.all[k]; l != nil {
		return l
	}
	if len(z.all) >= processLimit {
		if !z.capped {
			z.capped = true
			z.log.Diag(z.lineNo, facts.SevWarning, facts.CodeCapped, "more than %d processes: the rest are not read", processLimit)
		}
		return nil
	}
	l := &listing{pid: w.pid, line: z.lineNo, count: -1, top: -1}
	switch {
	case w.pid >= 0:
		l.pb = z.b.ProcessByPID(uint64(w.pid), z.pos(z.lineNo))
	case w.image != "":
		l.pb = z.b.ProcessByImage(w.image, z.pos(z.lineNo))
	default:
		l.pb = z.b.ProcessByPID(0, z.pos(z.lineNo))
		if z.unknownLine == 0 {
			z.unknownLine = z.lineNo
		}
	}
	z.all[k] = l
	z.order = append(z.order, l)
	return l
}

// add adds descriptor fd, whose link is link ("" when the row shows none),
// to l.
func (z *reader) add(l *listing, fd int64, link []byte, linked bool) {
	h := facts.Handle{Value: uint64(fd) * 4, Pos: z.pos(z.lineNo)}
	if linked && len(link) > 0 {
		h.Type, h.Name, h.Naming = fdlink.Kind(string(unquote(link)))
	} else {
		h.Naming = facts.NameUnknown
		z.unreadable++
		if z.unreadableLine == 0 {
			z.unreadableLine = z.lineNo
		}
	}
	if l == z.cur && l.run.active {
		if l.run.fds == nil {
			l.run.fds = map[int64]struct{}{}
		}
		l.run.fds[fd] = struct{}{}
		l.run.last = z.lineNo
	}
	if l.pb.AddHandle(&h) != facts.AddedNew {
		if !l.again {
			l.dups++
			if z.dupLine == 0 {
				z.dupLine = z.lineNo
			}
		}
		return
	}
	l.fds++
	if fdlink.IsDeleted(h.Type, h.Name) {
		l.pb.P.DeletedFDs++
	}
}

// startRun begins a run of l's descriptors; whole says the command lists
// the whole directory.
func (l *listing) startRun(whole bool) {
	l.endRun()
	clear(l.run.fds)
	l.run.active, l.run.whole, l.run.cut = true, whole, false
	l.bbRun = false
}

// endRun ends l's run under way: a whole one gives the process its count,
// as it was when listed.
func (l *listing) endRun() {
	r := &l.run
	if !r.active {
		return
	}
	r.active = false
	if r.whole && !r.cut && len(r.fds) > 0 {
		l.count, l.countLine, l.counted = int64(len(r.fds)), r.last, false
	}
}

// setCount gives l the count `| wc -l` printed at line.
func (l *listing) setCount(n, line int64) {
	l.endRun()
	l.count, l.countLine, l.counted = n, line, true
}

// finish sets the handle counts the capture gives and reports what only
// the whole capture shows.
func (z *reader) finish() {
	var dups int64
	for _, l := range z.order {
		l.endRun()
		dups += l.dups
		l.setPeak()
		if l.count < 0 {
			continue
		}
		n := max(l.count, l.fds)
		switch {
		case l.count >= l.fds:
		case l.counted:
			z.log.Diag(l.countLine, facts.SevWarning, facts.CodeCountMismatch,
				"wc -l counts %d descriptors, fewer than the %d listed: the larger is kept", l.count, l.fds)
		default:
			z.log.Diag(l.countLine, facts.SevWarning, facts.CodeCountMismatch,
				"the latest listing shows %d descriptors, fewer than the %d listed in all: the larger is kept", l.count, l.fds)
		}
		l.pb.P.HandleCount = &n
	}
	z.limitsFinish()
	z.exeFinish()
	z.psFinish()
	z.summaryFinish()
	if z.unknownLine > 0 {
		z.log.Diag(z.unknownLine, facts.SevInfo, CodeUnknownProcess,
			"the capture does not say whose descriptors these are (no ls command with /proc/PID/fd, or one with $$ and no echo of its pid): they are read as one process of unknown pid")
	}
	if z.unreadable > 0 {
		z.log.Diag(z.unreadableLine, facts.SevInfo, CodeUnreadableLink,
			"%d descriptor(s) are listed without their link (ls could not read it: closed while listed): their kind is unknown", z.unreadable)
	}
	if dups > 0 {
		z.log.Diag(z.dupLine, facts.SevWarning, facts.CodeDuplicate,
			"%d descriptors are listed again for the same process (joined captures?): each was counted once", dups)
	}
}

// numbered notes that a row shows l's descriptor fd by its number.
func (l *listing) numbered(fd int64) {
	l.top = max(l.top, fd)
}

// setPeak gives l's process, when the capture shows a descriptor of
// 10,000 or more, the least number of descriptors it held at once: so a
// listing cut by a grep, a head or an author's elision, which gives no
// count, still shows how many the process held, as lsof's do
// (facts.Process.PeakHandles, a lower bound here).
func (l *listing) setPeak() {
	peak, ok := fdlink.Peak(l.top)
	if held, heldOK := fdlink.Held(l.held); heldOK && (!ok || held > peak) {
		peak, ok = held, true
	}
	if !ok {
		return
	}
	if old := l.pb.P.PeakHandles; old == nil || *old < peak {
		l.pb.P.PeakHandles = &peak
	}
}
