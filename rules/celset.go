package rules

import (
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
)

// celStringList is a list of strings as a CEL value made once, when a
// rule is compiled, whose `in` is a set lookup: CEL's own list of Go
// strings converts every item it compares (an allocation each) and scans
// the list, at every evaluation. Everything else is CEL's list of the
// same items.
type celStringList struct {
	traits.Lister
	set map[string]struct{}
}

func newCELStringList(items []string) ref.Val {
	vals := make([]ref.Val, len(items))
	set := make(map[string]struct{}, len(items))
	for i, s := range items {
		vals[i] = types.String(s)
		set[s] = struct{}{}
	}
	return celStringList{Lister: types.NewRefValList(types.DefaultTypeAdapter, vals).(traits.Lister), set: set}
}

// Contains answers `x in list` for a string by the set, and as CEL's list
// does for anything else.
func (l celStringList) Contains(v ref.Val) ref.Val {
	if s, ok := v.(types.String); ok {
		_, in := l.set[string(s)]
		return types.Bool(in)
	}
	return l.Lister.Contains(v)
}

// newCELIntMap makes a map param a CEL map of CEL values once, at load:
// CEL reads a Go map through reflection, converting the key it looks up
// at every evaluation.
func newCELIntMap(m map[string]int64) ref.Val {
	vals := make(map[ref.Val]ref.Val, len(m))
	for k, v := range m {
		vals[types.String(k)] = types.Int(v)
	}
	return types.NewRefValMap(types.DefaultTypeAdapter, vals)
}
