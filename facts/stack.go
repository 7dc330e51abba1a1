package facts

import (
	"math"
	"sort"
	"strings"
)

// Stack is a call stack that opened handles still open at the time of the
// capture, as `!htrace` recorded it, with how many handles it opened.
type Stack struct {
	// Frames are "module!function+0xoffset", innermost first, as the
	// debugger printed them (offsets without leading zeros).
	Frames []string `json:"frames"`
	Count  int64    `json:"count"`
	// Type is the object type of the handles: from the capture's handle
	// table where it shows them (TypeFrom "handle table"), else read from
	// the functions in the stack (CreateEvent: Event; TypeFrom "stack"),
	// else "".
	Type     string `json:"type"`
	TypeFrom string `json:"type_from"`
	// SinceSnapshot is set when the handles are those `!htrace -diff`
	// lists as opened since the previous snapshot and still open: the
	// strongest evidence of a leak there is.
	SinceSnapshot bool `json:"since_snapshot"`
	// First is where the first trace of this stack appears.
	First Position `json:"first"`
}

// StackLimit is how many distinct open stacks a process keeps, most
// handles first.
const StackLimit = 20

// Trace is one `!htrace` entry as a reader found it.
type Trace struct {
	Handle uint64
	// Kind is "OPEN", "CLOSE" or "BAD REFERENCE".
	Kind          string
	Frames        []string
	SinceSnapshot bool
	Pos           Position
}

// traceAgg accumulates a process's traces: each handle's latest event
// (traces are listed newest first), and the open stacks.
type traceAgg struct {
	latest  map[uint64]string
	stacks  map[string]*Stack
	stackOf map[uint64]*Stack // open handle -> the stack that opened it
	opens   int64
	closes  int64
	badRefs int64
	// since holds the handles `!htrace -diff` lists as open; footer adds
	// up the counts its footers state ("Displayed 0x4 stack traces for
	// outstanding handles opened since the previous snapshot.").
	since  map[uint64]bool
	footer int64
	// reported counts the handles a leak checker reported (AddReportedLeak).
	reported int64
}

// traceAgg returns the process's trace aggregate, made on first use.
func (pb *ProcessBuilder) traceAgg() *traceAgg {
	x := pb.more()
	if x.traces == nil {
		x.traces = &traceAgg{latest: map[uint64]string{}, stacks: map[string]*Stack{}, stackOf: map[uint64]*Stack{}, since: map[uint64]bool{}}
	}
	return x.traces
}

// unstack takes handle off the stack it was counted on.
func (ta *traceAgg) unstack(handle uint64, s *Stack) {
	delete(ta.stackOf, handle)
	if s.Count--; s.Count == 0 {
		delete(ta.stacks, strings.Join(s.Frames, "\n"))
	}
}

// ReportOutstandingSinceSnapshot records the count an `!htrace -diff`
// footer states, which may be more than the entries a capture shows.
func (pb *ProcessBuilder) ReportOutstandingSinceSnapshot(n int64) {
	pb.traceAgg().footer += n
}

// AddReportedLeak records count handles a leak checker reports the
// process opened with frames (innermost first) and never closed by the
// time it exited, first reported at pos. They are open stacks as
// `!htrace`'s are, without handle values: a checker names one handle of
// many ("handle 0x70 and 2 similar handle(s)"). Without frames (a
// summary's count alone) the handles are counted, with no stack.
func (pb *ProcessBuilder) AddReportedLeak(frames []string, count int64, pos Position) {
	if count <= 0 {
		return
	}
	ta := pb.traceAgg()
	ta.reported = min(ta.reported, math.MaxInt64-count) + count
	if len(frames) == 0 {
		return
	}
	key := strings.Join(frames, "\n")
	s := ta.stacks[key]
	if s == nil {
		if len(ta.stacks) >= reportedStackLimit {
			return // counted, its stack not kept: hostile text could name millions
		}
		s = &Stack{Frames: append([]string(nil), frames...), Type: TypeFromFrames(frames), First: pos}
		if s.Type != "" {
			s.TypeFrom = "stack"
		}
		ta.stacks[key] = s
	}
	s.Count = min(s.Count, math.MaxInt64-count) + count
}

// reportedStackLimit bounds the distinct stacks a leak checker's reports
// may add to a process: the most held are kept (StackLimit of them) when
// the snapshot is built.
const reportedStackLimit = 1 << 12

// AddTrace records one `!htrace` entry. Entries come newest first, so a
// handle's first entry tells whether it is still open: an OPEN seen before
// any CLOSE of the same handle value.
func (pb *ProcessBuilder) AddTrace(t *Trace) {
	ta := pb.traceAgg()
	switch t.Kind {
	case "OPEN":
		ta.opens++
	case "CLOSE":
		ta.closes++
	default:
		ta.badRefs++
	}
	if t.SinceSnapshot && t.Kind == "OPEN" {
		ta.since[t.Handle] = true
	}
	if _, seen := ta.latest[t.Handle]; seen {
		if !t.SinceSnapshot {
			return // an older event of a handle whose latest is known
		}
		// `!htrace -diff` lists again a handle a full `!htrace` showed:
		// one handle, now known to be opened since the snapshot.
		if old := ta.stackOf[t.Handle]; old != nil {
			if len(t.Frames) == 0 || strings.Join(t.Frames, "\n") == strings.Join(old.Frames, "\n") {
				old.SinceSnapshot = true
				return
			}
			ta.unstack(t.Handle, old)
		}
	}
	ta.latest[t.Handle] = t.Kind
	if t.Kind != "OPEN" || len(t.Frames) == 0 {
		return
	}
	key := strings.Join(t.Frames, "\n")
	s := ta.stacks[key]
	if s == nil {
		s = &Stack{Frames: append([]string(nil), t.Frames...), Type: TypeFromFrames(t.Frames), First: t.Pos}
		if s.Type != "" {
			s.TypeFrom = "stack"
		}
		ta.stacks[key] = s
	}
	ta.stackOf[t.Handle] = s
	s.Count++
	s.SinceSnapshot = s.SinceSnapshot || t.SinceSnapshot
}

// finishStacks sets the process's stack facts.
func (pb *ProcessBuilder) finishStacks(p *Process) {
	p.OpenStacks = []Stack{}
	ta := pb.moreRead().traces
	if ta == nil {
		return
	}
	p.TracedOpens, p.TracedCloses, p.TracedBadReferences = ta.opens, ta.closes, ta.badRefs
	p.OpenSinceSnapshot = max(int64(len(ta.since)), ta.footer)
	p.ReportedLeaks = ta.reported
	for _, s := range ta.stacks {
		p.OpenStacks = append(p.OpenStacks, *s)
		p.OpenTraced += s.Count
	}
	sort.Slice(p.OpenStacks, func(i, j int) bool {
		a, b := p.OpenStacks[i], p.OpenStacks[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return strings.Join(a.Frames, "\n") < strings.Join(b.Frames, "\n")
	})
	if len(p.OpenStacks) > StackLimit {
		p.OpenStacks = p.OpenStacks[:StackLimit]
	}
}

// creatorType returns the type of object a function creates or opens,
// by its name in lower case without its A/W/Ex suffixes, and whether it is
// one. A switch rather than a map: nothing to build at start.
func creatorType(fn string) (string, bool) {
	switch fn {
	case "createevent", "ntcreateevent", "zwcreateevent", "openevent":
		return "Event", true
	case "createmutex", "ntcreatemutant", "zwcreatemutant", "openmutex":
		return "Mutant", true
	case "createsemaphore", "ntcreatesemaphore", "zwcreatesemaphore":
		return "Semaphore", true
	case "createthread", "createremotethread", "ntcreatethread", "zwcreatethread", "openthread",
		"ntopenthread", "zwopenthread", "psopenthread":
		return "Thread", true
	case "zwopenprocess", "psopenprocess", "createprocess", "openprocess", "ntopenprocess",
		"ntcreateuserprocess":
		return "Process", true
	case "iocreatefile", "iocreatefilespecifydeviceobjecthint", "createfile", "ntcreatefile",
		"zwcreatefile", "ntopenfile", "zwopenfile":
		return "File", true
	case "regopenkey", "regcreatekey", "ntopenkey", "zwopenkey", "ntcreatekey", "zwcreatekey",
		"localbaseregopenkey":
		return "Key", true
	case "createfilemapping", "ntcreatesection", "zwcreatesection", "openfilemapping":
		return "Section", true
	case "createwaitabletimer", "ntcreatetimer":
		return "Timer", true
	case "createiocompletionport", "ntcreateiocompletion":
		return "IoCompletion", true
	case "openprocesstoken", "openthreadtoken", "ntopenprocesstoken", "duplicatetoken":
		return "Token", true
	}
	return "", false
}

// TypeFromFrames reads the object type a stack creates from the first
// function in it that creates or opens objects, or returns "".
func TypeFromFrames(frames []string) string {
	for _, f := range frames {
		fn := f
		if i := strings.IndexByte(fn, '!'); i >= 0 {
			fn = fn[i+1:]
		}
		if i := strings.IndexByte(fn, '+'); i >= 0 {
			fn = fn[:i]
		}
		fn = strings.ToLower(fn)
		for _, suffix := range []string{"internala", "internalw", "internal", "exw", "exa", "ex", "w", "a"} {
			if t, ok := creatorType(strings.TrimSuffix(fn, suffix)); ok && strings.HasSuffix(fn, suffix) {
				return t
			}
		}
		if t, ok := creatorType(fn); ok {
			return t
		}
	}
	return ""
}

// TracedHandles returns, for each process that has both `!htrace` stacks
// and a handle table in the capture, the values of its open traced
// handles, keyed by an opaque process key. A reader reads the capture again
// with a Builder told to ExpectHandles these, to learn their types from the
// table (traces and tables come in either order, and a Builder keeps no
// handle after counting it).
func (b *Builder) TracedHandles() map[string][]uint64 {
	want := map[string][]uint64{}
	for key, pb := range b.procs {
		ta := pb.moreRead().traces
		if ta == nil || pb.Parsed() == 0 {
			continue
		}
		for v := range ta.stackOf {
			want[key] = append(want[key], v)
		}
	}
	return want
}

// HandleInfo is what a handle table says of one handle.
type HandleInfo struct {
	Type, Name string
}

// ExpectHandles makes this Builder note the type and name of the given
// handles (from TracedHandles of another Builder) as they are added.
func (b *Builder) ExpectHandles(want map[string][]uint64) {
	for key, values := range want {
		pb := b.process(key, Position{}, nil)
		x := pb.more()
		x.want = map[uint64]*HandleInfo{}
		for _, v := range values {
			x.want[v] = nil
		}
	}
}

// ExpectedHandles returns what ExpectHandles asked for and the capture
// showed.
func (b *Builder) ExpectedHandles() map[string]map[uint64]HandleInfo {
	out := map[string]map[uint64]HandleInfo{}
	for key, pb := range b.procs {
		for v, info := range pb.moreRead().want {
			if info != nil {
				if out[key] == nil {
					out[key] = map[uint64]HandleInfo{}
				}
				out[key][v] = *info
			}
		}
	}
	return out
}

// AttachHandleInfo gives the open stacks the types the handle table shows
// for their handles, where all of a stack's handles shown agree.
func (b *Builder) AttachHandleInfo(found map[string]map[uint64]HandleInfo) {
	for key, infos := range found {
		if pb := b.procs[key]; pb != nil {
			pb.AttachHandleInfo(infos)
		}
	}
}

// TracedValues returns the values of the process's handles that traces
// show open (for a reader whose capture has the handle table too).
func (pb *ProcessBuilder) TracedValues() []uint64 {
	ta := pb.moreRead().traces
	if ta == nil {
		return nil
	}
	out := make([]uint64, 0, len(ta.stackOf))
	for v := range ta.stackOf {
		out = append(out, v)
	}
	return out
}

// AttachHandleInfo gives the process's open stacks the types its handle
// table shows for their handles, where all of a stack's handles agree.
func (pb *ProcessBuilder) AttachHandleInfo(infos map[uint64]HandleInfo) {
	ta := pb.moreRead().traces
	if ta == nil {
		return
	}
	types := map[*Stack]string{}
	for v, info := range infos {
		s := ta.stackOf[v]
		if s == nil || info.Type == "" {
			continue
		}
		if t, seen := types[s]; seen && t != info.Type {
			types[s] = "\x00" // the stack's handles are of several types
			continue
		}
		types[s] = info.Type
	}
	for s, t := range types {
		if t != "\x00" {
			s.Type, s.TypeFrom = t, "handle table"
		}
	}
}
