package facts

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestPositionString(t *testing.T) {
	for _, c := range []struct {
		p    Position
		want string
	}{
		{Position{Path: "kd.txt", Line: 12}, "kd.txt:12"},
		{Position{Path: "app.dmp", Offset: 0x1f40}, "app.dmp@0x1f40"},
		{Position{Path: "app.dmp"}, "app.dmp"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.p, got, c.want)
		}
	}
	if got := (Diagnostic{Path: "a.dmp", Offset: 32}).Where(); got != "a.dmp@0x20" {
		t.Errorf("Where = %q", got)
	}
}

// TestWriteJSONOffsets: the hand-written process encoder writes
// what encoding/json would, offsets included.
func TestWriteJSONOffsets(t *testing.T) {
	n := int64(7)
	s := &Snapshot{SchemaVersion: SchemaVersion, TypeTotals: map[string]int64{"File": 3},
		Sources:     []Source{{Path: "a.dmp", Format: "minidump"}},
		Diagnostics: []Diagnostic{{Path: "a.dmp", Offset: 64, Severity: SevInfo, Code: "x", Message: "m"}},
		Processes: []*Process{{PID: 8, Image: "a.exe", HandleCount: &n, ByType: map[string]int64{"File": 7},
			UnnamedByType: map[string]int64{}, TopNames: []NameCount{{Name: `\Device\X`, Type: "File", Count: 7, First: Position{Path: "a.dmp", Offset: 0x120}}},
			OpenStacks: []Stack{{Frames: []string{"m!f+0x1"}, Count: 2, First: Position{Path: "a.dmp", Offset: 0x400}}},
			Source:     Position{Path: "a.dmp", Offset: 0x20}, DominantType: "File", DominantShare: 1}},
	}
	var got bytes.Buffer
	if err := s.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("WriteJSON differs from encoding/json:\n%s\n---\n%s", got.String(), want.String())
	}
	back, err := DecodeJSON(&got)
	if err != nil || back.Processes[0].Source.Offset != 0x20 || back.Diagnostics[0].Offset != 64 {
		t.Errorf("read back: %v %+v", err, back)
	}
}
