package facts

import (
	"reflect"
	"strings"
	"sync"
)

// field is what the validator knows of a struct field, by its JSON name.
type field struct {
	index int
	name  string
	// sizes: its figures are sizes (isSize); interned: it is one of
	// internedFields; listCap: the most entries a list of that name
	// keeps.
	sizes, interned bool
	listCap         int
}

// structFields are the fields of a struct type, and the index of its
// Source position (-1 for none).
type structFields struct {
	fields []field
	source int
}

// topField stands for a value that is no field: a process, a diagnostic.
var topField = newField(-1, "")

var fieldCache sync.Map // reflect.Type -> *structFields

// fieldsOf returns the fields of the struct type t, worked out once.
func fieldsOf(t reflect.Type) *structFields {
	if sf, ok := fieldCache.Load(t); ok {
		return sf.(*structFields)
	}
	sf := &structFields{source: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		sf.fields = append(sf.fields, newField(i, jsonName(f)))
		if f.Name == "Source" && f.Type == positionType {
			sf.source = i
		}
	}
	fieldCache.Store(t, sf)
	return sf
}

// newField is what the validator knows of the field index named name in
// JSON: a field's role follows from its name, so a field added to the
// schema is checked as the fields of its name are.
func newField(index int, name string) field {
	limit, ok := listCaps[name]
	if !ok {
		limit = listLimit
	}
	return field{index: index, name: name, sizes: isSize(name), interned: internedFields[name], listCap: limit}
}

var positionType = reflect.TypeFor[Position]()

// jsonName is the name of a field in the JSON form.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// isSize: the field of this name holds sizes, in bytes or KB.
func isSize(name string) bool {
	return strings.HasSuffix(name, "bytes") || strings.HasSuffix(name, "_kb") || name == "size"
}

// internedFields are the strings that repeat across a snapshot's
// processes (the types, the images, the path of the capture in every
// position): a decoded snapshot holds each once.
var internedFields = map[string]bool{
	"type": true, "dominant_type": true, "type_counts_from": true, "type_from": true,
	"image": true, "path": true, "format": true, "severity": true, "code": true,
}

// internLimit bounds the strings intern keeps.
const internLimit = 1 << 16

// intern returns the copy of s the validator holds, which it keeps while
// it holds fewer than internLimit.
func (v *validator) intern(s string) string {
	if t, ok := v.strs[s]; ok {
		return t
	}
	if v.strs == nil {
		v.strs = map[string]string{}
	}
	if len(v.strs) < internLimit {
		v.strs[s] = s
	}
	return s
}
