package scan

// Interner turns values as printed (object types, object names) into the
// strings facts hold: one allocation per distinct value, and the repair of
// damage (see Cleaner) and canonicalization done once per distinct value
// rather than once per handle. Values repeat from one handle to the next,
// so the last one is compared before the map is consulted.
//
// It keeps at most InternLimit values: a capture whose leak adds a
// distinct name per handle (a file per request) would otherwise hold
// every name it ever showed. Past the limit a new value is repaired and
// returned as before, but not kept, so memory stays flat and a value
// first seen there costs a string each time it is shown.
type Interner struct {
	m     map[string]internEntry
	clean Cleaner
	// canon, if set, canonicalizes a repaired value.
	canon func([]byte) []byte
	// Seen, if set, collects the damage of the values got, as
	// Cleaner.Seen does.
	Seen *Damage
	// Limit, if above 0, is the most values kept instead of InternLimit:
	// the workers of a parallel read keep fewer each.
	Limit int
	last  internEntry
}

// internEntry is a value as printed (key), its string for facts (val) and
// the damage repairing it undid.
type internEntry struct {
	key, val string
	found    Damage
}

// InternLimit is the most values an Interner keeps.
const InternLimit = 1 << 16

// NewInterner returns an Interner; canon, if not nil, canonicalizes
// each repaired value.
func NewInterner(canon func([]byte) []byte) *Interner {
	return &Interner{m: map[string]internEntry{}, canon: canon}
}

// Get returns the string for b, which need not have been cleaned.
func (in *Interner) Get(b []byte) string {
	if string(b) == in.last.key && in.last.key != "" {
		in.note(in.last.found)
		return in.last.val
	}
	e, ok := in.m[string(b)]
	if !ok {
		e.key = string(b)
		fixed := in.clean.Clean(b)
		e.found = in.clean.found
		if in.canon != nil {
			fixed = in.canon(fixed)
		}
		e.val = e.key
		if string(fixed) != e.key {
			e.val = string(fixed)
		}
		if limit := in.Limit; len(in.m) < InternLimit && (limit <= 0 || len(in.m) < limit) {
			in.m[e.key] = e
		}
	}
	in.last = e
	in.note(e.found)
	return e.val
}

// note adds the damage of a value to the line being read, each time the
// value is shown.
func (in *Interner) note(found Damage) {
	if in.Seen != nil {
		*in.Seen |= found
	}
}

// Len returns the number of distinct values kept.
func (in *Interner) Len() int { return len(in.m) }
