package facts

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSnapshotJSON feeds the snapshot JSON reader arbitrary bytes, seeded
// with the golden snapshots of every reader. Properties: no panic, errors
// are ordinary errors, and a snapshot it accepts is within every limit
// (a second validation finds nothing to refuse or cut) and reads back
// from its own JSON form unchanged.
func FuzzSnapshotJSON(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/*/*.golden.json")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(snapshotWith(`"handle_count": -2`)))
	f.Add([]byte(snapshotWith(`"by_type": {"Event": 9223372036854775807, "File": 9223372036854775807}`)))
	f.Add([]byte(snapshotWith(`"dominant_share": 1.5`)))
	f.Add([]byte(snapshotWith(`"top_names": [` + repeated(`{"name": "n", "type": "Event", "count": 1, "first": {"path": "a.txt", "line": 3}}`, 12) + `]`)))
	f.Add([]byte(`{"schema_version": 1} {"schema_version": 1, "host": "b"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		snaps, err := DecodeJSONSeries(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, s := range snaps {
			if err := validAsRead(s); err != nil {
				t.Fatal(err)
			}
		}
	})
}
