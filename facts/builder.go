package facts

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// TopNamesLimit is how many names Process.TopNames lists.
const TopNamesLimit = 10

// diagLimit is how many diagnostics of one code one source keeps; the rest
// are counted and reported as one CodeMoreOmitted diagnostic, so a damaged
// multi-gigabyte capture cannot exhaust memory through its diagnostics.
const diagLimit = 200

// Builder assembles a Snapshot from the processes and handles readers find.
// It is not safe for concurrent use.
type Builder struct {
	snap    Snapshot
	procs   map[string]*ProcessBuilder
	kernel  *ProcessBuilder // the kernel handle table, merged into System
	orphans *ProcessBuilder
	// exitedThreads holds the addresses of threads a capture shows as
	// TERMINATED.
	exitedThreads map[uint64]bool
	// built: Snapshot has finished the processes.
	built bool
	// active is the process the reader asked for last, whose block of
	// the capture it is most likely reading (see enter).
	active *ProcessBuilder
	// poolTrends are the pool tags' trends across listings while they are
	// read (poolgrowth.go), at most poolTrendLimit.
	poolTrends map[trendKey]*trendState
	// earlier are the builders of captures this one shows were taken
	// before it (earlier.go).
	earlier []*Builder
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{
		snap:          Snapshot{SchemaVersion: SchemaVersion},
		procs:         map[string]*ProcessBuilder{},
		exitedThreads: map[uint64]bool{},
	}
}

// SetHost records the machine name, OS version and capture time where a
// capture states them. Empty arguments leave the current value; the first
// value stated wins.
func (b *Builder) SetHost(host, osVersion, capturedAt string) {
	if b.snap.Host == "" {
		b.snap.Host = host
	}
	if b.snap.OSVersion == "" {
		b.snap.OSVersion = osVersion
	}
	if b.snap.CapturedAt == "" {
		b.snap.CapturedAt = capturedAt
	}
}

// Process returns the process whose kernel object is at address (lowercase
// hex, no backtick), creating it on first use at pos.
func (b *Builder) Process(address string, pos Position) *ProcessBuilder {
	return b.process("a:"+address, pos, func(p *Process) { p.Address = address })
}

// Debuggee returns the process a user-mode capture is about, creating it on
// first use at pos. Its pid and image are whatever the capture says (the `|`
// command's output), zero and empty otherwise.
func (b *Builder) Debuggee(pos Position) *ProcessBuilder {
	return b.process("debuggee", pos, nil)
}

// ProcessByPID returns the process with pid, creating it on first use at
// pos, for captures that name processes by pid and have no kernel
// addresses (Sysinternals Handle).
func (b *Builder) ProcessByPID(pid uint64, pos Position) *ProcessBuilder {
	return b.process(fmt.Sprintf("p:%d", pid), pos, func(p *Process) { p.PID = pid })
}

// ProcessByImage returns the process a capture names by its image alone
// (a debugger query that picks a process by name, without its pid or
// address), creating it on first use at pos. Images are compared
// case-insensitively, as Windows compares them.
func (b *Builder) ProcessByImage(image string, pos Position) *ProcessBuilder {
	return b.process("image:"+strings.ToLower(image), pos, func(p *Process) { p.Image = image })
}

// ProcessByInstance returns the process a capture names by an instance
// name only, without a pid (a process group of process-exporter, a
// counter instance), creating it on first use at pos with that Instance.
func (b *Builder) ProcessByInstance(instance string, pos Position) *ProcessBuilder {
	return b.process("instance:"+instance, pos, func(p *Process) { p.Instance = instance })
}

// ReportTypeTotal records a system-wide count of handles of one type, as
// a summary over all processes states it (Sysinternals `handle -s`). A
// type reported twice adds up.
func (b *Builder) ReportTypeTotal(typ string, n int64) {
	if b.snap.TypeTotals == nil {
		b.snap.TypeTotals = map[string]int64{}
	}
	b.snap.TypeTotals[typ] += n
}

// ReportTypeTotalsPartial records that the system-wide summary was cut
// short: the types it does not list have unknown counts.
func (b *Builder) ReportTypeTotalsPartial() {
	b.snap.TypeTotalsPartial = true
}

// KernelTable returns the holder of the kernel handle table: the System
// process when the capture has shown it, else a stand-in whose handles are
// moved into System when the snapshot is built (or which becomes System,
// pid 4 assumed, when the capture never shows it).
func (b *Builder) KernelTable(pos Position) *ProcessBuilder {
	if sys := b.system(); sys != nil {
		return b.enter(sys)
	}
	if b.kernel == nil {
		b.kernel = newProcessBuilder(pos)
		b.kernel.P.Image = "System"
		b.kernel.P.PID = 4
		b.kernel.more().keep = true
	}
	return b.enter(b.kernel)
}

// System returns the System process, which holds the kernel handle
// table, when the capture has shown it so far, else nil.
func (b *Builder) System() *ProcessBuilder { return b.system() }

// Orphans returns the holder of handles that a capture shows before any
// process they could belong to. Readers report each such run in a
// diagnostic; the handles are kept, under an empty image, not dropped.
func (b *Builder) Orphans(pos Position) *ProcessBuilder {
	if b.orphans == nil {
		b.orphans = newProcessBuilder(pos)
	}
	return b.enter(b.orphans)
}

func (b *Builder) process(key string, pos Position, init func(*Process)) *ProcessBuilder {
	pb := b.procs[key]
	if pb == nil {
		pb = newProcessBuilder(pos)
		if init != nil {
			init(pb.P)
		}
		b.procs[key] = pb
	}
	return b.enter(pb)
}

// enter returns pb, the process the reader asks for, sealing the one it
// asked for before if that is another (see nameseal.go): a reader asks
// for a process as it starts reading its part of the capture, which has
// most likely ended for the process before.
func (b *Builder) enter(pb *ProcessBuilder) *ProcessBuilder {
	if b.active != pb {
		if b.active != nil {
			b.active.seal()
		}
		b.active = pb
	}
	return pb
}

// ThreadTerminated records that the thread object at address has
// terminated, so handles to it count as handles to an exited thread.
func (b *Builder) ThreadTerminated(address uint64) {
	b.exitedThreads[address] = true
}

// AddSource registers a finished source with its line accounting and
// diagnostics.
func (b *Builder) AddSource(log *SourceLog) {
	b.snap.Sources = append(b.snap.Sources, log.Source())
	b.snap.Diagnostics = append(b.snap.Diagnostics, log.Diagnostics()...)
}

// AddDiagnostic records a diagnostic about a capture as a whole rather
// than a line a reader read: a gzip stream cut short, a zip archive with
// two entries of one name.
func (b *Builder) AddDiagnostic(d Diagnostic) {
	d.Message = validText(d.Message) // it may name an archive's entry
	b.snap.Diagnostics = append(b.snap.Diagnostics, d)
}

// Snapshot derives the aggregates and returns the snapshot. The Builder must
// not be used afterwards: it lets go of the handle and name sets it built
// the processes from, which are most of the memory reading a capture takes
// and which the snapshot does not need. (A second call returns the same
// processes, with the sources added since.)
func (b *Builder) Snapshot() *Snapshot {
	s := &b.snap
	if !b.built {
		b.built = true
		s.Processes = b.finishProcesses()
		b.procs, b.kernel, b.orphans, b.exitedThreads, b.active = nil, nil, nil, nil, nil
	}
	if s.Sources == nil {
		s.Sources = []Source{}
	}
	s.Diagnostics = append(s.Diagnostics, capBuilt(s)...)
	if s.Diagnostics == nil {
		s.Diagnostics = []Diagnostic{}
	}
	sort.SliceStable(s.Diagnostics, func(i, j int) bool {
		a, c := s.Diagnostics[i], s.Diagnostics[j]
		if a.Path != c.Path {
			return a.Path < c.Path
		}
		return a.Line < c.Line
	})
	return s
}

// finishProcesses finishes every process and returns them, in order.
// Each builder lets go of its sets once its process is finished, and the
// snapshot holds nothing of the builders.
func (b *Builder) finishProcesses() []*Process {
	s := &b.snap
	all := make([]*ProcessBuilder, 0, len(b.procs)+2)
	for _, pb := range b.procs {
		all = append(all, pb)
	}
	if b.kernel != nil {
		if sys := b.system(); sys != nil {
			sys.absorb(b.kernel)
		} else {
			b.kernel.more().kept = nil
			all = append(all, b.kernel)
			src := b.kernel.P.Source
			b.snap.Diagnostics = append(b.snap.Diagnostics, Diagnostic{
				Path: src.Path, Line: src.Line, Severity: SevInfo, Code: CodeMissing,
				Message: "kernel handle table handles are attributed to System, which the capture does not show: pid 4 assumed (System is pid 8 on Windows 2000, 2 on NT4)",
			})
		}
	}
	if b.orphans != nil {
		all = append(all, b.orphans)
	}
	exitedProcs := map[uint64]bool{}
	for _, pb := range all {
		if pb.P.Exited {
			if a, ok := parseHexString(pb.P.Address); ok {
				exitedProcs[a] = true
			}
		}
	}
	procs := make([]*Process, 0, len(all))
	// Who holds the exited: the handles the capture shows to each.
	heldBy := map[uint64]int64{}
	for _, pb := range all {
		procs = append(procs, pb.finish(exitedProcs, b.exitedThreads))
		s.Diagnostics = append(s.Diagnostics, pb.mergeDiagnostics()...)
		pb.eachRef(func(r objRef, c int64) {
			if !r.thread && exitedProcs[r.addr] {
				heldBy[r.addr] += c
			}
		})
		pb.release()
	}
	for _, p := range procs {
		if a, ok := parseHexString(p.Address); ok && p.Exited {
			p.HeldBy = heldBy[a]
		}
	}
	SortProcesses(procs)
	return procs
}

// SortProcesses puts a snapshot's processes in the order every snapshot
// lists them: by pid, then image, then counter instance, then kernel
// address; processes equal in all of those keep their order. Readers
// that make snapshots without a Builder (a series format) sort with it.
func SortProcesses(procs []*Process) {
	// An unstable sort, made stable by each process's place as the
	// tie-break: a stable sort's merges were a quarter of finishing a
	// capture of 100,000 processes.
	at := make(map[*Process]int, len(procs))
	for i, p := range procs {
		at[p] = i
	}
	slices.SortFunc(procs, func(a, c *Process) int {
		if n := cmp.Compare(a.PID, c.PID); n != 0 {
			return n
		}
		if n := strings.Compare(a.Image, c.Image); n != 0 {
			return n
		}
		if n := strings.Compare(a.Instance, c.Instance); n != 0 {
			return n
		}
		if n := strings.Compare(a.Address, c.Address); n != 0 {
			return n
		}
		return cmp.Compare(at[a], at[c])
	})
}

// system finds the System process, which owns the kernel handle table.
func (b *Builder) system() *ProcessBuilder {
	var found *ProcessBuilder
	for _, pb := range b.procs {
		if strings.EqualFold(pb.P.Image, "System") && (found == nil || pb.P.PID < found.P.PID) {
			found = pb
		}
	}
	return found
}

func parseHexString(s string) (uint64, bool) {
	if s == "" || len(s) > 16 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d, ok := hexDigit(s[i])
		if !ok {
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
