package facts

import "slices"

// NameTableLimit is how many (type, name) pairs a process's name counts
// hold. Up to that many distinct pairs every count is exact, and so is
// Process.DistinctNames: every capture of the corpus, and any process
// whose names repeat. Past it the table turns into a Space-Saving summary
// (Metwally, Agrawal and El Abbadi): a pair not in the table takes the
// place of the one with the fewest handles, and inherits that count as
// the handles it may have had before (NameCount.Error). Its guarantees,
// for a process with N named handles:
//
//   - a pair held more than N/NameTableLimit times is in the table: 1,000,000
//     named handles, a name held more than 122 times;
//   - a listed count (NameCount.Count, the handles counted since the pair
//     last entered the table) is never above the true one, and short of
//     it by at most its Error, which is at most N/NameTableLimit; Error 0
//     is exact. TopNames ranks by that count, so the churn of names held
//     once never makes a name look held often (a rule's threshold on
//     top_name.count raises no false alarm). A pair that entered the
//     table before it filled up and stayed in it (a leak's name, seen
//     from the start and never the least held) keeps its exact count: a
//     name held 40,000 times in a process of a million distinct names is
//     exact if it was among the process's first 8,192 names, and within
//     1,000,000/8,192 = 122 of its count otherwise;
//   - DistinctNames becomes a HyperLogLog estimate (hll.go), marked by
//     Process.DistinctNamesEstimated, with a relative standard error of
//     DistinctNamesError.
//
// Memory per process is bounded, however many distinct names its handles
// have: at most 8,192 slots of 48 bytes, their keys, index and heap (about
// 750 KiB in all) and 4 KiB for the estimate, besides the names' own bytes;
// once the reader has turned to another process, 16 slots and at most 4
// KiB of the keys of the names let go of (nameseal.go).
const NameTableLimit = 8192

// nameTable counts a process's named handles by (type, name). Types are
// given by their index in the process's list of types
// (ProcessBuilder.types), which the caller turns back into names.
type nameTable struct {
	// idx finds a pair's slot by its key (pairKey), once the table
	// holds more than smallNames pairs (nameindex.go); until then the
	// slots are searched in order, which is as fast and saves the index
	// (and the hashing) for each of the many processes that hold a few
	// names, and a pointer is all it takes of them.
	idx *nameIndex
	// pages hold the slots, slotsPerPage to a page but the first, which
	// grows to it: no slot is copied as the table grows, and a process of
	// a few names takes a few slots. n counts the slots.
	pages [][]nameSlot
	n     int32
	// paths are the files of the slots' first positions (nameSlot.path).
	paths []string
	// rare holds what few tables need, nil until one does: a process
	// builder holds a table, and there may be half a million of them.
	rare *nameRare
}

// nameRare is the part of a nameTable that only a table that has let
// pairs go needs, by eviction (full) or by a seal (nameseal.go): err
// holds each slot's count of the pairs it may have had before it entered
// the table (see nameSlot.count); heap orders the slots by count, least
// first, with each one's place in at, while the table evicts (it is full);
// floor is the most handles a pair a seal let go of was counted, what a
// pair entering the table again may have had before.
//
// The distinct pairs stay exact while dropped holds the keys of the pairs
// seals let go of (sorted; a pair neither there nor in the table is new);
// past droppedLimit of them, or at the first eviction, hll estimates them
// instead, every key since fed to it, and known bounds them from below:
// it is their number while exact, until a pair enters the table (a seal
// that lets more go than dropped holds leaves the count exact).
type nameRare struct {
	heap    []heapEntry
	at      []int32
	err     []int64
	floor   int64
	dropped []uint64
	hll     *hyperLogLog
	known   int64
	exact   bool
}

// heapEntry is a slot in the heap, with its count (nameSlot.count).
type heapEntry struct {
	count int64
	slot  int32
}

// slotsPerPage is the size of a page of slots.
const slotsPerPage = 256

// nameSlot is one counted pair, in 48 bytes.
type nameSlot struct {
	name string
	// line and offset are where its first handle appears, in
	// paths[path].
	line, offset int64
	// count may exceed the handles to the pair by up to err, the count of
	// the pair whose place it took; count-err never does.
	count int64
	typ   uint32
	path  uint32
}

// slot returns slot i.
func (t *nameTable) slot(i int32) *nameSlot {
	return &t.pages[i/slotsPerPage][i%slotsPerPage]
}

// first returns where slot s's first handle appears.
func (t *nameTable) first(s *nameSlot) Position {
	return Position{Path: t.paths[s.path], Line: s.line, Offset: s.offset}
}

// newSlot sets slot i to count a handle of (typ, name) at pos, with i
// == t.n for a new slot.
func (t *nameTable) newSlot(i int32, typ uint32, name string, pos Position, count int64) {
	p := len(t.paths) - 1
	if p < 0 || t.paths[p] != pos.Path {
		for p = 0; p < len(t.paths) && t.paths[p] != pos.Path; p++ {
		}
		if p == len(t.paths) {
			t.paths = append(t.paths, pos.Path)
		}
	}
	s := nameSlot{name: name, line: pos.Line, offset: pos.Offset, count: count, typ: typ, path: uint32(p)}
	if i < t.n {
		*t.slot(i) = s
		return
	}
	if last := len(t.pages) - 1; last < 0 || len(t.pages[last]) == slotsPerPage {
		size := slotsPerPage
		if last < 0 {
			size = 4
		}
		t.pages = append(t.pages, make([]nameSlot, 0, size))
	}
	last := len(t.pages) - 1
	t.pages[last] = append(t.pages[last], s)
	t.n++
}

// pairKey hashes a pair, its type given by index: once per handle.
func pairKey(typ uint32, name string) uint64 {
	return finalize(hashBytes(hashSeed^(uint64(typ)+1)*hashK1, name))
}

// smallNames is the most pairs a table holds without its index.
const smallNames = 8

// add counts a handle to name of the type of index typ, first seen at
// pos if new.
func (t *nameTable) add(typ uint32, name string, pos Position) {
	if t.idx != nil {
		t.addKey(pairKey(typ, name), typ, name, pos)
		return
	}
	if i, ok := t.find(0, typ, name); ok {
		t.slot(i).count++
		return
	}
	t.newSlot(t.n, typ, name, pos, 1)
	if t.n > smallNames {
		t.makeIndex()
	}
}

// addKey is add with the pair's key computed.
func (t *nameTable) addKey(k uint64, typ uint32, name string, pos Position) {
	if t.idx == nil {
		t.makeIndex()
	}
	r := t.rare
	if r != nil && r.hll != nil {
		r.hll.add(k)
	}
	if i, ok := t.find(k, typ, name); ok {
		t.slot(i).count++
		if r != nil && r.heap != nil {
			at := int(r.at[i])
			r.heap[at].count++
			t.down(at)
		}
		return
	}
	if t.n < NameTableLimit {
		var e int64
		if r != nil {
			e = r.enter(k)
			r.err = append(r.err, e)
			r.exact = false
		}
		t.newSlot(t.n, typ, name, pos, e+1)
		t.idx.keys = append(t.idx.keys, k)
		t.link(t.n - 1)
		return
	}
	if r == nil || r.heap == nil {
		t.fill(k)
		r = t.rare
	}
	// The pair takes the place of the least held one; a pair a seal let go
	// of may have had floor handles.
	top := &r.heap[0]
	i, least := top.slot, max(top.count, r.floor)
	t.unlink(i)
	r.err[i] = least
	t.newSlot(i, typ, name, pos, least+1)
	top.count = least + 1
	t.idx.keys[i] = k
	t.link(i)
	t.down(0)
}

// find returns the slot of the pair (typ, name), whose key is k (unused
// while the table has no index).
func (t *nameTable) find(k uint64, typ uint32, name string) (int32, bool) {
	if t.idx == nil {
		for i := range t.n {
			if s := t.slot(i); s.typ == typ && s.name == name {
				return i, true
			}
		}
		return 0, false
	}
	mask := uint64(len(t.idx.cells) - 1)
	for c := k & mask; ; c = (c + 1) & mask {
		e := t.idx.cells[c]
		if e == 0 {
			return 0, false
		}
		if i := e - 1; t.idx.keys[i] == k {
			if s := t.slot(i); s.typ == typ && s.name == name {
				return i, true
			}
		}
	}
}

// fill turns the full table into the summary, as the pair of key k
// arrives that it has no room for: the heap over its slots, and the
// estimate of the distinct pairs, from every pair counted so far.
func (t *nameTable) fill(k uint64) {
	r := t.rare
	if r == nil {
		r = &nameRare{err: make([]int64, t.n)}
		t.rare = r
	}
	if r.hll == nil {
		_, dropped := slices.BinarySearch(r.dropped, k)
		t.estimate()
		r.hll.add(k)
		if !dropped {
			r.known++ // neither in the table nor let go of: new
		}
	}
	r.exact = false
	r.heap = make([]heapEntry, t.n)
	r.at = make([]int32, t.n)
	for i := range t.n {
		r.heap[i], r.at[i] = heapEntry{t.slot(i).count, i}, i
	}
	for i := len(r.heap)/2 - 1; i >= 0; i-- {
		t.down(i)
	}
}

// estimate turns the table from counting its distinct pairs to
// estimating them: every pair counted so far, in the table or let go of,
// goes into the sketch, and their number is the estimate's floor.
func (t *nameTable) estimate() {
	r := t.rare
	r.hll = new(hyperLogLog)
	for _, k := range r.dropped {
		r.hll.add(k)
	}
	for i := range t.n {
		r.hll.add(t.idx.keys[i])
	}
	r.known, r.exact = int64(t.n)+int64(len(r.dropped)), true
	r.dropped = nil
}

// down moves the heap's entry at i towards the leaves until no child has
// a smaller count.
func (t *nameTable) down(i int) {
	h, at := t.rare.heap, t.rare.at
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && h[r].count < h[l].count {
			c = r
		}
		if h[c].count >= h[i].count {
			return
		}
		h[i], h[c] = h[c], h[i]
		at[h[i].slot], at[h[c].slot] = int32(i), int32(c)
		i = c
	}
}

// errOf returns slot i's possible overcount: 0 before the table let a
// pair go.
func (t *nameTable) errOf(i int32) int64 {
	if t.rare == nil {
		return 0
	}
	return t.rare.err[i]
}

// distinct returns the number of distinct pairs and whether it is an
// estimate.
func (t *nameTable) distinct() (int64, bool) {
	r := t.rare
	switch {
	case r == nil:
		return int64(t.n), false
	case r.hll == nil:
		return int64(t.n) + int64(len(r.dropped)), false
	case r.exact:
		return r.known, false
	}
	// At least as many as were counted before the estimate began, whatever
	// it says.
	return max(int64(r.hll.estimate()+0.5), r.known, int64(t.n)), true
}
