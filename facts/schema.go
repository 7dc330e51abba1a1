package facts

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// Field is one fact a rule condition can use.
type Field struct {
	// Name is how conditions write it: process.handles, snapshot.lines,
	// process.top_name.count.
	Name string `json:"name"`
	// Type is its type as CEL names it: int, double, string, bool,
	// map(string, int), list(name).
	Type string `json:"type"`
	Doc  string `json:"doc"`
	// Index locates the field in its view type, for
	// reflect.Value.FieldByIndex.
	Index []int `json:"-"`
}

// Schema lists every fact conditions can use, in declaration order,
// read from the view types themselves, so it cannot drift from them:
// each field's expr tag is its name, its Go type its type and its doc tag
// its meaning (a test checks every fact has one). Adding a fact is adding
// a field.
func Schema() []Field {
	var out []Field
	for _, scope := range []string{ScopeProcess, ScopeSnapshot} {
		for _, f := range FieldsOf(scope) {
			f.Name = scope + "." + f.Name
			out = append(out, f)
			if f.Type == nameType {
				for _, sub := range FieldsOf(ScopeName) {
					sub.Name = f.Name + "." + sub.Name
					out = append(out, sub)
				}
			}
		}
	}
	return out
}

// The view types by the scope rules name them with.
const (
	ScopeProcess  = "process"
	ScopeSnapshot = "snapshot"
	// ScopeName is a NameFacts: process.top_name and each of
	// process.top_names.
	ScopeName = "name"
)

var viewTypes = map[string]reflect.Type{
	ScopeProcess:  reflect.TypeOf(ProcessFacts{}),
	ScopeSnapshot: reflect.TypeOf(SnapshotFacts{}),
	ScopeName:     reflect.TypeOf(NameFacts{}),
}

// nameType is how celType names a NameFacts.
const nameType = "name"

// FieldsOf lists the facts of one view type (ScopeProcess, ScopeSnapshot,
// ScopeName) in declaration order, each under its own name (handles,
// not process.handles), with its Index in the type. It is the one walk
// of the view types: the CEL and expr environments, exceptions, message
// templates and `rules schema` all read the facts through it.
func FieldsOf(scope string) []Field {
	t := viewTypes[scope]
	if t == nil {
		return nil
	}
	return FieldsOfType(t)
}

// FieldsOfType lists the facts of a struct type by its expr tags, as
// FieldsOf does; for the walks that meet a view value (a message
// template's facts, a value an explanation prints) rather than a scope.
// The list is made once per type.
func FieldsOfType(t reflect.Type) []Field {
	if l, ok := factFieldCache.Load(t); ok {
		return l.([]Field)
	}
	l, _ := factFieldCache.LoadOrStore(t, walkFields(t))
	return l.([]Field)
}

var factFieldCache sync.Map // reflect.Type -> []Field

func walkFields(t reflect.Type) []Field {
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("expr")
		if tag == "" {
			continue
		}
		out = append(out, Field{Name: tag, Type: celType(f.Type), Doc: f.Tag.Get("doc"), Index: f.Index})
	}
	return out
}

// Scalar says the fact is a single value (int, double, string, bool)
// rather than a map, list or name.
func (f Field) Scalar() bool {
	switch f.Type {
	case "int", "double", "string", "bool":
		return true
	}
	return false
}

func celType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int64, reflect.Int:
		return "int"
	case reflect.Float64:
		return "double"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Map:
		return fmt.Sprintf("map(%s, %s)", celType(t.Key()), celType(t.Elem()))
	case reflect.Slice:
		return fmt.Sprintf("list(%s)", celType(t.Elem()))
	case reflect.Struct:
		return strings.TrimSuffix(strings.ToLower(t.Name()), "facts")
	}
	return t.String()
}
