package facts

// A capture cut short leaves counts unknown, and an unknown count is not
// zero: a series or a diff that read it as zero would report a process or
// a type shrinking to nothing because the paste ended early. These say
// what a capture gives and what it does not.

// CountKnown reports whether the capture gives the process's handle count
// in any form BestCount reads: the count reported, its table's entries,
// or handles shown. Where it gives none (HandleCount <Data Not
// Accessible> and no handle dump, a Handle summary cut before its total,
// <unable to open process>), BestCount's 0 is no count at all.
func (p *Process) CountKnown() bool {
	return p.HandleCount != nil || p.TableEntries != nil || p.HandlesParsed > 0
}

// TypeCount returns the process's handles of typ and whether the capture
// gives that count. A type ByType lists is known; one it does not list
// has none, unless the capture leaves types out: a type summary cut short
// (TypesPartial), or a process whose handles the capture counts without
// typing any of them (no ByType at all, while it holds handles or its
// count is unknown).
func (p *Process) TypeCount(typ string) (int64, bool) {
	if n, ok := p.ByType[typ]; ok {
		return n, true
	}
	switch {
	case p.TypesPartial:
		return 0, false
	case len(p.ByType) == 0 && (!p.CountKnown() || p.BestCount() > p.Untyped):
		return 0, false
	}
	return 0, true
}

// TypeTotal returns the system-wide count of typ a summary over all
// processes states (TypeTotals), and whether it is known: a type the
// summary does not list has none, unless the summary was cut short.
func (s *Snapshot) TypeTotal(typ string) (int64, bool) {
	if n, ok := s.TypeTotals[typ]; ok {
		return n, true
	}
	return 0, !s.TypeTotalsPartial && len(s.TypeTotals) > 0
}
