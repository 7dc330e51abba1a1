package findzombie

import (
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: FindZombieHandles' console output.
const Name = "findzombiehandles"

// Diagnostic codes of the reader, besides the facts.Code* ones.
const (
	// CodeToolNote: what the tool says of its own result: it ran without
	// the debug privilege (some zombies may be missing), found none, or
	// accounted for too few zombies (a driver may hold the rest).
	CodeToolNote = "tool-note"
	// CodeRepeatedHolder: a holder listed twice (two runs in one
	// capture); the first listing is kept.
	CodeRepeatedHolder = "repeated-holder"
)

// holderLimit bounds the holders one capture may name: a holder is a
// process of the snapshot, and hostile text could name millions.
const holderLimit = 1 << 16

// reader reads FindZombieHandles output one line at a time. The state
// between lines is the holder being listed.
type reader struct {
	b      *facts.Builder
	log    *facts.SourceLog
	lineNo int64
	clean  scan.Cleaner

	// holder is the process of the latest "held by" line, nil before one
	// or after a repeated one (whose zombies are skipped).
	holder *facts.ProcessBuilder
	// skipping is set under a repeated holder.
	skipping bool
	// stated and listed are the holder's "held by" total and the zombies
	// listed under it so far; heldLine is the line of that total.
	stated, listed int64
	heldLine       int64
	// elided is set by an elision under the current holder: its list
	// is cut.
	elided bool
	// lastElision is the line of the latest elision, 0 if none.
	lastElision int64
	holders     map[uint64]bool
	orphaned    bool
	// ev counts what Sniff weighs.
	ev evidence
}

// evidence counts the lines no other tool prints.
type evidence struct {
	totals  int // "N total zombie processes."
	holders int // "N zombies held by IMAGE(PID)"
	images  int // "N zombies of IMAGE ..."
	notes   int // the tool's own sentences
}

// decisive reports whether the lines read so far make text
// FindZombieHandles output: its total line, or a holder with a zombie
// image under it, or its own sentences with either.
func (e *evidence) decisive() bool {
	return e.totals > 0 || (e.holders > 0 && e.images > 0) || (e.notes > 0 && e.holders > 0)
}

func newReader(b *facts.Builder, log *facts.SourceLog) *reader {
	return &reader{b: b, log: log, holders: map[uint64]bool{}}
}

// Read reads FindZombieHandles output from r, UTF-8 text, into b,
// accounting every line in log.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	z := newReader(b, log)
	_, _, err := scan.ReadLines(r, log, &z.lineNo, &z.clean, z.readLine)
	z.endHolder()
	return err
}

// Sniff reports whether text, the head of a capture decoded to UTF-8, is
// FindZombieHandles output, alone or pasted among other text.
func Sniff(text []byte) bool {
	z := newReader(facts.NewBuilder(), facts.NewSourceLog("", Name))
	return scan.Sniff(text, func(line []byte) bool {
		z.lineNo++
		z.readLine(line)
		return z.ev.decisive()
	})
}

func (z *reader) pos() facts.Position { return facts.Position{Path: z.log.Path, Line: z.lineNo} }
