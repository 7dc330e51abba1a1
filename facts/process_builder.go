package facts

import (
	"slices"
	"sort"
)

// ProcessBuilder accumulates one process. Readers set the header fields of P
// directly (pid, image, reported counts, exited...) and add handles with
// AddHandle; the aggregate fields of P are computed by Builder.Snapshot.
type ProcessBuilder struct {
	// P is the process, a value of its own: the snapshot holds it, and
	// nothing of the builder, which it lets go of once built.
	P *Process

	// types count handles by type, in the order first seen: a type's
	// index is its id, by which names count it. typeIndex finds a type
	// once there are more than smallTypes; until then they are searched in
	// order (a map for each of 500,000 processes of a few types was a
	// tenth of what reading their capture took). last is 1 + the index of
	// the latest type, 0 for none: handles of one type come in runs.
	types     []typeAgg
	typeIndex map[string]uint32
	last      int
	untyped   int64
	parsed    int64
	// inheritable counts the handles (fds) a child process would inherit.
	inheritable int64
	seen        handleSet
	// summary holds per-type counts from the debugger's own summary;
	// summaryComplete says it covers every type (a "Type Count" table), so
	// types it does not list are not counted from the handles either.
	summary         map[string]int64
	summaryComplete bool
	// refs counts handles per Process or Thread object, to find handles to
	// exited processes and terminated threads once the whole capture is read.
	refs map[objRef]int64
	// sealedRefs holds what refs counted before the process was sealed,
	// packed (reflist.go; the counts of an object in both add up).
	sealedRefs refList
	// keep makes AddHandle also keep each handle in kept, so a stand-in's
	// handles can be moved into the process it stands for with duplicates
	// still counted once.
	keep bool
	kept []Handle
	// sketches remembers handles added without type or name, by value.
	sketches map[uint64]sketch
	// names counts named handles by (type, name), in bounded memory.
	names nameTable
	// traces accumulates `!htrace` entries, nil without any.
	traces *traceAgg
	// want holds handles whose type and name a second read of the capture
	// looks for (Builder.ExpectHandles), nil otherwise.
	want map[uint64]*HandleInfo
	// threads maps each thread address to whether it has terminated.
	threads map[uint64]bool
	// threadCount is the number of threads a capture states without
	// showing them (ReportThreadCount), 0 if none.
	threadCount int64
	// summaryUntyped is the debugger's count of handles whose type it could
	// not read (the "None" row of its summary), or -1.
	summaryUntyped int64
	// image records where the image was set, and conflicts (SetImage).
	image imageRecord
	// zombies is what a zombie-counting tool says the process holds
	// (zombies.go), nil without one.
	zombies *zombieAgg
}

type typeAgg struct {
	name    string
	count   int64
	unnamed int64
}

// smallTypes is the most types a process builder searches in order.
const smallTypes = 16

type objRef struct {
	addr   uint64
	thread bool
}

type objRefCount struct {
	objRef
	n int64
}

// eachRef calls f with the handles the process holds to each Process or
// Thread object, an object perhaps more than once (the counts add up).
func (pb *ProcessBuilder) eachRef(f func(objRef, int64)) {
	for r, c := range pb.refs {
		f(r, c)
	}
	pb.sealedRefs.each(f)
}

func newProcessBuilder(pos Position) *ProcessBuilder {
	return &ProcessBuilder{P: &Process{Source: pos}, summaryUntyped: -1}
}

// Added says what AddHandle did with a handle.
type Added uint8

const (
	// AddedNew: the handle was counted.
	AddedNew Added = iota
	// AddedMerged: the handle had been added before with less detail (its
	// type or name not shown, as `!handle 1c 1` prints it); the counts now
	// use the detail of this dump instead.
	AddedMerged
	// AddedDuplicate: the handle had been added before; nothing changed.
	AddedDuplicate
)

// sketchLimit bounds how many handles added without type or name a process
// remembers, in case a later dump shows them in full. Past it, such handles
// are still counted, but a fuller dump of them counts as a duplicate.
const sketchLimit = 4096

// sketch is what the counts took from a handle added with incomplete
// detail.
type sketch struct {
	typ    string
	naming Naming
	object uint64
}

// AddHandle folds h into the process. A handle value already added to this
// process is not counted again, so a capture that dumps the same handle
// twice does not inflate the counts; when the earlier dump lacked the type
// or name this one has, the handle is counted with the new detail instead.
func (pb *ProcessBuilder) AddHandle(h *Handle) Added {
	if info, wanted := pb.want[h.Value]; wanted && (info == nil || info.Type == "") {
		pb.want[h.Value] = &HandleInfo{Type: h.Type, Name: h.Name}
	}
	complete := h.Type != "" && h.Naming != NameUnknown
	if !pb.seen.add(h.Value) {
		old, ok := pb.sketches[h.Value]
		if !ok || !richer(h, old) {
			return AddedDuplicate
		}
		pb.count(old.typ, old.naming, "", old.object, Position{}, -1)
		pb.count(h.Type, h.Naming, h.Name, h.Object, h.Pos, 1)
		if complete {
			delete(pb.sketches, h.Value)
		} else {
			pb.sketches[h.Value] = sketch{h.Type, h.Naming, h.Object}
		}
		if pb.keep {
			pb.kept = append(pb.kept, *h) // replayed, it merges again
		}
		return AddedMerged
	}
	if pb.keep {
		pb.kept = append(pb.kept, *h)
	}
	pb.parsed++
	if h.Attributes&AttrInherit != 0 {
		pb.inheritable++
	}
	pb.count(h.Type, h.Naming, h.Name, h.Object, h.Pos, 1)
	if !complete && len(pb.sketches) < sketchLimit {
		if pb.sketches == nil {
			pb.sketches = map[uint64]sketch{}
		}
		pb.sketches[h.Value] = sketch{h.Type, h.Naming, h.Object}
	}
	return AddedNew
}

// richer reports whether h shows detail the earlier dump old lacked.
func richer(h *Handle, old sketch) bool {
	return (old.typ == "" && h.Type != "") || (old.naming == NameUnknown && h.Naming != NameUnknown)
}

// count adds delta (1 or -1) handles of typ with the given naming to the
// aggregates. Names are only ever added: a handle is merged only from a
// dump that did not show its name.
func (pb *ProcessBuilder) count(typ string, naming Naming, name string, object uint64, pos Position, delta int64) {
	if typ == "" {
		pb.untyped += delta
		return
	}
	id := pb.last - 1
	if id < 0 || pb.types[id].name != typ {
		var ok bool
		if id, ok = pb.typeID(typ); !ok {
			id = len(pb.types)
			pb.types = append(pb.types, typeAgg{name: typ})
			if pb.typeIndex != nil || len(pb.types) > smallTypes {
				pb.indexTypes()
			}
		}
		pb.last = id + 1
	}
	ta := &pb.types[id]
	ta.count += delta
	switch naming {
	case Unnamed:
		ta.unnamed += delta
	case Named:
		if delta > 0 {
			pb.names.add(uint32(id), name, pos)
		}
	}
	if object != 0 && (typ == "Process" || typ == "Thread") {
		if pb.refs == nil {
			pb.refs = map[objRef]int64{}
		}
		pb.refs[objRef{object, typ == "Thread"}] += delta
	}
}

// AddThread records a thread of the process (THREAD lines of `!process`
// flags 2 and up); a thread shown twice counts once.
func (pb *ProcessBuilder) AddThread(address uint64, terminated bool) {
	if pb.threads == nil {
		pb.threads = map[uint64]bool{}
	}
	if was, seen := pb.threads[address]; seen && (was || !terminated) {
		return
	}
	pb.threads[address] = terminated
}

// ReportThreadCount records the number of threads the capture states
// for the process without listing them (a ThreadCount column): it is the
// process's thread count unless threads are added (AddThread).
func (pb *ProcessBuilder) ReportThreadCount(n int64) { pb.threadCount = max(n, 0) }

// ReportTypeCount records the debugger's own count of handles of one type
// (a row of the user-mode "Type Count" summary, or "N handles of type X").
// The type "None" is the debugger's name for handles whose type it could
// not read: those count as untyped.
func (pb *ProcessBuilder) ReportTypeCount(typ string, n int64) {
	if typ == "None" {
		pb.summaryUntyped = n
		return
	}
	if pb.summary == nil {
		pb.summary = map[string]int64{}
	}
	pb.summary[typ] = n
}

// ReportTypeTable records that the debugger printed its complete per-type
// summary; its rows follow through ReportTypeCount. ByType is then the
// summary alone, as the debugger counted every handle and the capture may
// list only some.
func (pb *ProcessBuilder) ReportTypeTable() {
	pb.summaryComplete = true
}

// ReportTypesPartial records that the debugger's per-type summary was cut
// short (the paste ends before its total): the rows read are counts, the
// types after them unknown (Process.TypesPartial), and the summary is no
// complete table.
func (pb *ProcessBuilder) ReportTypesPartial() {
	pb.P.TypesPartial = true
}

// Parsed returns the number of distinct handles added so far.
func (pb *ProcessBuilder) Parsed() int64 { return pb.parsed }

// ParsedOfType returns the number of handles of typ added so far.
func (pb *ProcessBuilder) ParsedOfType(typ string) int64 {
	if id, ok := pb.typeID(typ); ok {
		return pb.types[id].count
	}
	return 0
}

// typeID returns the index of typ in types, and whether it is there.
func (pb *ProcessBuilder) typeID(typ string) (int, bool) {
	if pb.typeIndex == nil && len(pb.types) > smallTypes {
		pb.indexTypes() // let go of by a seal
	}
	if pb.typeIndex != nil {
		id, ok := pb.typeIndex[typ]
		return int(id), ok
	}
	for i := range pb.types {
		if pb.types[i].name == typ {
			return i, true
		}
	}
	return 0, false
}

// indexTypes puts the types typeIndex lacks in it, making it if need be.
func (pb *ProcessBuilder) indexTypes() {
	if pb.typeIndex == nil {
		pb.typeIndex = make(map[string]uint32, max(2*smallTypes, len(pb.types)))
	}
	for i := len(pb.typeIndex); i < len(pb.types); i++ {
		pb.typeIndex[pb.types[i].name] = uint32(i)
	}
}

// absorb moves the handles of the stand-in other into pb (the kernel
// handle table into System). Header fields of pb are kept, but for table
// entries and type summaries pb lacks.
func (pb *ProcessBuilder) absorb(other *ProcessBuilder) {
	for i := range other.kept {
		pb.AddHandle(&other.kept[i])
	}
	if pb.P.TableEntries == nil {
		pb.P.TableEntries = other.P.TableEntries
	}
	for a, t := range other.threads {
		pb.AddThread(a, t)
	}
	if pb.summaryUntyped < 0 {
		pb.summaryUntyped = other.summaryUntyped
	}
	if other.summaryComplete && pb.summary == nil {
		pb.summaryComplete = true
	}
	for t, c := range other.summary {
		if _, ok := pb.summary[t]; !ok {
			pb.ReportTypeCount(t, c)
		}
	}
}

// finish computes the aggregate fields of P.
func (pb *ProcessBuilder) finish(exitedProcs, exitedThreads map[uint64]bool) *Process {
	p := pb.P
	p.HandlesParsed = pb.parsed
	p.Untyped = pb.untyped
	if pb.summaryUntyped >= 0 {
		p.Untyped = pb.summaryUntyped
	}
	pb.finishStacks(p)
	pb.finishVerifierStops(p)
	p.Threads, p.TerminatedThreads = int64(len(pb.threads)), 0
	if len(pb.threads) == 0 {
		p.Threads = pb.threadCount
	}
	for _, t := range pb.threads {
		if t {
			p.TerminatedThreads++
		}
	}
	p.ByType = map[string]int64{}
	p.UnnamedByType = map[string]int64{}
	p.TypeCountsFrom = CountsFromHandles
	p.Unnamed = 0
	for _, ta := range pb.types {
		t := ta.name
		p.ByType[t] = ta.count
		if ta.unnamed > 0 {
			p.UnnamedByType[t] = ta.unnamed
			p.Unnamed += ta.unnamed
		}
	}
	var top topNames
	p.DistinctNames, p.DistinctNamesEstimated = pb.names.distinct()
	for i := range pb.names.n {
		s := pb.names.slot(i)
		e := pb.names.errOf(i)
		if c := s.count - e; len(top) == TopNamesLimit && c < top[len(top)-1].Count {
			continue // not among the most held: no Position made for it
		}
		top.offer(NameCount{Name: s.name, Type: pb.types[s.typ].name, Count: s.count - e, Error: e, First: pb.names.first(s)})
	}
	if pb.summaryComplete {
		p.ByType = map[string]int64{}
	}
	for t, c := range pb.summary {
		p.ByType[t] = c
		p.TypeCountsFrom = CountsFromSummary
	}
	p.DominantType, p.DominantShare = dominant(p.ByType)
	// The share is of every handle the process holds where the capture
	// says how many (its table's total), not only of those it shows, so
	// every finding on the process states one share.
	if total := p.BestCount(); p.DominantType != "" && total > 0 && (p.HandleCount != nil || p.TableEntries != nil) {
		p.DominantShare = min(float64(p.ByType[p.DominantType])/float64(total), 1)
	}
	p.TopNames = append([]NameCount{}, top...)
	p.Inheritable = pb.inheritable
	p.HandlesToExitedProcesses, p.HandlesToExitedThreads = 0, 0
	pb.eachRef(func(r objRef, c int64) {
		switch {
		case r.thread && exitedThreads[r.addr]:
			p.HandlesToExitedThreads += c
		case !r.thread && exitedProcs[r.addr]:
			p.HandlesToExitedProcesses += c
		}
	})
	pb.finishZombies(p)
	return p
}

// seal lets go of the names the process is least likely to be reported
// by, once the reader has turned to another process (nameseal.go).
// The index of its types goes too, made again if its handles come back,
// the room its list of types had to grow, and the map of its handles to
// processes and threads, whose counts move to a packed list.
func (pb *ProcessBuilder) seal() {
	pb.names.seal(func(id uint32) string { return pb.types[id].name })
	pb.typeIndex = nil
	if cap(pb.types) > len(pb.types) {
		pb.types = slices.Clone(pb.types)
	}
	pb.sealedRefs.add(pb.refs)
	pb.refs = nil
}

// release lets go of what P's aggregates were computed from, once they
// are: the type, name and handle sets, the threads, the traces. refs
// (and sealedRefs) stay, which Builder.Snapshot reads after finishing
// every process.
func (pb *ProcessBuilder) release() {
	pb.types, pb.typeIndex, pb.last = nil, nil, 0
	pb.seen, pb.sketches, pb.names, pb.kept = handleSet{}, nil, nameTable{}, nil
	pb.summary, pb.traces, pb.want, pb.threads = nil, nil, nil, nil
	pb.zombies = nil
}

// topNames keeps the TopNamesLimit most held names, most first, without
// sorting them all: a process may hold handles to a million names.
type topNames []NameCount

func (t *topNames) offer(n NameCount) {
	s := *t
	if len(s) == TopNamesLimit && !before(n, s[len(s)-1]) {
		return
	}
	i := sort.Search(len(s), func(i int) bool { return before(n, s[i]) })
	if len(s) < TopNamesLimit {
		s = append(s, NameCount{})
	}
	copy(s[i+1:], s[i:])
	s[i] = n
	*t = s
}

// before orders names: most handles first, then by type and name.
func before(a, b NameCount) bool {
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	return a.Name < b.Name
}

// dominant returns the type with most handles (ties to the name that sorts
// first) and its share of all handles in byType.
func dominant(byType map[string]int64) (string, float64) {
	var best string
	var max, total int64
	for t, c := range byType {
		total += c
		if c > max || (c == max && c > 0 && t < best) {
			best, max = t, c
		}
	}
	if total == 0 {
		return "", 0
	}
	return best, float64(max) / float64(total)
}
