package reporters_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/reporters"
)

// The table's Batch column says the truth about each reporter, and New
// knows every format Formats lists.
func TestFormatTable(t *testing.T) {
	for _, name := range reporters.Formats() {
		t.Run(name, func(t *testing.T) {
			f, ok := reporters.Lookup(name)
			if !ok {
				t.Fatalf("Lookup(%q) = false, want the row Formats lists", name)
			}
			r, err := reporters.New(name, reporters.Options{})
			if err != nil {
				t.Fatalf("New(%q): %v", name, err)
			}
			if _, batch := r.(reporters.BatchWriter); batch != f.Batch {
				t.Errorf("New(%q) is a BatchWriter: %v, want %v (the table's Batch)", name, batch, f.Batch)
			}
			if !strings.Contains(reporters.FormatsText(), name) {
				t.Errorf("FormatsText() = %q, want %q in it", reporters.FormatsText(), name)
			}
		})
	}
	if diff := cmp.Diff([]string{"text", "json", "markdown"}, reporters.DiffFormats); diff != "" {
		t.Errorf("DiffFormats: diff (-want +got):\n%s", diff)
	}
	if _, err := reporters.New("pdf", reporters.Options{}); err == nil || !strings.Contains(err.Error(), `unknown format "pdf"`) {
		t.Errorf(`New("pdf") = %v, want unknown format "pdf"`, err)
	}
}
