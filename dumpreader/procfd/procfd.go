package procfd

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/filetable"
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/fdcount"
	"github.com/leakdiag/leakdiag/dumpreader/internal/psrows"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: listings of /proc/PID/fd.
const Name = "procfd"

// Diagnostic codes of the reader, besides the facts.Code* ones.
const (
	// CodeUnreadableLink: a row without its link (ls could not read it:
	// the descriptor was closed while ls listed the directory, often ls's
	// own of /proc/self/fd).
	CodeUnreadableLink = "unreadable-link"
	// CodeUnknownProcess: rows whose process the capture does not name
	// (no command line, or $$ and self): they are read as one process of
	// unknown pid.
	CodeUnknownProcess = "unknown-process"
	// CodePerProcess: an ls run once per process by xargs or a loop, its
	// directory /proc/PID/fd with PID a placeholder: the listings of
	// several processes the capture does not tell apart, not read.
	CodePerProcess = "per-process-ls"
)

// processLimit bounds the processes one capture may list: hostile text
// could name millions.
const processLimit = 1 << 16

// reader reads a listing one line at a time. The state between lines is
// the listing under way.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner
	toks   [][]byte

	// cur is the listing rows go to, nil before the first.
	cur *listing
	// all holds every listing by its process key, in order.
	all   map[string]*listing
	order []*listing
	// cwd is the process of a working directory /proc/PID/fd (a cd, or
	// busybox's prompt), which an `ls` without a path lists; nil if none.
	cwd *who
	// procDir is the process directory /proc/PID a cd went to, whose
	// "fd" a later ls lists; nil if none.
	procDir *who
	// pdir is the process whose directory /proc/PID the command lists
	// (cwd.go), nil if none; exes are the images its exe links name, by
	// pid.
	pdir *who
	exes map[int64]psRow
	// bareLs says the command lists the directory without -l: the
	// numbers alone (numbers.go).
	bareLs bool
	// numbersOpen says the line read last is such a command or a line
	// of its numbers.
	numbersOpen bool
	// wantHeld is the listing whose filtered count (`| grep socket | wc
	// -l`) the next bare number may be (heldLine).
	wantHeld *listing
	// wantPwd says the line read last is `pwd`: the next line may be
	// the working directory it prints.
	wantPwd bool
	// wantShell says the line read last is `echo $$`: the next line may
	// be the shell's pid, which shellPID keeps (0 until then; echo.go).
	wantShell bool
	shellPID  int64
	// vars are the pids assignments gave shell variables, by "$name"
	// (vars.go).
	vars map[string]int64
	// perProc says the lines being read are those of an ls run once per
	// process (xargs, a loop), not read (perprocess.go).
	perProc bool
	// wantFileTable is what of the kernel's file table the next line
	// shows, after `cat /proc/sys/fs/file-nr` (filetable.Command).
	wantFileTable filetable.Kind
	// wantCount is the listing whose `| wc -l` count the next bare number
	// gives, nil if none; wcAdjust is what ls adds to the count (the
	// "total" row of -l, "." and ".." of -a).
	wantCount *listing
	wcAdjust  int64
	// wantLsof is the process whose `lsof -p PID | wc -l` count the next
	// bare number gives (lsofcount.go), nil if none.
	wantLsof *listing
	// wantLsofAll says the next bare number is the count of an lsof
	// command that selects no single pid (`lsof | wc -l`).
	wantLsofAll bool
	// wantLsofFiltered says a filter came between lsof and the count.
	wantLsofFiltered bool
	// summary is what the summaries of lsof's rows (uniq -c of a
	// column) read so far hold (lsofcount.go).
	summary fdcount.Summary
	// limits is the limits being shown, nil if none; fdLimits are the
	// fd limits the capture gives, given their processes at the end.
	limits   *limitsBlock
	fdLimits []limit
	// bb is the latest lsof command, whose output busybox's rows are
	// (bblsof.go).
	bb bbCommand
	// bbOpen says the line read last is an lsof command or a busybox row,
	// under which rows whose tabs became spaces are read.
	bbOpen bool
	// bbPrev is the latest row of busybox's shape not read (bblsof.go).
	bbPrev bbCandidate
	// ps is the layout of the ps rows being shown, nil if none; psRows
	// are the rows read, by pid.
	ps     *psrows.Columns
	psRows *psrows.Table
	// unknownLine is the first row of a process the capture does not
	// name.
	unknownLine int64
	// unreadable counts rows without a link; unreadableLine the first.
	unreadable, unreadableLine int64
	// dupLine is the first row that lists a descriptor again.
	dupLine int64
	capped  bool
	// rowLast says the line read last is a descriptor's row.
	rowLast bool
	// foreign names the program of the command line read last among
	// lines the reader does not know, whose output they are
	// (foreign.go), "" if none; foreignSeen are the names diagnosed.
	foreign     string
	foreignSeen map[string]bool
	// ev counts what Sniff weighs.
	ev evidence
	// flat holds the pieces of a flattened listing's line, cut from its
	// copy flatLine; inFlat is set while they are read and flatNoted once
	// one was reported (flattened.go).
	flat      [][]byte
	flatLine  []byte
	inFlat    bool
	flatNoted bool
}

// evidence counts the lines only a listing of /proc/PID/fd has.
type evidence struct {
	rows     int // descriptor rows
	commands int // command lines that list /proc/PID/fd
	counts   int // counts `| wc -l` printed after such a command
}

// decisive reports whether the lines read so far make text a listing of
// /proc/PID/fd: two descriptor rows, one under a command that lists the
// directory, or the count `| wc -l` printed for such a command (or for
// `lsof -p PID`, lsofcount.go). A capture of the kernel's file table
// alone is read as procfd's too, when no format claims it (Detect,
// filetable.Sniff).
func (e *evidence) decisive() bool {
	return e.rows >= 2 || (e.rows >= 1 && e.commands >= 1) || e.counts >= 1
}

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log, all: map[string]*listing{}}
}

// Read reads listings of /proc/PID/fd from r, UTF-8 text, into b,
// accounting every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksStacks}
	z := newReader(b, log)
	_, unterminated, err := scan.ReadLines(r, log, &z.lineNo, &z.clean, z.readLine)
	if unterminated && z.rowLast {
		// ls ends every row; a capture that does not was most likely
		// cut, in the middle of its last row or after it.
		if z.cur != nil {
			z.cur.run.cut = true
		}
		log.Diag(z.lineNo, facts.SevWarning, facts.CodeTruncated,
			"the capture ends without a line break: its last row may be cut, and the listing's rows after it missing (it gives no count)")
	}
	z.finish()
	return err
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is a
// listing of /proc/PID/fd, alone or pasted among other text.
func Sniff(text []byte) bool {
	z := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		z.lineNo++
		z.readLine(line)
		return z.ev.decisive()
	})
}

func (z *reader) pos(line int64) facts.Position {
	return facts.Position{Path: z.log.Path, Line: line}
}
