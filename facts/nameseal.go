package facts

import (
	"slices"
	"sort"
)

// A process's name table is sealed when the reader turns from the
// process to another (Builder.enter): its block of the capture has most
// likely ended, and its counts are final. Sealing keeps the sealKeep
// pairs TopNames would list first and lets the others go, so a capture's
// name tables take memory for the process being read, not for every
// process read so far (a capture of 2,000 processes of 1,000 names each
// held all 2,000,000 until its end).
//
// A process whose handles come back after its seal (another dump of the
// same process later in the capture) keeps counting, with the bounds of
// NameTableLimit: a pair still in the table counts on exactly; a pair let
// go of that comes back counts anew with Error floor (the most handles
// any pair let go of had), as a pair entering a full table does; a pair
// never seen is exact. DistinctNames stays exact, as the keys of the
// pairs let go of are kept (8 bytes each, up to droppedLimit; past it the
// table estimates them, as a full one does).
const (
	// sealKeep is how many pairs a sealed table keeps: more than
	// TopNamesLimit, so a process whose handles come back still ranks
	// its most held names on their exact counts.
	sealKeep = 16
	// sealAbove: a table of no more pairs than this is not sealed. As it
	// is twice sealKeep, a table sealed again has gained at least as many
	// pairs as it lets go of: a reader turning between two processes of
	// many names at every handle costs a seal per sealKeep new pairs, not
	// one per handle.
	sealAbove = 2 * sealKeep
	// droppedLimit is the most keys of pairs let go of a table keeps (4
	// KiB, the size of the estimate that takes over past it).
	droppedLimit = 512
)

// seal keeps the sealKeep pairs of the table that come first in
// TopNames' order (most handles first, then by type, typeName giving a
// type's name, and name) and lets the others go, if it holds more than
// sealAbove. Each pair let go of is handed to dropped with the handles
// counted to it (its count less the handles it may have had before).
func (t *nameTable) seal(typeName func(uint32) string, dropped func(typ uint32, name string, handles int64)) {
	if t.n <= sealAbove {
		return
	}
	r := t.rare
	if r == nil {
		r = &nameRare{err: make([]int64, t.n)}
		t.rare = r
	}
	keep, drop := t.selectKept(r, typeName)
	for _, i := range drop {
		s := t.slot(i)
		r.floor = max(r.floor, s.count)
		dropped(s.typ, s.name, s.count-r.err[i])
	}
	if r.hll == nil {
		if len(r.dropped)+len(drop) > droppedLimit {
			t.estimate()
		} else {
			// Made to its size: a table may be sealed once and kept to
			// the end of the capture.
			dropped := make([]uint64, len(r.dropped), len(r.dropped)+len(drop))
			copy(dropped, r.dropped)
			for _, i := range drop {
				dropped = append(dropped, t.idx.keys[i])
			}
			slices.Sort(dropped)
			r.dropped = dropped
		}
	}
	slots := make([]nameSlot, sealKeep)
	keys := make([]uint64, sealKeep, 2*sealKeep)
	errs := make([]int64, sealKeep)
	for j, i := range keep {
		slots[j], keys[j], errs[j] = *t.slot(i), t.idx.keys[i], r.err[i]
	}
	t.pages, t.n = [][]nameSlot{slots}, sealKeep
	t.idx = &nameIndex{keys: keys}
	t.rehash()
	r.err, r.heap, r.at = errs, nil, nil
}

// selectKept returns the sealKeep slots that come first in TopNames'
// order, in that order, and the others. It keeps the best so far in a
// sorted list, as topNames does: most slots fall short of its last on
// their count alone, which a sort of every slot would compare by name.
func (t *nameTable) selectKept(r *nameRare, typeName func(uint32) string) (keep, drop []int32) {
	first := func(a, b int32) bool {
		x, y := t.slot(a), t.slot(b)
		cx, cy := x.count-r.err[a], y.count-r.err[b]
		switch {
		case cx != cy:
			return cx > cy
		case x.typ != y.typ:
			return typeName(x.typ) < typeName(y.typ)
		}
		return x.name < y.name
	}
	keep = make([]int32, 0, sealKeep+1)
	drop = make([]int32, 0, int(t.n)-sealKeep)
	for i := range t.n {
		if len(keep) == sealKeep && !first(i, keep[sealKeep-1]) {
			drop = append(drop, i)
			continue
		}
		at := sort.Search(len(keep), func(j int) bool { return first(i, keep[j]) })
		keep = slices.Insert(keep, at, i)
		if len(keep) > sealKeep {
			drop = append(drop, keep[sealKeep])
			keep = keep[:sealKeep]
		}
	}
	return keep, drop
}

// enter returns what a pair of key k entering the table may have had
// before: floor if a seal let it go (or, once the table only estimates,
// may have), 0 if it is new. A pair let go of leaves dropped as it
// enters, so the table and dropped never hold a pair twice.
func (r *nameRare) enter(k uint64) int64 {
	if r.hll != nil {
		return r.floor
	}
	i, found := slices.BinarySearch(r.dropped, k)
	if !found {
		return 0
	}
	r.dropped = slices.Delete(r.dropped, i, i+1)
	return r.floor
}
