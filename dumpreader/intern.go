package dumpreader

// interner turns values as printed (object types, object names) into the
// strings facts hold: one allocation per distinct value, and the repair of
// damage (see cleaner) and canonicalization done once per distinct value
// rather than once per handle. Values repeat from one handle to the next,
// so the last one is compared before the map is consulted.
type interner struct {
	m     map[string]internEntry
	clean cleaner
	// canon, if set, canonicalizes a repaired value.
	canon func([]byte) []byte
	// seen, if set, collects the damage of the values got, as
	// cleaner.seen does.
	seen *damage
	last internEntry
}

// internEntry is a value as printed (key), its string for facts (val) and
// the damage repairing it undid.
type internEntry struct {
	key, val string
	found    damage
}

func newInterner(canon func([]byte) []byte) *interner {
	return &interner{m: map[string]internEntry{}, canon: canon}
}

// get returns the string for b, which need not have been cleaned.
func (in *interner) get(b []byte) string {
	if string(b) == in.last.key && in.last.key != "" {
		in.note(in.last.found)
		return in.last.val
	}
	e, ok := in.m[string(b)]
	if !ok {
		e.key = string(b)
		fixed := in.clean.clean(b)
		e.found = in.clean.found
		if in.canon != nil {
			fixed = in.canon(fixed)
		}
		e.val = e.key
		if string(fixed) != e.key {
			e.val = string(fixed)
		}
		in.m[e.key] = e
	}
	in.last = e
	in.note(e.found)
	return e.val
}

// note adds the damage of a value to the line being read, each time the
// value is shown.
func (in *interner) note(found damage) {
	if in.seen != nil {
		*in.seen |= found
	}
}
