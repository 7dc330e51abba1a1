package drmemory

import (
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: Dr. Memory's reports.
const Name = "drmemory"

// CodeOtherLeaks: handle leaks the reader does not count (GDI and USER
// objects, no kernel handles), said once.
const CodeOtherLeaks = "other-leaks"

// leakLimit bounds the leak errors a capture may give a process: the
// count goes on past it, the stacks do not (hostile text could list
// millions).
const leakLimit = 1 << 12

// frameLimit bounds the frames kept of one stack.
const frameLimit = 64

// leak is one HANDLE LEAK error as read.
type leak struct {
	frames []string
	count  int64
	pos    facts.Position
}

// reader reads a report one line at a time. The state between lines is
// the error being read.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner

	// cur is the handle leak being read, nil outside one; inNote says its
	// frames have ended ("Note: ..." lines, the stack that closed such
	// handles); other says the error being read is of another kind.
	cur    *leak
	inNote bool
	other  bool
	// leaks are the handle leaks read; counted their handles, past
	// leakLimit too; errors the handle leak errors.
	leaks   []leak
	counted int64
	errors  int64
	// summary is the summary's count of handle leak errors, -1 if none;
	// inSummary says the lines read are its rows.
	summary   int64
	inSummary bool
	// ignoring says the lines read are a section not read (ERRORS
	// IGNORED:, DUPLICATE ERROR COUNTS:), up to a blank line.
	ignoring bool
	// image and pid name the program, "" and 0 when the report does not;
	// first is where it is first named.
	image string
	pid   uint64
	first int64
	// otherLeaks counts the GDI and USER leaks; otherLine the first.
	otherLeaks, otherLine int64
	ev                    evidence
}

// evidence counts the lines only Dr. Memory prints.
type evidence struct {
	banners     int // "Dr. Memory version 2.5.0"
	handleLeaks int // "Error #2: HANDLE LEAK: ..."
	summaries   int // "ERRORS FOUND:" with its rows
	prefixed    int // "~~Dr.M~~ Error #1: ..." and its frames
}

// decisive reports whether the lines read so far make text Dr. Memory's
// report: its banner, a handle leak error, its summary, or the console's
// prefix on an error and its frame.
func (e *evidence) decisive() bool {
	return e.banners > 0 || e.handleLeaks > 0 || e.summaries > 0 || e.prefixed >= 2
}

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log, summary: -1}
}

// Read reads a Dr. Memory report from r, UTF-8 text, into b, accounting
// every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksNames}
	z := newReader(b, log)
	_, _, err := scan.ReadLines(r, log, &z.lineNo, &z.clean, z.readLine)
	z.finish()
	return err
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is a
// Dr. Memory report, alone or pasted among other text.
func Sniff(text []byte) bool {
	z := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		z.lineNo++
		z.readLine(line)
		return z.ev.decisive()
	})
}

func (z *reader) pos() facts.Position { return facts.Position{Path: z.log.Path, Line: z.lineNo} }

// finish gives the program its leaks, once the report is read.
func (z *reader) finish() {
	z.endError()
	if z.image == "" && z.pid == 0 && len(z.leaks) == 0 && z.summary < 0 {
		return
	}
	at := facts.Position{Path: z.log.Path, Line: z.first}
	if z.first == 0 && len(z.leaks) > 0 {
		at = z.leaks[0].pos
	}
	var pb *facts.ProcessBuilder
	if z.pid != 0 {
		pb = z.b.ProcessByPID(z.pid, at)
	} else {
		pb = z.b.Debuggee(at)
	}
	if z.image != "" {
		pb.SetImage(z.image, at)
	}
	for _, l := range z.leaks {
		pb.AddReportedLeak(l.frames, l.count, l.pos)
	}
	if rest := z.counted - listed(z.leaks); rest > 0 {
		pb.AddReportedLeak(nil, rest, at) // errors past leakLimit
	}
	if z.summary > z.errors+z.otherLeaks {
		// The summary counts errors the capture does not list: each is
		// one handle at least.
		pb.AddReportedLeak(nil, z.summary-z.errors-z.otherLeaks, at)
	}
	if z.otherLeaks > 0 {
		z.log.Diag(z.otherLine, facts.SevInfo, CodeOtherLeaks,
			"%d handle leak error(s) of GDI or USER objects are not counted: they are no kernel handles", z.otherLeaks)
	}
}

// listed adds up the handles of the leaks kept.
func listed(leaks []leak) int64 {
	var n int64
	for _, l := range leaks {
		n += l.count
	}
	return n
}
