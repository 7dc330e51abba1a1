package rules

import (
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/leakdiag/leakdiag/facts"
)

// fieldNames returns the names of the facts of a scope, sorted.
func fieldNames(scope string) []string {
	var names []string
	for _, f := range facts.FieldsOf(scope) {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// allFactFields are the names any fact view has, sorted, for
// suggestions. Made on first use: the walk over the view types is most of
// the package's start-up otherwise, and only a misspelled fact needs it.
var allFactFields = sync.OnceValue(func() []string {
	seen := map[string]bool{}
	var all []string
	for _, scope := range []string{facts.ScopeProcess, facts.ScopeSnapshot, facts.ScopeName} {
		for _, n := range fieldNames(scope) {
			if !seen[n] {
				seen[n] = true
				all = append(all, n)
			}
		}
	}
	sort.Strings(all)
	return all
})

// factMap turns a facts view into a map keyed by its fact names, the form
// message templates see ({{.process.image}}).
func factMap(v any) map[string]any {
	rv := reflect.Indirect(reflect.ValueOf(v))
	fields := facts.FieldsOfType(rv.Type())
	m := make(map[string]any, len(fields))
	for _, fact := range fields {
		tag := fact.Name
		f := rv.FieldByIndex(fact.Index)
		switch f.Kind() {
		case reflect.Struct:
			m[tag] = factMap(f.Interface())
		case reflect.Slice:
			if f.Type().Elem().Kind() == reflect.Struct {
				items := make([]map[string]any, f.Len())
				for j := range items {
					items[j] = factMap(f.Index(j).Interface())
				}
				m[tag] = items
				continue
			}
			m[tag] = f.Interface()
		default:
			m[tag] = f.Interface()
		}
	}
	return m
}

// identAt returns the dotted identifier that starts at character off of
// line ("params.threshold"), for naming what an error is about.
func identAt(line string, off int) string {
	r := []rune(line)
	if off < 0 || off >= len(r) {
		return ""
	}
	end := off
	for end < len(r) && (r[end] == '_' || r[end] == '.' || r[end] >= 'a' && r[end] <= 'z' ||
		r[end] >= 'A' && r[end] <= 'Z' || r[end] >= '0' && r[end] <= '9') {
		end++
	}
	return strings.Trim(string(r[off:end]), ".")
}
