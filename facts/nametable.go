package facts

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
// have: about 1 MiB at most for the table and 4 KiB for the estimate.
const NameTableLimit = 8192

// nameTable counts a process's named handles by (type, name).
type nameTable struct {
	// index finds a pair's slot by its nameKey; spill holds the rare pair
	// whose key another pair in the table already has.
	index map[uint64]int32
	spill map[namePair]int32
	slots []nameSlot
	// heap holds the slots' indices ordered by count, least first, once
	// the table is full; nil before.
	heap []int32
	// hll estimates the distinct pairs once the table is full.
	hll *hyperLogLog
}

type namePair struct{ typ, name string }

// nameSlot is one counted pair.
type nameSlot struct {
	key       uint64
	typ, name string
	// count may exceed the handles to the pair by up to err, the count of
	// the pair whose place it took; count-err never does.
	count, err int64
	first      Position
	at         int32 // place in heap
	spilled    bool  // indexed in spill, not index
}

// add counts a handle to name of type typ, first seen at pos if new.
func (t *nameTable) add(typ, name string, pos Position) {
	t.addKey(nameKey(typ, name), typ, name, pos)
}

// addKey is add with the pair's key computed.
func (t *nameTable) addKey(k uint64, typ, name string, pos Position) {
	if t.hll != nil {
		t.hll.add(k)
	}
	if i, ok := t.find(k, typ, name); ok {
		s := &t.slots[i]
		s.count++
		if t.heap != nil {
			t.down(int(s.at))
		}
		return
	}
	if len(t.slots) < NameTableLimit {
		if t.index == nil {
			t.index = map[uint64]int32{}
		}
		t.slots = append(t.slots, nameSlot{key: k, typ: typ, name: name, count: 1, first: pos})
		t.link(int32(len(t.slots) - 1))
		return
	}
	if t.heap == nil {
		t.fill()
	}
	// The pair takes the place of the least held one.
	i := t.heap[0]
	s := &t.slots[i]
	t.unlink(i)
	*s = nameSlot{key: k, typ: typ, name: name, count: s.count + 1, err: s.count, first: pos, at: 0}
	t.link(i)
	t.down(0)
}

// find returns the slot of the pair (typ, name), whose key is k.
func (t *nameTable) find(k uint64, typ, name string) (int32, bool) {
	i, ok := t.index[k]
	if !ok {
		return 0, false
	}
	if s := &t.slots[i]; s.typ == typ && s.name == name {
		return i, true
	}
	i, ok = t.spill[namePair{typ, name}]
	return i, ok
}

// link indexes slot i under its key, or in spill when another pair has
// that key.
func (t *nameTable) link(i int32) {
	s := &t.slots[i]
	if _, taken := t.index[s.key]; !taken {
		t.index[s.key] = i
		return
	}
	if t.spill == nil {
		t.spill = map[namePair]int32{}
	}
	s.spilled = true
	t.spill[namePair{s.typ, s.name}] = i
}

// unlink removes slot i from the index.
func (t *nameTable) unlink(i int32) {
	s := &t.slots[i]
	if s.spilled {
		delete(t.spill, namePair{s.typ, s.name})
		return
	}
	delete(t.index, s.key)
	// A spilled pair of the same key moves into the index.
	for p, j := range t.spill {
		if t.slots[j].key == s.key {
			delete(t.spill, p)
			t.slots[j].spilled = false
			t.index[s.key] = j
			break
		}
	}
}

// fill turns the full table into the summary: the heap over its slots,
// and the estimate, which starts from the pairs counted so far (all of
// them, as none has been dropped).
func (t *nameTable) fill() {
	t.hll = new(hyperLogLog)
	t.heap = make([]int32, len(t.slots))
	for i := range t.slots {
		t.heap[i] = int32(i)
		t.slots[i].at = int32(i)
		t.hll.add(t.slots[i].key)
	}
	for i := len(t.heap)/2 - 1; i >= 0; i-- {
		t.down(i)
	}
}

// down moves the heap's entry at i towards the leaves until no child has
// a smaller count.
func (t *nameTable) down(i int) {
	h := t.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && t.slots[h[r]].count < t.slots[h[l]].count {
			c = r
		}
		if t.slots[h[c]].count >= t.slots[h[i]].count {
			return
		}
		h[i], h[c] = h[c], h[i]
		t.slots[h[i]].at, t.slots[h[c]].at = int32(i), int32(c)
		i = c
	}
}

// distinct returns the number of distinct pairs and whether it is an
// estimate.
func (t *nameTable) distinct() (int64, bool) {
	if t.hll == nil {
		return int64(len(t.slots)), false
	}
	// More than the table holds were seen, whatever the estimate says.
	return max(int64(t.hll.estimate()+0.5), NameTableLimit+1), true
}
