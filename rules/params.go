package rules

import (
	"maps"
	"slices"
)

// paramSet is what a rule sees as params.*: its own params (with its
// overrides') over the files' params. The files' params are shared by
// every rule, not copied into each: a copy per rule made a load's memory
// and time grow with rules times params, which a rule file of a few MB
// could make gigabytes.
type paramSet struct {
	own    map[string]any
	shared map[string]any
}

func (p paramSet) get(name string) (any, bool) {
	if v, ok := p.own[name]; ok {
		return v, true
	}
	v, ok := p.shared[name]
	return v, ok
}

// names returns every param name, sorted.
func (p paramSet) names() []string {
	names := slices.Collect(maps.Keys(p.shared))
	for n := range p.own {
		if _, ok := p.shared[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// merged returns every param in one new map.
func (p paramSet) merged() map[string]any {
	out := make(map[string]any, len(p.shared)+len(p.own))
	maps.Copy(out, p.shared)
	maps.Copy(out, p.own)
	return out
}

// subset returns the params r names, or all of them when r says so.
func (p paramSet) subset(r refs) map[string]any {
	if r.all {
		return p.merged()
	}
	out := map[string]any{}
	for name := range r.named("params") {
		if v, ok := p.get(name); ok {
			out[name] = v
		}
	}
	return out
}

// Params returns the values the rule sees as params.*: the files' params,
// then the rule's own, then its overrides'. It is a new map each call.
func (r *Rule) Params() map[string]any { return r.params.merged() }

// SetAt returns where the value of key ("when", "severity",
// "params.threshold", ...) was last set, or false for a key that has its
// default.
func (r *Rule) SetAt(key string) (Pos, bool) {
	if p, ok := r.From[key]; ok {
		return p, true
	}
	if len(key) > len("params.") && key[:len("params.")] == "params." {
		name := key[len("params."):]
		if _, own := r.params.own[name]; !own {
			p, ok := r.sharedFrom[name]
			return p, ok
		}
	}
	return Pos{}, false
}
