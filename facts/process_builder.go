package facts

import (
	"maps"
	"slices"
	"sort"
)

// ProcessBuilder accumulates one process. Readers set the header fields of P
// directly (pid, image, reported counts, exited...) and add handles with
// AddHandle; the aggregate fields of P are computed by Builder.Snapshot.
//
// A builder holds its handles' aggregates (h) from the first handle on,
// and what few processes need (x) from its first use: a capture may list
// hundreds of thousands of processes without a handle (zombies, a
// !process 0 0), each of which then takes a pointer of each.
type ProcessBuilder struct {
	// P is the process, a value of its own: the snapshot holds it, and
	// nothing of the builder, which it lets go of once built.
	P *Process
	h *handleAgg
	x *builderExtra
	// imagePos is where the image was first set (SetImage).
	imagePos Position
}

// handleAgg is what a process's handles add up to as they are added.
type handleAgg struct {
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
	// refs counts handles per Process or Thread object, to find handles to
	// exited processes and terminated threads once the whole capture is read.
	refs map[objRef]int64
	// sealedRefs holds what refs counted before the process was sealed,
	// packed (reflist.go; the counts of an object in both add up).
	sealedRefs refList
	// sketches remembers handles added without type or name, by value.
	sketches map[uint64]sketch
	// names counts named handles by (type, name), in bounded memory;
	// folders counts the names a seal let go of by folder (folder.go),
	// for processes of many names.
	names   nameTable
	folders folderTally
}

// builderExtra is what some captures give of a process besides its
// handles and header.
type builderExtra struct {
	// summary holds per-type counts from the debugger's own summary;
	// summaryComplete says it covers every type (a "Type Count" table), so
	// types it does not list are not counted from the handles either.
	summary         map[string]int64
	summaryComplete bool
	// summaryUntyped is the debugger's count of handles whose type it could
	// not read (the "None" row of its summary), or -1.
	summaryUntyped int64
	// keep makes AddHandle also keep each handle in kept, so a stand-in's
	// handles can be moved into the process it stands for with duplicates
	// still counted once.
	keep bool
	kept []Handle
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
	// imageConflicts are the other images later blocks gave the process
	// (SetImage), imageOmitted those past mergeLimit.
	imageConflicts []Diagnostic
	imageOmitted   int
	// zombies is what a zombie-counting tool says the process holds
	// (zombies.go), nil without one.
	zombies *zombieAgg
}

// noHandles and noExtra stand for the aggregates of a process that has
// none, to be read, never written.
var (
	noHandles handleAgg
	noExtra   = builderExtra{summaryUntyped: -1}
)

// hs returns the process's handle aggregates, made on first use.
func (pb *ProcessBuilder) hs() *handleAgg {
	if pb.h == nil {
		pb.h = &handleAgg{}
	}
	return pb.h
}

// hsRead returns the handle aggregates to read: noHandles for none.
func (pb *ProcessBuilder) hsRead() *handleAgg {
	if pb.h == nil {
		return &noHandles
	}
	return pb.h
}

// more returns what the process has besides its handles, made on first
// use.
func (pb *ProcessBuilder) more() *builderExtra {
	if pb.x == nil {
		pb.x = &builderExtra{summaryUntyped: -1}
	}
	return pb.x
}

// moreRead returns it to read: noExtra for none.
func (pb *ProcessBuilder) moreRead() *builderExtra {
	if pb.x == nil {
		return &noExtra
	}
	return pb.x
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
	a := pb.hsRead()
	for r, c := range a.refs {
		f(r, c)
	}
	a.sealedRefs.each(f)
}

func newProcessBuilder(pos Position) *ProcessBuilder {
	return &ProcessBuilder{P: &Process{Source: pos}}
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
	x := pb.x
	if x != nil {
		if info, wanted := x.want[h.Value]; wanted && (info == nil || info.Type == "") {
			x.want[h.Value] = &HandleInfo{Type: h.Type, Name: h.Name}
		}
	}
	a := pb.hs()
	complete := h.Type != "" && h.Naming != NameUnknown
	if !a.seen.add(h.Value) {
		old, ok := a.sketches[h.Value]
		if !ok || !richer(h, old) {
			return AddedDuplicate
		}
		a.count(old.typ, old.naming, "", old.object, Position{}, -1)
		a.count(h.Type, h.Naming, h.Name, h.Object, h.Pos, 1)
		if complete {
			delete(a.sketches, h.Value)
		} else {
			a.sketches[h.Value] = sketch{h.Type, h.Naming, h.Object}
		}
		if x != nil && x.keep {
			x.kept = append(x.kept, *h) // replayed, it merges again
		}
		return AddedMerged
	}
	if x != nil && x.keep {
		x.kept = append(x.kept, *h)
	}
	a.parsed++
	if h.Attributes&AttrInherit != 0 {
		a.inheritable++
	}
	a.count(h.Type, h.Naming, h.Name, h.Object, h.Pos, 1)
	if !complete && len(a.sketches) < sketchLimit {
		if a.sketches == nil {
			a.sketches = map[uint64]sketch{}
		}
		a.sketches[h.Value] = sketch{h.Type, h.Naming, h.Object}
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
func (a *handleAgg) count(typ string, naming Naming, name string, object uint64, pos Position, delta int64) {
	if typ == "" {
		a.untyped += delta
		return
	}
	id := a.last - 1
	if id < 0 || a.types[id].name != typ {
		var ok bool
		if id, ok = a.typeID(typ); !ok {
			id = len(a.types)
			a.types = append(a.types, typeAgg{name: typ})
			if a.typeIndex != nil || len(a.types) > smallTypes {
				a.indexTypes()
			}
		}
		a.last = id + 1
	}
	ta := &a.types[id]
	ta.count += delta
	switch naming {
	case Unnamed:
		ta.unnamed += delta
	case Named:
		if delta > 0 {
			a.names.add(uint32(id), name, pos)
		}
	}
	if object != 0 && (typ == "Process" || typ == "Thread") {
		if a.refs == nil {
			a.refs = map[objRef]int64{}
		}
		a.refs[objRef{object, typ == "Thread"}] += delta
	}
}

// AddThread records a thread of the process (THREAD lines of `!process`
// flags 2 and up); a thread shown twice counts once.
func (pb *ProcessBuilder) AddThread(address uint64, terminated bool) {
	x := pb.more()
	if x.threads == nil {
		x.threads = map[uint64]bool{}
	}
	if was, seen := x.threads[address]; seen && (was || !terminated) {
		return
	}
	x.threads[address] = terminated
}

// ReportThreadCount records the number of threads the capture states
// for the process without listing them (a ThreadCount column): it is the
// process's thread count unless threads are added (AddThread).
func (pb *ProcessBuilder) ReportThreadCount(n int64) { pb.more().threadCount = max(n, 0) }

// ReportTypeCount records the debugger's own count of handles of one type
// (a row of the user-mode "Type Count" summary, or "N handles of type X").
// The type "None" is the debugger's name for handles whose type it could
// not read: those count as untyped.
func (pb *ProcessBuilder) ReportTypeCount(typ string, n int64) {
	x := pb.more()
	if typ == "None" {
		x.summaryUntyped = n
		return
	}
	if x.summary == nil {
		x.summary = map[string]int64{}
	}
	x.summary[typ] = n
}

// ReportTypeTable records that the debugger printed its complete per-type
// summary; its rows follow through ReportTypeCount. ByType is then the
// summary alone, as the debugger counted every handle and the capture may
// list only some.
func (pb *ProcessBuilder) ReportTypeTable() {
	pb.more().summaryComplete = true
}

// ReportTypesPartial records that the debugger's per-type summary was cut
// short (the paste ends before its total): the rows read are counts, the
// types after them unknown (Process.TypesPartial), and the summary is no
// complete table.
func (pb *ProcessBuilder) ReportTypesPartial() {
	pb.P.TypesPartial = true
}

// Parsed returns the number of distinct handles added so far.
func (pb *ProcessBuilder) Parsed() int64 { return pb.hsRead().parsed }

// ParsedOfType returns the number of handles of typ added so far.
func (pb *ProcessBuilder) ParsedOfType(typ string) int64 {
	if pb.h == nil {
		return 0
	}
	if id, ok := pb.h.typeID(typ); ok {
		return pb.h.types[id].count
	}
	return 0
}

// typeID returns the index of typ in types, and whether it is there.
func (a *handleAgg) typeID(typ string) (int, bool) {
	if a.typeIndex == nil && len(a.types) > smallTypes {
		a.indexTypes() // let go of by a seal
	}
	if a.typeIndex != nil {
		id, ok := a.typeIndex[typ]
		return int(id), ok
	}
	for i := range a.types {
		if a.types[i].name == typ {
			return i, true
		}
	}
	return 0, false
}

// indexTypes puts the types typeIndex lacks in it, making it if need be.
func (a *handleAgg) indexTypes() {
	if a.typeIndex == nil {
		a.typeIndex = make(map[string]uint32, max(2*smallTypes, len(a.types)))
	}
	for i := len(a.typeIndex); i < len(a.types); i++ {
		a.typeIndex[a.types[i].name] = uint32(i)
	}
}

// absorb moves the handles of the stand-in other into pb (the kernel
// handle table into System). Header fields of pb are kept, but for table
// entries and type summaries pb lacks.
func (pb *ProcessBuilder) absorb(other *ProcessBuilder) {
	o := other.moreRead()
	for i := range o.kept {
		pb.AddHandle(&o.kept[i])
	}
	if pb.P.TableEntries == nil {
		pb.P.TableEntries = other.P.TableEntries
	}
	for a, t := range o.threads {
		pb.AddThread(a, t)
	}
	if other.x == nil {
		return
	}
	x := pb.more()
	if x.summaryUntyped < 0 {
		x.summaryUntyped = o.summaryUntyped
	}
	if o.summaryComplete && x.summary == nil {
		x.summaryComplete = true
	}
	for t, c := range o.summary {
		if _, ok := x.summary[t]; !ok {
			pb.ReportTypeCount(t, c)
		}
	}
}

// finish computes the aggregate fields of P.
func (pb *ProcessBuilder) finish(exitedProcs, exitedThreads map[uint64]bool) *Process {
	p := pb.P
	a, x := pb.hsRead(), pb.moreRead()
	p.HandlesParsed = a.parsed
	p.Untyped = a.untyped
	if x.summaryUntyped >= 0 {
		p.Untyped = x.summaryUntyped
	}
	pb.finishStacks(p)
	pb.finishVerifierStops(p)
	p.Threads, p.TerminatedThreads = int64(len(x.threads)), 0
	if len(x.threads) == 0 {
		p.Threads = x.threadCount
	}
	for _, t := range x.threads {
		if t {
			p.TerminatedThreads++
		}
	}
	p.ByType, p.UnnamedByType = a.typeCounts()
	p.TypeCountsFrom = CountsFromHandles
	p.Unnamed = 0
	for _, c := range p.UnnamedByType {
		p.Unnamed += c
	}
	var top topNames
	p.DistinctNames, p.DistinctNamesEstimated = a.names.distinct()
	for i := range a.names.n {
		s := a.names.slot(i)
		e := a.names.errOf(i)
		if c := s.count - e; len(top) == TopNamesLimit && c < top[len(top)-1].Count {
			continue // not among the most held: no Position made for it
		}
		top.offer(NameCount{Name: s.name, Type: a.types[s.typ].name, Count: s.count - e, Error: e, First: a.names.first(s)})
	}
	if len(x.summary) > 0 {
		// The debugger's own counts, over those of the handles it showed
		// (all of them if its summary covers every type).
		byType := make(map[string]int64, len(p.ByType)+len(x.summary))
		if !x.summaryComplete {
			maps.Copy(byType, p.ByType)
		}
		maps.Copy(byType, x.summary)
		p.ByType, p.TypeCountsFrom = byType, CountsFromSummary
	} else if x.summaryComplete {
		p.ByType = emptyCounts
	}
	p.DominantType, p.DominantShare = dominant(p.ByType)
	// The share is of every handle the process holds where the capture
	// says how many (its table's total), not only of those it shows, so
	// every finding on the process states one share.
	if total := p.BestCount(); p.DominantType != "" && total > 0 && (p.HandleCount != nil || p.TableEntries != nil) {
		p.DominantShare = min(float64(p.ByType[p.DominantType])/float64(total), 1)
	}
	p.TopNames = append([]NameCount{}, top...)
	p.TopFolder = a.topFolder(top)
	p.Inheritable = a.inheritable
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

// topFolder returns the folder most of the process's names are under,
// if one says more than its most held names (top) do: the names seals
// let go of, counted then, and those still in the table. A process of
// fewer than folderTallyFrom names has none, and is not tallied.
func (a *handleAgg) topFolder(top topNames) *Folder {
	if a.folders.incomplete || (a.folders.of == 0 && a.names.n < folderTallyFrom) {
		return nil
	}
	var most int64
	if len(top) > 0 {
		most = top[0].Count
	}
	a.folders.begin()
	for i := range a.names.n {
		s := a.names.slot(i)
		a.folders.add(s.typ, s.name, s.count-a.names.errOf(i))
	}
	a.folders.end(a.typeName)
	return a.folders.top(a.typeName, most)
}

// typeCounts returns the process's handles by type and its unnamed
// handles by type, as maps made for them; a process without any shares
// emptyCounts (a capture may list hundreds of thousands of processes
// without a handle, and an empty map takes 48 bytes).
func (a *handleAgg) typeCounts() (byType, unnamed map[string]int64) {
	if len(a.types) == 0 {
		return emptyCounts, emptyCounts
	}
	byType, unnamed = make(map[string]int64, len(a.types)), emptyCounts
	for _, ta := range a.types {
		byType[ta.name] = ta.count
		if ta.unnamed == 0 {
			continue
		}
		if len(unnamed) == 0 {
			unnamed = map[string]int64{}
		}
		unnamed[ta.name] = ta.unnamed
	}
	return byType, unnamed
}

// typeName returns the name of the type of id.
func (a *handleAgg) typeName(id uint32) string { return a.types[id].name }

// seal lets go of the names the process is least likely to be reported
// by, once the reader has turned to another process (nameseal.go).
// The index of its types goes too, made again if its handles come back,
// the room its list of types had to grow, and the map of its handles to
// processes and threads, whose counts move to a packed list.
func (pb *ProcessBuilder) seal() {
	a := pb.h
	if a == nil {
		return
	}
	switch {
	case a.names.n >= folderTallyFrom:
		a.folders.begin()
		a.names.seal(a.typeName, a.folders.add)
		a.folders.end(a.typeName)
	case a.names.n > sealAbove:
		a.folders.incomplete = true
		a.names.seal(a.typeName, func(uint32, string, int64) {})
	}
	a.typeIndex = nil
	if cap(a.types) > len(a.types) {
		a.types = slices.Clone(a.types)
	}
	a.sealedRefs.add(a.refs)
	a.refs = nil
}

// release lets go of what P's aggregates were computed from, once they
// are and the handles to exited processes counted: the type, name and
// handle sets, the threads, the traces. While a snapshot of many
// processes is finished, those not finished yet hold theirs, and those
// finished hold a Process and its counts instead.
func (pb *ProcessBuilder) release() {
	pb.h, pb.x = nil, nil
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
