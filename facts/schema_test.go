package facts

import (
	"reflect"
	"testing"
)

// TestSchemaDocumentsEveryFact: every fact has a meaning beside its field,
// and no field has a meaning without being a fact (a doc tag on a field
// rules cannot see would document nothing).
func TestSchemaDocumentsEveryFact(t *testing.T) {
	for _, f := range Schema() {
		if f.Doc == "" {
			t.Errorf("%s (%s) has no doc tag", f.Name, f.Type)
		}
	}
	for _, v := range []any{ProcessFacts{}, SnapshotFacts{}, NameFacts{}} {
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			if f := rt.Field(i); f.Tag.Get("doc") != "" && f.Tag.Get("expr") == "" {
				t.Errorf("%s.%s has a doc tag and no expr tag: no rule can read it", rt.Name(), f.Name)
			}
		}
	}
	want := map[string]string{"process.handles": "int", "process.by_type": "map(string, int)",
		"process.dominant_share": "double", "process.top_names": "list(name)", "process.top_name": "name",
		"process.top_name.count": "int", "snapshot.host": "string", "process.exited": "bool"}
	for _, f := range Schema() {
		if w, ok := want[f.Name]; ok && f.Type != w {
			t.Errorf("%s: type %s, want %s", f.Name, f.Type, w)
		}
	}
}
