package facts

import (
	"testing"
	"unicode/utf8"
)

// TestDiagValidUTF8: a diagnostic that quotes bytes of a capture that
// are not UTF-8 (a value of a query_range response, a rune cut by a
// byte slice) holds U+FFFD for each such byte, as the snapshot JSON
// writes it, so that it reads back the same.
func TestDiagValidUTF8(t *testing.T) {
	log := NewSourceLog("t.txt", "test")
	log.Diag(1, SevWarning, "code", "sample %.4s: bad", "a\xee\xffb")
	log.DiagAt(2, SevWarning, "code", "value %s", []byte("\u00e9\u00e9")[:3])
	got := log.Diagnostics()
	for i, want := range []string{"sample a\uFFFD\uFFFDb: bad", "value \u00e9\uFFFD"} {
		if m := got[i].Message; m != want || !utf8.ValidString(m) {
			t.Errorf("Message = %q, want %q", m, want)
		}
	}
}

// TestAddDiagnosticValidUTF8: a diagnostic about a capture as a whole (a
// zip entry's name, a gzip member) is made UTF-8 as a reader's are.
func TestAddDiagnosticValidUTF8(t *testing.T) {
	b := NewBuilder()
	b.AddDiagnostic(Diagnostic{Path: "a.zip", Severity: SevInfo, Code: "code", Message: "entry \xff.txt"})
	if m := b.Snapshot().Diagnostics[0].Message; m != "entry \uFFFD.txt" {
		t.Errorf("Message = %q, want %q", m, "entry \uFFFD.txt")
	}
}
