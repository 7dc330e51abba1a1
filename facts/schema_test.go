package facts

import "testing"

// TestSchemaDocumentsEveryFact: every fact has a meaning and every meaning
// names a fact, so the schema cannot drift from the view types.
func TestSchemaDocumentsEveryFact(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Schema() {
		seen[f.Name] = true
		if f.Doc == "" {
			t.Errorf("%s (%s) has no meaning in factDocs", f.Name, f.Type)
		}
	}
	for name := range factDocs {
		if !seen[name] {
			t.Errorf("factDocs has %s, which is no fact", name)
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
