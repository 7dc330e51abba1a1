package facts

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// refList holds the handles a sealed process has to Process and Thread
// objects, which Builder.Snapshot reads once every process is read to
// count the handles to exited ones. A process of a capture holds them by
// the dozen and a capture lists processes by the thousand, so they are
// kept packed: each seal appends its counts, by address, as varints of
// the address's difference from the one before (a few bytes where
// objects lie close) and of the count with the object's kind in its low
// bit, about 6 bytes an object instead of 24. A seal appends, so a reader
// that turns between processes at every handle costs each seal its new
// objects only, not every object sealed before.
type refList struct {
	enc  []byte
	last uint64 // the address of the last object appended
}

// add appends the counts of refs, an object perhaps listed before (the
// counts add up).
func (l *refList) add(refs map[objRef]int64) {
	if len(refs) == 0 {
		return
	}
	sorted := make([]objRefCount, 0, len(refs))
	for r, n := range refs {
		sorted = append(sorted, objRefCount{r, n})
	}
	slices.SortFunc(sorted, func(a, b objRefCount) int { return cmp.Compare(a.addr, b.addr) })
	if l.enc == nil {
		// Sealed once, most likely: made to its size.
		l.enc = make([]byte, 0, len(sorted)*(binary.MaxVarintLen64+2))
	}
	for _, r := range sorted {
		l.enc = binary.AppendVarint(l.enc, int64(r.addr-l.last))
		kind := int64(0)
		if r.thread {
			kind = 1
		}
		l.enc = binary.AppendVarint(l.enc, r.n<<1|kind)
		l.last = r.addr
	}
	if cap(l.enc) > 2*len(l.enc) && cap(l.enc) > 64 {
		l.enc = slices.Clip(l.enc)
	}
}

// each calls f with each object and count appended, in order.
func (l *refList) each(f func(objRef, int64)) {
	var addr uint64
	for b := l.enc; len(b) > 0; {
		d, n := binary.Varint(b)
		if n <= 0 {
			return // not reached: the list is only ever appended by add
		}
		b = b[n:]
		v, m := binary.Varint(b)
		if m <= 0 {
			return
		}
		b = b[m:]
		addr += uint64(d)
		f(objRef{addr, v&1 == 1}, v>>1)
	}
}
