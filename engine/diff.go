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
	// appeared (most handles first), then shrunk, then exited, unchanged
	// last.
	Processes []ProcessChange `json:"processes"`
	// Types are the machine-wide changes per type, most grown first.
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
	Handles   int64  `json:"handles"`
}

// Change statuses of a process.
const (
	Grew      = "grew"
	Shrank    = "shrank"
	Unchanged = "unchanged"
	Appeared  = "appeared"
	Exited    = "exited"
)

// ProcessChange is one process's change between the captures.
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

// TypeChange is the change of one object type's handles.
type TypeChange struct {
	Type  string `json:"type"`
	Old   int64  `json:"old"`
	New   int64  `json:"new"`
	Delta int64  `json:"delta"`
}

// changes lists how each process of a two-capture series changed.
func changes(s *facts.Series) ([]ProcessChange, []TypeChange) {
	hours := 0.0
	if s.TimesKnown {
		hours = s.Hours(1)
	}
	var out []ProcessChange
	machine := map[string]*TypeChange{}
	for _, ps := range s.Processes {
		oldP, newP := ps.At[0], ps.At[1]
		c := ProcessChange{PID: ps.PID, Image: ps.Image, Types: []TypeChange{}, Names: []facts.NameGrowth{}}
		oldTypes, newTypes := map[string]int64{}, map[string]int64{}
		if oldP != nil {
			c.Old, oldTypes, c.Source = oldP.BestCount(), oldP.ByType, oldP.Source
		}
		if newP != nil {
			c.New, newTypes, c.Source = newP.BestCount(), newP.ByType, newP.Source
		}
		c.Delta = c.New - c.Old
		switch {
		case oldP == nil:
			c.Status = Appeared
		case newP == nil:
			c.Status = Exited
		case c.Delta > 0:
			c.Status = Grew
		case c.Delta < 0:
			c.Status = Shrank
		default:
			c.Status = Unchanged
		}
		if hours > 0 && oldP != nil && newP != nil {
			c.PerHour = float64(c.Delta) / hours
		}
		c.Types = typeChanges(oldTypes, newTypes)
		for _, t := range c.Types {
			m := machine[t.Type]
			if m == nil {
				m = &TypeChange{Type: t.Type}
				machine[t.Type] = m
			}
			m.Old += t.Old
			m.New += t.New
			m.Delta += t.Delta
		}
		if oldP != nil && newP != nil {
			c.Names = append(c.Names, s.Growth(ps).Names...)
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return changeBefore(out[i], out[j]) })
	var types []TypeChange
	for _, t := range machine {
		types = append(types, *t)
	}
	sortTypeChanges(types)
	return out, types
}

func typeChanges(old, new map[string]int64) []TypeChange {
	out := []TypeChange{}
	seen := map[string]bool{}
	for _, m := range []map[string]int64{old, new} {
		for t := range m {
			if !seen[t] {
				seen[t] = true
				out = append(out, TypeChange{Type: t, Old: old[t], New: new[t], Delta: new[t] - old[t]})
			}
		}
	}
	sortTypeChanges(out)
	return out
}

func sortTypeChanges(ts []TypeChange) {
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].Delta != ts[j].Delta {
			return ts[i].Delta > ts[j].Delta
		}
		return ts[i].Type < ts[j].Type
	})
}

var statusOrder = map[string]int{Grew: 0, Appeared: 1, Shrank: 2, Exited: 3, Unchanged: 4}

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
		dp.Handles += proc.BestCount()
	}
	return dp
}
