package facts

// handleSet remembers which handle values a process has shown, at one bit
// per possible value in pages allocated on first use. Handle values are
// multiples of four and dense from the bottom of the table, so a process
// with a million handles costs about 32 KiB here: the price of counting a
// handle dumped twice only once.
type handleSet struct {
	pages    map[uint64]*handlePage
	lastKey  uint64
	lastPage *handlePage
}

const handlePageBits = 4096

type handlePage [handlePageBits / 64]uint64

// add records v and reports whether it was new.
func (s *handleSet) add(v uint64) bool {
	idx := v >> 2 // the low two bits of a handle value are tag bits
	key, bit := idx/handlePageBits, idx%handlePageBits
	page := s.lastPage
	if page == nil || key != s.lastKey {
		if s.pages == nil {
			s.pages = map[uint64]*handlePage{}
		}
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
