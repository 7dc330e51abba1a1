package facts

// nameIndex is a name table's index: an open-addressing hash table of
// slot numbers, probed linearly from the cell the pair's key picks: a
// cell holds 1 + the slot's number, 0 when empty. It keeps each slot's
// key, so finding a pair compares keys before names, and a slot leaves
// the index without its key being worked out again. Two pairs of one
// key each take a cell of their own, as any two pairs whose cells meet
// do. At most half the cells are taken, so a probe reads a cell or two;
// for a full table that is 16,384 cells of 4 bytes and 8,192 keys of 8
// (128 KiB), about half of what the Go map of keys to slots took.
type nameIndex struct {
	cells []int32
	keys  []uint64
}

// minIndexCells is the size of a new index.
const minIndexCells = 4 * smallNames

// makeIndex indexes the slots of a table that had none, each under its
// pair's key.
func (t *nameTable) makeIndex() {
	t.idx = &nameIndex{keys: make([]uint64, t.n, max(2*int(t.n), minIndexCells/2))}
	for i := range t.n {
		s := t.slot(i)
		t.idx.keys[i] = pairKey(s.typ, s.name)
	}
	t.rehash()
}

// rehash indexes every slot anew, in an index of at least twice as many
// cells as slots.
func (t *nameTable) rehash() {
	cells := minIndexCells
	for cells < 2*int(t.n) {
		cells *= 2
	}
	t.idx.cells = make([]int32, cells)
	for i := range t.n {
		t.place(i)
	}
}

// link indexes slot i under its key, keys[i], growing the index to keep
// at most half of its cells taken.
func (t *nameTable) link(i int32) {
	if 2*int(t.n) > len(t.idx.cells) {
		t.rehash() // places i too
		return
	}
	t.place(i)
}

// place puts slot i in the first empty cell from its key's.
func (t *nameTable) place(i int32) {
	mask := uint64(len(t.idx.cells) - 1)
	c := t.idx.keys[i] & mask
	for t.idx.cells[c] != 0 {
		c = (c + 1) & mask
	}
	t.idx.cells[c] = i + 1
}

// unlink removes slot i from the index. The cells after it that their
// keys would have put at its cell or before move back (backward-shift
// deletion), so no probe stops short at the emptied cell.
func (t *nameTable) unlink(i int32) {
	mask := uint64(len(t.idx.cells) - 1)
	hole := t.idx.keys[i] & mask
	for t.idx.cells[hole] != i+1 {
		hole = (hole + 1) & mask
	}
	for c := (hole + 1) & mask; t.idx.cells[c] != 0; c = (c + 1) & mask {
		e := t.idx.cells[c]
		home := t.idx.keys[e-1] & mask
		// e may fill the hole if the hole lies between its home cell
		// and the cell it is in, going round.
		if (c-home)&mask >= (c-hole)&mask {
			t.idx.cells[hole] = e
			hole = c
		}
	}
	t.idx.cells[hole] = 0
}
