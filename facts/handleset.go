package facts

import "slices"

// handleSet remembers which handle values a process has shown, at one bit
// per possible value in pages allocated on first use. Handle values are
// multiples of four and dense from the bottom of the table, so a process
// with a million handles costs about 32 KiB here: the price of counting a
// handle dumped twice only once.
//
// A process's first smallSetLimit values are kept in a list instead, and
// move into pages past it: most processes hold a few dozen handles, and a
// page and its map (over 700 bytes) for each of 500,000 such processes
// was a third of what reading their capture took.
type handleSet struct {
	small    []uint64 // values >> 2, while pages is nil
	pages    map[uint64]*handlePage
	lastKey  uint64
	lastPage *handlePage
}

const handlePageBits = 4096

// smallSetLimit is the most values the list holds: searched in order, it
// is as fast as the pages at this size.
const smallSetLimit = 32

type handlePage [handlePageBits / 64]uint64

// add records v and reports whether it was new.
func (s *handleSet) add(v uint64) bool {
	idx := v >> 2 // the low two bits of a handle value are tag bits
	if s.pages == nil {
		if slices.Contains(s.small, idx) {
			return false
		}
		if len(s.small) < smallSetLimit {
			s.small = append(s.small, idx)
			return true
		}
		s.pages = map[uint64]*handlePage{}
		for _, x := range s.small {
			s.addIndex(x)
		}
		s.small = nil
	}
	return s.addIndex(idx)
}

// addIndex records the value whose index (v >> 2) is idx in the pages.
func (s *handleSet) addIndex(idx uint64) bool {
	key, bit := idx/handlePageBits, idx%handlePageBits
	page := s.lastPage
	if page == nil || key != s.lastKey {
		page = s.pages[key]
		if page == nil {
			page = new(handlePage)
			s.pages[key] = page
		}
		s.lastKey, s.lastPage = key, page
	}
	word, mask := bit/64, uint64(1)<<(bit%64)
	if page[word]&mask != 0 {
		return false
	}
	page[word] |= mask
	return true
}
