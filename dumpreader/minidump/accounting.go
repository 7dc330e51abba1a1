package minidump

import (
	"cmp"
	"maps"
	"slices"
)

// Accounting says where every byte of the file went. Each byte is counted
// once, in the first of these that covers it: the header and directory,
// decoded streams, referenced data, skipped streams; what none covers is
// Other. So Parsed + Skipped + Other == Size always holds.
type Accounting struct {
	// Size is the file size.
	Size int64
	// Header counts the header and the stream directory.
	Header int64
	// Decoded counts the streams this package decodes (the first of each
	// type it knows).
	Decoded int64
	// Referenced counts what decoded streams point to outside themselves
	// and was read: strings (their length field, UTF-16 text and
	// terminating NUL) and handle object information.
	Referenced int64
	// Parsed is Header + Decoded + Referenced.
	Parsed int64
	// Skipped counts the streams not decoded: unknown and vendor types,
	// duplicates, and types this package does not read.
	Skipped int64
	// SkippedByType splits Skipped by stream type name, such as
	// "Memory64ListStream"; a name is present for every skipped stream,
	// even when its bytes were all counted elsewhere.
	SkippedByType map[string]int64
	// Other counts bytes in no stream and not read: memory contents,
	// thread contexts, CodeView records, padding.
	Other int64
}

// Accounting decodes every stream this package reads (collecting their
// problems) and returns where each byte of the file went. It is computed
// once; later calls return a copy of the same result. It reads the whole
// handle table, and holds the ranges of the strings it points to, merged
// where they touch.
func (d *Dump) Accounting() Accounting {
	d.acctOnce.Do(d.account)
	a := d.acct
	a.SkippedByType = maps.Clone(d.acct.SkippedByType)
	return a
}

func (d *Dump) account() {
	d.Modules()
	d.Threads()
	d.SystemInfo()
	d.Misc()
	var refs spanSet
	p := d.newPass("handles", &refs)
	if err := d.handles(p, func(*Handle) error { return nil }); err != nil {
		d.addProblem(0, SeverityError, "read-error", "accounting stopped reading the handle table: %v", err)
	}
	d.mu.Lock()
	for _, s := range d.refs {
		refs.add(s.lo, s.hi)
	}
	d.mu.Unlock()

	a := Accounting{Size: d.size, SkippedByType: map[string]int64{}}
	var covered []span
	count := func(s []span) int64 {
		s = normalize(s)
		n := total(s) - overlap(s, covered)
		covered = union(covered, s)
		return n
	}
	a.Header = count([]span{{0, headerSize}, {d.header.DirectoryOffset, d.header.DirectoryOffset + d.dirSize}})
	var dec []span
	skipped := map[string][]span{}
	for _, s := range d.streams {
		sp := span{s.Offset, s.Offset + s.Size}
		if s.Decoded {
			dec = append(dec, sp)
		} else {
			name := s.Type.String()
			skipped[name] = append(skipped[name], sp)
		}
	}
	a.Decoded = count(dec)
	a.Referenced = count(refs.spans())
	a.Parsed = a.Header + a.Decoded + a.Referenced
	for _, name := range slices.Sorted(maps.Keys(skipped)) {
		n := count(skipped[name])
		a.SkippedByType[name] = n
		a.Skipped += n
	}
	a.Other = d.size - total(covered)
	d.acct = a
}

// span is the byte range [lo, hi).
type span struct{ lo, hi int64 }

// spanSet collects ranges and merges them whenever the list doubles, so
// its size follows the number of separate ranges, not of ranges added.
type spanSet struct {
	s     []span
	limit int
}

func (ss *spanSet) add(lo, hi int64) {
	if hi <= lo {
		return
	}
	if n := len(ss.s); n > 0 && ss.s[n-1].lo <= lo && lo <= ss.s[n-1].hi {
		ss.s[n-1].hi = max(ss.s[n-1].hi, hi)
		return
	}
	ss.s = append(ss.s, span{lo, hi})
	if len(ss.s) > max(ss.limit, 4096) {
		ss.s = normalize(ss.s)
		ss.limit = 2 * len(ss.s)
	}
}

func (ss *spanSet) spans() []span { return normalize(ss.s) }

// normalize sorts s in place and merges ranges that overlap or touch.
func normalize(s []span) []span {
	slices.SortFunc(s, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	out := s[:0]
	for _, r := range s {
		if r.hi <= r.lo {
			continue
		}
		if n := len(out); n > 0 && r.lo <= out[n-1].hi {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

func total(s []span) int64 {
	var n int64
	for _, r := range s {
		n += r.hi - r.lo
	}
	return n
}

// overlap returns how many bytes two normalized lists share.
func overlap(a, b []span) int64 {
	var n int64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].lo, b[j].lo), min(a[i].hi, b[j].hi)
		if lo < hi {
			n += hi - lo
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return n
}

// union merges two normalized lists into a new normalized list.
func union(a, b []span) []span {
	out := make([]span, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	return normalize(out)
}
