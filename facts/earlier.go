package facts

import "slices"

// Earlier returns a builder for a capture that the one being read shows
// was taken before it: a tool's output about a process pasted as it was
// before a test and after (Handle's type summary run again). Read on its
// own, the capture is then a series: the earlier captures in the order
// Earlier was called, then this one (EarlierSnapshots). An earlier
// builder holds only what the reader gives it; the sources and
// diagnostics are this capture's.
func (b *Builder) Earlier() *Builder {
	e := NewBuilder()
	b.earlier = append(b.earlier, e)
	return e
}

// EarlierSnapshots builds the captures Earlier made, oldest first, each
// with this capture's sources and host (none of its diagnostics, which
// the last capture of a series carries); nil without any. It is called
// once this capture's sources are all added.
func (b *Builder) EarlierSnapshots() []*Snapshot {
	var out []*Snapshot
	for _, e := range b.earlier {
		s := e.Snapshot()
		s.Sources = slices.Clone(b.snap.Sources)
		s.Host, s.OSVersion = b.snap.Host, b.snap.OSVersion
		out = append(out, s)
	}
	return out
}
