package kd

import (
	"hash/maphash"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// valueCache turns the type or name a kernel handle entry prints into the
// string facts hold, as the reader's interners would (scan.Interner:
// repaired, then canonicalized), for the values whose making reports
// nothing: those without damage, and names without a stray bracket.
// Those are left to the interners (ok false), which report them.
//
// It is a direct-mapped cache, a hash of the value's bytes picking its
// entry, which a value of another hash takes over: the entries a capture
// shows over and over (its types, the names its processes share) make one
// string each, and a capture of millions of distinct names costs no more
// than a string per handle, in fixed memory, with no map to insert into,
// look up or let go of. The reader and each parsing worker have their
// own; which value is in an entry changes nothing but which of equal
// strings is kept.
type valueCache struct {
	// entries are made on first use: a reader made to sniff a few
	// lines seldom needs them.
	entries []cacheEntry
	size    int
	seed    maphash.Seed
	// names: the values are object names, canonicalized (canonDevice).
	names  bool
	clean  scan.Cleaner
	damage scan.Damage
}

// cacheEntry is a value as printed (key), its hash, and its string for
// facts (val). The hash is compared first: the bytes of a key are
// elsewhere in memory, and most values that meet in an entry of a
// capture of distinct names differ only near their ends.
type cacheEntry struct {
	hash     uint64
	key, val string
}

// Cache sizes, in entries (powers of two): a process shows a few dozen
// types; names, a few hundred to millions.
const (
	typeCacheSize = 1 << 8
	nameCacheSize = 1 << 12
)

// newValueCache returns a cache of size entries, of object names or of
// types.
func newValueCache(size int, names bool) *valueCache {
	c := &valueCache{size: size, seed: maphash.MakeSeed(), names: names}
	c.clean.Seen = &c.damage
	return c
}

// get returns the string of the value b, trimmed of white space as entry
// lines give it, and false where the interner must make it.
func (c *valueCache) get(b []byte) (string, bool) {
	if c.entries == nil {
		c.entries = make([]cacheEntry, c.size)
	}
	h := maphash.Bytes(c.seed, b)
	e := &c.entries[h&uint64(len(c.entries)-1)]
	if e.hash == h && e.key == string(b) {
		return e.val, true
	}
	fixed := scan.TrimSpace(b)
	if scan.NeedsRepair(b) {
		c.damage = 0
		fixed = c.clean.Clean(b)
		if c.damage != 0 {
			return "", false // repaired: the interner reports it
		}
	}
	if c.names {
		if strayBracket(fixed) {
			return "", false // dropped with a note by the interner
		}
		fixed = canonDevice(fixed)
	}
	key := string(b)
	val := key
	if string(fixed) != key {
		val = string(fixed)
	}
	*e = cacheEntry{h, key, val}
	return val, true
}
