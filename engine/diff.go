package engine

import (
	"sort"
	"time"

	"github.com/leakdiag/leakdiag/facts"
)

// Diff is what changed between two captures of one machine: each process's
// handles and types, ranked by growth, and the findings of the rules on
// the newer capture with the growth known.
type Diff struct {
	SchemaVersion int `json:"schema_version"`
	// Old and New are the captures compared.
	Old DiffPoint `json:"old"`
	New DiffPoint `json:"new"`
	// Hours between them, when both times are known (else 0).
	Hours float64 `json:"hours"`
	// Processes are in rank order: the most grown first, then those that
	// appeared (most handles first), then shrunk, then exited, then those
	// whose count one capture does not give, unchanged last.
	Processes []ProcessChange `json:"processes"`
	// Types are the machine-wide changes per type, most grown first: the
	// system-wide summaries' (Snapshot.TypeTotals) when both captures have
	// one, else the sums over the processes.
	Types []TypeChange `json:"types"`
	// Report is the rules' findings on the newer capture, growth facts
	// included.
	Report *Report `json:"report"`
}

// DiffPoint is one of the two captures of a diff.
type DiffPoint struct {
	Name      string `json:"name"`
	Time      string `json:"time,omitempty"`
	TimeFrom  string `json:"time_from"`
	Processes int    `json:"processes"`
	// Handles adds up the processes whose count the capture gives;
	// UnknownCounts is the number whose count it does not give.
	Handles       int64 `json:"handles"`
	UnknownCounts int   `json:"unknown_counts"`
	// SystemHandles adds up a system-wide type summary (handle -s), when
	// the capture has one: UnknownCount when it was cut short.
	SystemHandles int64 `json:"system_handles,omitempty"`
}

// Change statuses of a process.
const (
	Grew      = "grew"
	Shrank    = "shrank"
	Unchanged = "unchanged"
	Appeared  = "appeared"
	Exited    = "exited"
	// Unknown: one of the captures shows the process but not its count
	// (a summary cut before its total, <Data Not Accessible>): whether it
	// grew or shrank is not known, and it is never read as a fall to 0.
	Unknown = "unknown"
)

// UnknownCount stands for a count a capture does not give, in
// ProcessChange and TypeChange (as in the facts rules see).
const UnknownCount = -1

// ProcessChange is one process's change between the captures. Old or
// New is UnknownCount (-1) where that capture does not give the count;
// Delta is then 0 and Status Unknown.
type ProcessChange struct {
	PID    uint64 `json:"pid"`
	Image  string `json:"image"`
	Status string `json:"status"`
	Old    int64  `json:"old"`
	New    int64  `json:"new"`
	Delta  int64  `json:"delta"`
	// PerHour is Delta over the hours between the captures (0 when they
	// are unknown).
	PerHour float64            `json:"per_hour"`
	Types   []TypeChange       `json:"types"`
	Names   []facts.NameGrowth `json:"names"`
	// Source is where the process is in the newer capture (the older one
	// for an exited process).
	Source facts.Position `json:"source"`
}

// TypeChange is the change of one object type's handles. Old or New is
// UnknownCount (-1) where that capture does not give the count (a type
// summary cut short); Delta is then 0.
type TypeChange struct {
	Type  string `json:"type"`
	Old   int64  `json:"old"`
	New   int64  `json:"new"`
	Delta int64  `json:"delta"`
}

// Known reports whether both captures give the type's count.
func (t TypeChange) Known() bool { return t.Old != UnknownCount && t.New != UnknownCount }

// changes lists how each process of a two-capture series changed, and
// each type machine-wide.
func changes(s *facts.Series) ([]ProcessChange, []TypeChange) {
	hours := 0.0
	if s.TimesKnown {
		hours = s.Hours(1)
	}
	out := []ProcessChange{}
	machine := map[string]*TypeChange{}
	for _, ps := range s.Processes {
		oldP, newP := ps.At[0], ps.At[1]
		c := ProcessChange{PID: ps.PID, Image: ps.Image, Names: []facts.NameGrowth{}}
		if oldP != nil {
			c.Old, c.Source = knownCount(oldP), oldP.Source
		}
		if newP != nil {
			c.New, c.Source = knownCount(newP), newP.Source
		}
		known := c.Old != UnknownCount && c.New != UnknownCount
		if known {
			c.Delta = c.New - c.Old
		}
		switch {
		case oldP == nil:
			c.Status = Appeared
		case newP == nil:
			c.Status = Exited
		case !known:
			c.Status = Unknown
		case c.Delta > 0:
			c.Status = Grew
		case c.Delta < 0:
			c.Status = Shrank
		default:
			c.Status = Unchanged
		}
		if hours > 0 && oldP != nil && newP != nil && known {
			c.PerHour = float64(c.Delta) / hours
		}
		c.Types = typeChanges(oldP, newP)
		for _, t := range c.Types {
			m := machine[t.Type]
			if m == nil {
				m = &TypeChange{Type: t.Type}
				machine[t.Type] = m
			}
			m.Old = addKnown(m.Old, t.Old)
			m.New = addKnown(m.New, t.New)
		}
		if oldP != nil && newP != nil {
			c.Names = append(c.Names, s.Growth(ps).Names...)
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return changeBefore(out[i], out[j]) })
	types := []TypeChange{}
	for _, t := range machine {
		types = append(types, withDelta(*t))
	}
	if oldS, newS := s.Points[0].Snapshot, s.Points[1].Snapshot; len(oldS.TypeTotals) > 0 && len(newS.TypeTotals) > 0 {
		types = totalChanges(oldS, newS)
	}
	sortTypeChanges(types)
	return out, types
}

// knownCount is the process's count, or UnknownCount where the capture
// does not give it.
func knownCount(p *facts.Process) int64 {
	if !p.CountKnown() {
		return UnknownCount
	}
	return p.BestCount()
}

// addKnown adds a count to a sum; either unknown makes the sum unknown.
func addKnown(sum, n int64) int64 {
	if sum == UnknownCount || n == UnknownCount {
		return UnknownCount
	}
	return sum + n
}

// withDelta sets the change of t where both counts are known.
func withDelta(t TypeChange) TypeChange {
	t.Delta = 0
	if t.Known() {
		t.Delta = t.New - t.Old
	}
	return t
}

// typeChanges compares a process's types in the two captures (nil where
// it is not in one: there it has none of any type).
func typeChanges(oldP, newP *facts.Process) []TypeChange {
	out := []TypeChange{}
	count := func(p *facts.Process, t string) int64 {
		if p == nil {
			return 0
		}
		if n, ok := p.TypeCount(t); ok {
			return n
		}
		return UnknownCount
	}
	seen := map[string]bool{}
	for _, p := range []*facts.Process{oldP, newP} {
		if p == nil {
			continue
		}
		for t := range p.ByType {
			if !seen[t] {
				seen[t] = true
				out = append(out, withDelta(TypeChange{Type: t, Old: count(oldP, t), New: count(newP, t)}))
			}
		}
	}
	sortTypeChanges(out)
	return out
}

// totalChanges compares two system-wide type summaries.
func totalChanges(oldS, newS *facts.Snapshot) []TypeChange {
	out := []TypeChange{}
	seen := map[string]bool{}
	count := func(s *facts.Snapshot, t string) int64 {
		if n, ok := s.TypeTotal(t); ok {
			return n
		}
		return UnknownCount
	}
	for _, s := range []*facts.Snapshot{oldS, newS} {
		for t := range s.TypeTotals {
			if !seen[t] {
				seen[t] = true
				out = append(out, withDelta(TypeChange{Type: t, Old: count(oldS, t), New: count(newS, t)}))
			}
		}
	}
	return out
}

// sortTypeChanges orders types by growth, most first; those whose change
// is unknown after the ones that fell, then by name.
func sortTypeChanges(ts []TypeChange) {
	sort.Slice(ts, func(i, j int) bool {
		if a, b := ts[i].Known(), ts[j].Known(); a != b {
			return a
		}
		if ts[i].Delta != ts[j].Delta {
			return ts[i].Delta > ts[j].Delta
		}
		return ts[i].Type < ts[j].Type
	})
}

var statusOrder = map[string]int{Grew: 0, Appeared: 1, Shrank: 2, Exited: 3, Unknown: 4, Unchanged: 5}

// changeBefore ranks changes: by status, then the growth (the count, for
// processes that appeared or exited), then pid and image.
func changeBefore(a, b ProcessChange) bool {
	if statusOrder[a.Status] != statusOrder[b.Status] {
		return statusOrder[a.Status] < statusOrder[b.Status]
	}
	ka, kb := a.Delta, b.Delta
	switch a.Status {
	case Appeared:
		ka, kb = a.New, b.New
	case Exited:
		ka, kb = a.Old, b.Old
	case Shrank:
		ka, kb = -a.Delta, -b.Delta
	case Unknown:
		ka, kb = max(a.Old, a.New), max(b.Old, b.New)
	}
	if ka != kb {
		return ka > kb
	}
	if a.PID != b.PID {
		return a.PID < b.PID
	}
	return a.Image < b.Image
}

func diffPoint(p facts.SeriesPoint) DiffPoint {
	dp := DiffPoint{Name: p.Name, TimeFrom: p.TimeFrom, Processes: len(p.Snapshot.Processes)}
	if !p.Time.IsZero() {
		dp.Time = p.Time.UTC().Format(time.RFC3339)
	}
	for _, proc := range p.Snapshot.Processes {
		if !proc.CountKnown() {
			dp.UnknownCounts++
			continue
		}
		dp.Handles += proc.BestCount()
	}
	for _, n := range p.Snapshot.TypeTotals {
		dp.SystemHandles += n
	}
	if p.Snapshot.TypeTotalsPartial {
		dp.SystemHandles = UnknownCount
	}
	return dp
}
